"""Admin screens for an event's sign-ups: list, CSV export and sign-up on behalf.

Sign-ups are personal data: only users who may edit THAT event page (Wagtail page permissions,
https://docs.wagtail.org/en/stable/topics/permissions.html#page-permissions) see them.
"""

import csv
from datetime import timedelta
from functools import wraps

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from cms.spreadsheets import neutralise_formula

from . import signup
from .forms import OnBehalfForm
from .listings import event_occurrences
from .models import EventPage, Registration


class NotAnEditor(Exception):
    pass


def get_event_for_editor(request, page_id):
    event = get_object_or_404(EventPage, pk=page_id)
    if not event.permissions_for_user(request.user).can_edit():
        raise NotAnEditor
    return event


def editors_only(view):
    """Answer 403 (not Wagtail's redirect to the dashboard) when the user may not edit the event.

    A plain 403 is clearer for personal data: nothing about the sign-ups is revealed.
    """

    @wraps(view)
    def wrapper(request, page_id, *args, **kwargs):
        try:
            return view(request, page_id, *args, **kwargs)
        except NotAnEditor:
            return TemplateResponse(request, "events/admin/forbidden.html", status=403)

    return wrapper


def _day_from(request, key="datum"):
    try:
        return parse_date(request.GET.get(key, "") or "")
    except ValueError:
        return None


@editors_only
def registration_list(request, page_id):
    event = get_event_for_editor(request, page_id)
    day = _day_from(request)
    registrations = signup.registrations_for(event, day)
    groups = {}
    for registration in registrations:
        group = groups.setdefault(
            registration.occurrence_date,
            {"date": registration.occurrence_date, "rows": [], "confirmed": 0, "waiting": 0},
        )
        group["rows"].append(registration)
        if registration.status == Registration.Status.CONFIRMED:
            group["confirmed"] += registration.number_of_people
        elif registration.status == Registration.Status.WAITLISTED:
            group["waiting"] += registration.number_of_people
    return TemplateResponse(
        request,
        "events/admin/registration_list.html",
        {
            "event": event,
            "groups": sorted(groups.values(), key=lambda g: g["date"]),
            "day": day,
            "csv_url": reverse("events_registrations_csv", args=[event.pk])
            + (f"?datum={day.isoformat()}" if day else ""),
            "add_url": reverse("events_registrations_add", args=[event.pk]),
            "edit_url": reverse("wagtailadmin_pages:edit", args=[event.pk]),
        },
    )


@editors_only
def registration_csv(request, page_id):
    event = get_event_for_editor(request, page_id)
    day = _day_from(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="aanmeldingen-{event.slug}.csv"'
    response.write("\ufeff")  # so spreadsheet programs read the accents correctly
    writer = csv.writer(response, delimiter=";")
    writer.writerow(
        [
            _("Datum"),
            _("Naam"),
            _("E-mailadres"),
            _("Telefoon"),
            _("Aantal personen"),
            _("Status"),
            _("Aangemeld via"),
            _("Aangemeld op"),
        ]
    )
    for registration in signup.registrations_for(event, day):
        writer.writerow(
            [
                registration.occurrence_date.isoformat(),
                neutralise_formula(registration.name),
                neutralise_formula(registration.email),
                neutralise_formula(registration.phone),
                registration.number_of_people,
                registration.get_status_display(),
                registration.get_source_display(),
                timezone.localtime(registration.created_at).strftime("%Y-%m-%d %H:%M"),
            ]
        )
    return response


@editors_only
def registration_add(request, page_id):
    event = get_event_for_editor(request, page_id)
    now = timezone.now()
    occurrences = event_occurrences(event, now - timedelta(days=1), now + timedelta(days=400))
    occurrences = [o for o in occurrences if not o.is_cancelled][:40]
    form = OnBehalfForm(request.POST or None, occurrences=occurrences)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            registration, _created = signup.register(
                event,
                parse_date(data["datum"]),
                name=data["name"],
                email=data["email"],
                phone=data["phone"],
                number_of_people=data["number_of_people"],
                source=data["source"],
                language=event.locale.language_code,
                created_by=request.user,
                on_behalf=True,
            )
        except signup.SignupRefused as refusal:
            form.add_error(None, refusal.message)
        else:
            signup.send_confirmation(registration)
            if registration.status == Registration.Status.WAITLISTED:
                messages.warning(
                    request, _("%(name)s staat op de wachtlijst.") % {"name": registration.name}
                )
            else:
                messages.success(request, _("%(name)s is aangemeld.") % {"name": registration.name})
            return redirect("events_registrations", event.pk)
    return TemplateResponse(
        request,
        "events/admin/registration_add.html",
        {
            "event": event,
            "form": form,
            "list_url": reverse("events_registrations", args=[event.pk]),
        },
    )


@editors_only
def registration_cancel(request, page_id, registration_id):
    event = get_event_for_editor(request, page_id)
    registration = get_object_or_404(Registration, pk=registration_id, event=event)
    if request.method == "POST":
        promoted = signup.cancel(registration)
        messages.success(request, _("%(name)s is afgemeld.") % {"name": registration.name})
        for person in promoted:
            messages.info(
                request,
                _("%(name)s is van de wachtlijst aangemeld.") % {"name": person.name},
            )
    return redirect("events_registrations", event.pk)
