"""The seam for an online payment provider. None is connected: stadsdorpen are paid by bank
transfer and in cash, which the treasurer records by hand (``contributions.record``).

A provider (iDEAL through a payment service, for instance) plugs in with two pieces:

1. an object with the ``PaymentProvider`` interface below, named by the setting
   ``MEMBERSHIP_PAYMENT_PROVIDER`` (a dotted path), which starts a payment and returns the address
   to send the member to;
2. its webhook view, which checks the provider's signature itself and then calls
   ``record_payment`` with the provider's payment id as ``reference``. A notification that
   arrives twice (providers retry) finds the same reference and changes nothing.

Nothing else in the membership knows about providers; without the setting ``provider()`` is None
and no screen offers paying online.
"""

from datetime import date
from decimal import Decimal
from typing import Protocol

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from .models import Contribution


class PaymentProvider(Protocol):
    name: str

    def start_payment(self, contribution: Contribution, *, return_url: str) -> str:
        """Create a payment for ``contribution.amount`` and return the URL to pay at."""


def provider():
    path = getattr(settings, "MEMBERSHIP_PAYMENT_PROVIDER", "")
    return import_string(path)() if path else None


@transaction.atomic
def record_payment(
    contribution: Contribution,
    *,
    reference: str,
    amount: Decimal | None = None,
    paid_on: date | None = None,
    method: str = Contribution.Method.ONLINE,
) -> Contribution:
    """Mark a contribution paid from a provider's notification; idempotent per ``reference``."""
    contribution = Contribution.objects.select_for_update().get(pk=contribution.pk)
    if contribution.status == Contribution.Status.PAID and contribution.reference == reference:
        return contribution
    contribution.status = Contribution.Status.PAID
    contribution.reference = reference[:100]
    contribution.method = method
    contribution.paid_on = paid_on or timezone.localdate()
    if amount is not None:
        contribution.amount = amount
    contribution.updated_at = timezone.now()
    contribution.save()
    return contribution
