"""How often something that sends e-mail may be asked for, per account and per client address.

``allow(request, "code-request", account=email, per_account=3, per_address=20)`` counts one
request and says whether it may go ahead. Logins themselves are limited by django-axes
(``cms.accounts.lockout``); these limits stop the forms from being used to flood someone's mailbox.
Counted in the database (``cms.accounts.models.RequestCounter``), with the client address from
``cms.client_ip``: one visitor's requests never use up another visitor's allowance, also not
behind a proxy.
"""

import hashlib
from datetime import timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from cms.client_ip import client_ip

from .models import RequestCounter

WINDOW = timedelta(minutes=15)


def _digest(value):
    return hashlib.sha256(str(value or "").strip().lower().encode()).hexdigest()[:40]


def _limits(request, scope, account, per_account, per_address):
    limits = [(f"{scope}:address:{_digest(client_ip(request) or 'unknown')}", per_address)]
    if account is not None and per_account is not None:
        limits.insert(0, (f"{scope}:account:{_digest(account)}", per_account))
    return limits


def allow(request, scope, *, per_address, account=None, per_account=None):
    """Count this request; False (and nothing counted) when a limit is already reached."""
    now = timezone.now()
    limits = _limits(request, scope, account, per_account, per_address)
    with transaction.atomic():
        RequestCounter.objects.filter(expires_at__lte=now).delete()
        counters = [
            RequestCounter.objects.get_or_create(key=key, defaults={"expires_at": now + WINDOW})[0]
            for key, _limit in limits
        ]
        locked = RequestCounter.objects.select_for_update().filter(
            pk__in=[counter.pk for counter in counters]
        )
        current = dict(locked.values_list("key", "count"))
        if any(current.get(key, 0) >= limit for key, limit in limits):
            return False
        locked.update(count=F("count") + 1)
    return True


def is_blocked(request, scope, *, per_address, account=None, per_account=None):
    """Whether ``allow()`` would refuse, without counting."""
    now = timezone.now()
    limits = dict(_limits(request, scope, account, per_account, per_address))
    full = RequestCounter.objects.filter(key__in=limits, expires_at__gt=now)
    return any(count >= limits[key] for key, count in full.values_list("key", "count"))
