"""Contributions: what a member pays a year, whether they did, and the reminders.

One row per membership and year (``Contribution``), written only here: by the treasurer's screen
(``record``), the import's "betaald" column (``import_statuses``) and, if a stadsdorp ever wants
one, an online payment provider (``payments.py`` is the seam: the provider calls
``record_payment``). A member without a row for a year has not paid that year.

Reminders go by e-mail through the task queue (``tasks.send_contribution_reminders``), never in the
coordinator's request; members without e-mail get a printable letter (``paper.py``).
"""

from datetime import timedelta

from django.db import transaction
from django.db.models import F, FilteredRelation, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from . import emails, permissions
from .models import Contribution, Membership, MembershipSettings
from .services import MembershipError, membership_for

# A second click on "Herinnering sturen" within this time sends nothing again.
REMINDER_INTERVAL = timedelta(days=7)


def settings_for(stadsdorp):
    return MembershipSettings.objects.filter(stadsdorp=stadsdorp).first()


def yearly_amount(stadsdorp):
    row = settings_for(stadsdorp)
    return row.yearly_contribution if row else None


@transaction.atomic
def record(member, year, *, status, by=None, paid_on=None, method="", amount=None, note=""):
    """Set a member's contribution for a year; the same form sent twice gives the same row."""
    membership = membership_for(member)
    if status not in Contribution.Status.values:
        raise MembershipError(_("Kies betaald, niet betaald of vrijgesteld."))
    if status == Contribution.Status.PAID and paid_on is None:
        paid_on = timezone.localdate()
    if status != Contribution.Status.PAID:
        paid_on, method = None, ""
    if amount is None:
        amount = yearly_amount(membership.stadsdorp)
    contribution, _created = Contribution.objects.select_for_update().get_or_create(
        membership=membership, year=year
    )
    contribution.status = status
    contribution.paid_on = paid_on
    contribution.method = method
    contribution.amount = amount
    contribution.note = note
    contribution.recorded_by = by
    contribution.updated_at = timezone.now()
    contribution.save()
    return contribution


def overview(stadsdorp, year):
    """The stadsdorp's current members, each with their contribution of ``year`` (or none) as
    ``c_status``, ``c_paid_on``, ``c_method``, ``c_amount``, ``c_reminded_at`` — one query."""
    return (
        permissions.members_of(stadsdorp)
        .exclude(membership__status=Membership.Status.ENDED)
        .annotate(
            this_year=FilteredRelation(
                "membership__contributions",
                condition=Q(membership__contributions__year=year),
            )
        )
        .annotate(
            c_status=F("this_year__status"),
            c_paid_on=F("this_year__paid_on"),
            c_method=F("this_year__method"),
            c_amount=F("this_year__amount"),
            c_reminded_at=F("this_year__reminded_at"),
        )
        .select_related("user", "binnenbuurt", "membership")
    )


def filter_status(members, status):
    if status == Contribution.Status.OPEN:
        return members.filter(Q(c_status=Contribution.Status.OPEN) | Q(c_status__isnull=True))
    if status in (Contribution.Status.PAID, Contribution.Status.EXEMPT):
        return members.filter(c_status=status)
    return members


def status_label(status):
    return Contribution.Status(status or Contribution.Status.OPEN).label


def method_label(method):
    return dict(Contribution.Method.choices).get(method or "", "")


def open_rows(stadsdorp, year, members):
    """The contribution rows of these members (made, as "not paid", where missing)."""
    members = list(members)
    for member in members:
        if getattr(member, "membership", None) is None:
            member.membership = membership_for(member)
    membership_ids = [member.membership.pk for member in members]
    have = set(
        Contribution.objects.filter(membership_id__in=membership_ids, year=year).values_list(
            "membership_id", flat=True
        )
    )
    amount = yearly_amount(stadsdorp)
    Contribution.objects.bulk_create(
        [
            Contribution(membership_id=pk, year=year, amount=amount)
            for pk in membership_ids
            if pk not in have
        ],
        ignore_conflicts=True,
    )
    return Contribution.objects.filter(
        membership_id__in=membership_ids, year=year, status=Contribution.Status.OPEN
    )


def mark_for_reminder(stadsdorp, year, members):
    """The unpaid contributions of these members that may get a reminder e-mail now: members with
    an address, not reminded in the last ``REMINDER_INTERVAL`` (so a double click sends each
    reminder once). They are marked as reminded in the caller's transaction; the ids."""
    with_email = [member for member in members if member.user.email]
    recent = timezone.now() - REMINDER_INTERVAL
    rows = open_rows(stadsdorp, year, with_email).filter(
        Q(reminded_at__isnull=True) | Q(reminded_at__lt=recent)
    )
    ids = list(rows.values_list("pk", flat=True))
    Contribution.objects.filter(pk__in=ids).update(reminded_at=timezone.now())
    return ids


def send_reminders(contribution_ids):
    """Send the reminder e-mails of a batch marked by ``mark_for_reminder``; the number sent.

    Each member's reminder is recorded as sent (``reminder_sent_at``) and sent in one transaction
    of its own, the row locked: when the mail server goes away halfway, the e-mails that went are
    committed and the failing one is rolled back, so the task's retry sends only the rest. A
    reminder is only sent while it is unpaid and its batch (``reminded_at``) has not gone yet; the
    batches themselves are at most one per member a week (``REMINDER_INTERVAL``).
    """
    settings_rows = {}
    sent = 0
    for contribution_id in contribution_ids:
        with transaction.atomic():
            contribution = (
                Contribution.objects.select_for_update(of=("self",))
                .filter(pk=contribution_id, status=Contribution.Status.OPEN)
                .filter(Q(reminder_sent_at__isnull=True) | Q(reminder_sent_at__lt=F("reminded_at")))
                .exclude(membership__status=Membership.Status.ENDED)
                .select_related("membership__member__user", "membership__stadsdorp")
                .first()
            )
            if contribution is None:
                continue
            stadsdorp = contribution.membership.stadsdorp
            if stadsdorp.pk not in settings_rows:
                settings_rows[stadsdorp.pk] = settings_for(stadsdorp)
            messages = emails.contribution_reminder(contribution, settings_rows[stadsdorp.pk])
            Contribution.objects.filter(pk=contribution.pk).update(reminder_sent_at=timezone.now())
            emails.deliver(messages)  # raises on a mail server error: this row rolls back
            sent += len(messages)
    return sent


def letters_for(stadsdorp, year):
    """The unpaid members without e-mail, for the printable reminder letters."""
    members = filter_status(overview(stadsdorp, year), Contribution.Status.OPEN).filter(
        user__email=""
    )
    return list(members.order_by("user__last_name", "user__first_name", "pk"))


# --- The import's "betaald" column ----------------------------------------------------------

PAID_WORDS = {"ja", "j", "x", "yes", "y", "betaald", "paid", "1", "ok", "✓", "v", "waar", "true"}
OPEN_WORDS = {"nee", "n", "no", "0", "niet", "niet betaald", "open", "onwaar", "false", "-"}
EXEMPT_WORDS = {"vrijgesteld", "vrij", "exempt", "gratis", "ere-lid", "erelid"}


def parse_paid(value):
    """The status a "betaald" cell means: a word, a date, an amount or a year. None for an empty
    cell; ValueError for something we do not understand."""
    if value is None:
        return None
    if isinstance(value, bool):
        return Contribution.Status.PAID if value else Contribution.Status.OPEN
    if hasattr(value, "year") and hasattr(value, "month"):  # a date: the day it was paid
        return Contribution.Status.PAID
    if isinstance(value, int | float):
        return Contribution.Status.PAID if value > 0 else Contribution.Status.OPEN
    text = str(value).strip().lower()
    if not text:
        return None
    if text in PAID_WORDS:
        return Contribution.Status.PAID
    if text in OPEN_WORDS:
        return Contribution.Status.OPEN
    if text in EXEMPT_WORDS:
        return Contribution.Status.EXEMPT
    amount = text.replace("€", "").replace("eur", "").replace(",", ".").strip()
    try:
        return Contribution.Status.PAID if float(amount) > 0 else Contribution.Status.OPEN
    except ValueError:
        pass
    if any(separator in text for separator in "-/.") and any(ch.isdigit() for ch in text):
        return Contribution.Status.PAID  # a date written as text
    raise ValueError(value)


def import_statuses(wanted, year, amount):
    """Write the statuses the import read: {membership_id: status}. A recorded payment or
    exemption is never turned back into "not paid" by a spreadsheet (an old list must not undo
    the treasurer's work). Returns the membership ids whose contribution changed."""
    existing = {
        row.membership_id: row
        for row in Contribution.objects.filter(membership_id__in=list(wanted), year=year)
    }
    new, changed, changed_ids = [], [], set()
    now = timezone.now()
    for membership_id, status in wanted.items():
        row = existing.get(membership_id)
        if row is None:
            new.append(
                Contribution(
                    membership_id=membership_id,
                    year=year,
                    status=status,
                    amount=amount,
                    method="",
                    note=_("uit de ingelezen ledenlijst"),
                )
            )
            changed_ids.add(membership_id)
        elif row.status != status and status != Contribution.Status.OPEN:
            row.status = status
            row.updated_at = now
            changed.append(row)
            changed_ids.add(membership_id)
    Contribution.objects.bulk_create(new, 1000)
    Contribution.objects.bulk_update(changed, ["status", "updated_at"], 1000)
    return changed_ids
