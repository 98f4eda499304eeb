"""Signing up for an event occurrence, cancelling, and promoting the waiting list.

Never overbook: the capacity check and the insert happen in ONE transaction that is serialised per
event occurrence. On PostgreSQL the transaction locks the occurrence's ``SignupSlot`` row with
``select_for_update()``; on SQLite the settings open every transaction with ``BEGIN IMMEDIATE``, so
the write lock is taken before the check (SQLite has one writer at a time; ``select_for_update``
is a no-op there).

Waiting-list rule: when places free up, people on the waiting list are promoted strictly in the
order they signed up. If the first person in line needs more places than are free, nobody behind
them jumps the queue; they wait for the next cancellation. This keeps the list fair and easy to
explain on the phone.
"""

import logging
from datetime import datetime, time, timedelta

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Sum
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cms import public_url

from . import ical
from .models import EventPage, Registration, SignupSlot
from .recurrence import LOCAL_TZ

logger = logging.getLogger(__name__)

TOKEN_SALT = "events.registration.cancel"
TOKEN_MAX_AGE = timedelta(days=400)


class SignupRefused(Exception):
    """A sign-up that cannot be accepted; ``message`` is shown to the person, in Dutch."""

    def __init__(self, message, field=None):
        super().__init__(message)
        self.message = message
        self.field = field


def find_occurrence(event, day):
    """The raw occurrence of ``event`` whose series date is ``day``, or None."""
    window_start = datetime.combine(day, time.min, tzinfo=LOCAL_TZ) - timedelta(days=40)
    window_end = datetime.combine(day, time.max, tzinfo=LOCAL_TZ) + timedelta(days=40)
    for raw in event.raw_occurrences(window_start, window_end):
        if raw.original_date == day:
            return raw
    return None


def places_taken(event, day):
    total = Registration.objects.filter(
        event=event, occurrence_date=day, status=Registration.Status.CONFIRMED
    ).aggregate(total=Sum("number_of_people"))["total"]
    return total or 0


def check_open(event, occurrence, now=None):
    """Raise SignupRefused when this occurrence does not take sign-ups (now)."""
    now = now or timezone.now()
    if not event.signup_enabled:
        raise SignupRefused(_("Voor deze activiteit hoeft u zich niet aan te melden."))
    if occurrence is None:
        raise SignupRefused(_("Deze datum hoort niet bij deze activiteit."))
    if event.is_cancelled or occurrence.is_cancelled:
        raise SignupRefused(_("Deze activiteit is geannuleerd. Aanmelden kan niet meer."))
    deadline = occurrence.start
    if event.signup_deadline and not event.is_recurring:
        deadline = min(deadline, event.signup_deadline)
    if now >= deadline:
        raise SignupRefused(_("De aanmeldtermijn is voorbij. Aanmelden kan niet meer."))


def register(
    event,
    day,
    *,
    name,
    email="",
    phone="",
    number_of_people=1,
    source=Registration.Source.WEBSITE,
    form_token=None,
    language="nl",
    created_by=None,
    on_behalf=False,
):
    """Sign up; returns ``(registration, created)``. Raises SignupRefused with a Dutch message.

    ``on_behalf`` (an editor entering a phone or paper sign-up) skips the deadline and the
    per-sign-up maximum but never the capacity.
    """
    occurrence = find_occurrence(event, day)
    if not on_behalf:
        check_open(event, occurrence)
        if number_of_people < 1:
            raise SignupRefused(_("Meld minstens 1 persoon aan."), "number_of_people")
        if number_of_people > event.max_per_signup:
            raise SignupRefused(
                _("U kunt zich met hoogstens %(max)s personen tegelijk aanmelden.")
                % {"max": event.max_per_signup},
                "number_of_people",
            )
    elif occurrence is None:
        raise SignupRefused(_("Deze datum hoort niet bij deze activiteit."))
    elif number_of_people < 1:
        raise SignupRefused(_("Meld minstens 1 persoon aan."), "number_of_people")

    slot, _created = SignupSlot.objects.get_or_create(event=event, occurrence_date=day)
    with transaction.atomic():
        # The lock: concurrent sign-ups for this occurrence wait here (see module docstring).
        SignupSlot.objects.select_for_update().get(pk=slot.pk)
        if form_token:
            existing = Registration.objects.filter(form_token=form_token).first()
            if existing is not None:
                if existing.event_id == event.pk and existing.email.lower() == email.lower():
                    return existing, False  # the same form sent twice
                # A token seen with other data (e.g. a page served from a shared cache): never
                # show someone else's registration; treat this as a new sign-up.
                form_token = None
        if email:
            existing = Registration.objects.filter(
                event=event,
                occurrence_date=day,
                email__iexact=email,
                status__in=[Registration.Status.CONFIRMED, Registration.Status.WAITLISTED],
            ).first()
            if existing is not None:
                raise SignupRefused(_("U bent al aangemeld met dit e-mailadres."), "email")
        if event.capacity is None:
            status = Registration.Status.CONFIRMED
        else:
            free = event.capacity - places_taken(event, day)
            waiting = Registration.objects.filter(
                event=event, occurrence_date=day, status=Registration.Status.WAITLISTED
            ).exists()
            if number_of_people <= free and not waiting:
                status = Registration.Status.CONFIRMED
            elif event.waitlist_enabled:
                status = Registration.Status.WAITLISTED
            else:
                raise SignupRefused(
                    _("Deze activiteit is vol. Er is geen wachtlijst.")
                    if free <= 0
                    else _("Er zijn nog maar %(free)s plaatsen vrij.") % {"free": free},
                    "number_of_people" if free > 0 else None,
                )
        registration = Registration.objects.create(
            event=event,
            occurrence_date=day,
            name=name,
            email=email,
            phone=phone,
            number_of_people=number_of_people,
            status=status,
            source=source,
            form_token=form_token or None,
            language=language,
            created_by=created_by,
        )
    return registration, True


def cancel(registration):
    """Cancel a registration, promote the waiting list; returns the promoted registrations."""
    slot, _created = SignupSlot.objects.get_or_create(
        event_id=registration.event_id, occurrence_date=registration.occurrence_date
    )
    with transaction.atomic():
        SignupSlot.objects.select_for_update().get(pk=slot.pk)
        current = Registration.objects.get(pk=registration.pk)
        if not current.is_active:
            return []
        current.status = Registration.Status.CANCELLED
        current.cancelled_at = timezone.now()
        current.save(update_fields=["status", "cancelled_at"])
        registration.status = current.status
        promoted = promote_waitlist(current.event, current.occurrence_date)
    for person in promoted:
        transaction.on_commit(lambda person=person: send_promoted(person))
    return promoted


def promote_waitlist(event, day):
    """Promote waiting people in sign-up order while the first in line fits (caller locks)."""
    if event.capacity is None:
        waiting = Registration.objects.filter(
            event=event, occurrence_date=day, status=Registration.Status.WAITLISTED
        )
        promoted = list(waiting)
        waiting.update(status=Registration.Status.CONFIRMED)
        return promoted
    free = event.capacity - places_taken(event, day)
    promoted = []
    for waiting in Registration.objects.filter(
        event=event, occurrence_date=day, status=Registration.Status.WAITLISTED
    ).order_by("created_at", "id"):
        if waiting.number_of_people > free:
            break
        waiting.status = Registration.Status.CONFIRMED
        waiting.save(update_fields=["status"])
        free -= waiting.number_of_people
        promoted.append(waiting)
    return promoted


# ---- cancel tokens


def make_cancel_token(registration):
    return signing.dumps(
        {"r": registration.pk, "s": registration.cancel_secret}, salt=TOKEN_SALT, compress=True
    )


def registration_from_token(token):
    """The registration for a signed token, or None when forged, expired or unknown."""
    try:
        data = signing.loads(token, salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
    except signing.BadSignature:  # includes SignatureExpired
        return None
    if not isinstance(data, dict):
        return None
    registration = Registration.objects.select_related("event").filter(pk=data.get("r")).first()
    if registration is None or registration.cancel_secret != data.get("s"):
        return None
    return registration


# ---- e-mail


def absolute(url_path):
    return public_url.absolute(url_path)


def email_context(registration):
    event = registration.event.specific
    occurrence = find_occurrence(event, registration.occurrence_date)
    with translation.override(registration.language):
        cancel_url = absolute(
            reverse("events:cancel", kwargs={"token": make_cancel_token(registration)})
        )
    event_url = absolute(event.get_url() or "")
    if event.is_recurring and event_url:
        event_url = f"{event_url}?datum={registration.occurrence_date.isoformat()}"
    return {
        "registration": registration,
        "event": event,
        "occurrence": occurrence,
        "start": timezone.localtime(occurrence.start) if occurrence else None,
        "end": timezone.localtime(occurrence.end) if occurrence else None,
        "cancel_url": cancel_url,
        "event_url": event_url,
        "organisation": settings.WAGTAIL_SITE_NAME,
    }, occurrence


def _send(registration, template, subject):
    if not registration.email:
        return
    context, occurrence = email_context(registration)
    with translation.override(registration.language):
        body = render_to_string(f"events/emails/{template}.txt", context)
        html = render_to_string(f"events/emails/{template}.html", context)
        message = EmailMultiAlternatives(
            subject=str(subject) % {"title": registration.event.title},
            body=body,
            to=[registration.email],
        )
        message.attach_alternative(html, "text/html")
        if occurrence is not None and registration.status == Registration.Status.CONFIRMED:
            event = context["event"]
            content = ical.calendar_for_occurrence(
                event, occurrence.start, occurrence.end, context["event_url"]
            )
            message.attach(f"{event.slug}.ics", content, "text/calendar")
    try:
        message.send()
    except Exception:  # a mail server hiccup must not undo a sign-up
        logger.exception("Could not send e-mail for registration %s", registration.pk)


def send_confirmation(registration):
    with translation.override(registration.language):
        if registration.status == Registration.Status.WAITLISTED:
            subject = _("U staat op de wachtlijst: %(title)s")
        else:
            subject = _("Aanmelding bevestigd: %(title)s")
        _send(registration, "confirmation", subject)


def send_promoted(registration):
    with translation.override(registration.language):
        _send(registration, "promoted", _("Er is een plaats vrij: u bent aangemeld voor %(title)s"))


def registrations_for(event: EventPage, day=None):
    queryset = Registration.objects.filter(event=event)
    if day is not None:
        queryset = queryset.filter(occurrence_date=day)
    return queryset.order_by("occurrence_date", "created_at", "id")
