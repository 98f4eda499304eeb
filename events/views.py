"""Front-end views of the agenda and events (called from the pages' routes and events.urls)."""

import calendar as pycalendar
import re
from datetime import date, datetime, time, timedelta

from django.contrib import messages
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template.response import TemplateResponse
from django.utils import timezone, translation
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.dateparse import parse_date
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from cms import public_url, sites
from home.caching import cached
from home.models import StadsdorpPage
from home.privacy import audience, visible_pages

from . import ical, jsonld, signup
from .forms import SignupForm
from .listings import attach_exceptions, event_occurrences, events_queryset, occurrences_between
from .models import EventCategory
from .recurrence import LOCAL_TZ

MONTH_RE = re.compile(r"^(\d{4})-(\d{1,2})$")
MIN_YEAR, MAX_YEAR = 2000, 2100
LIST_DAYS = 92
MAX_LIST = 300
PAGE_SIZE = 40


def local_midnight(day):
    return datetime.combine(day, time.min).replace(tzinfo=LOCAL_TZ)


def parse_month(value):
    """(year, month) from 'YYYY-MM', or None when it is not a sensible month."""
    match = MONTH_RE.match(value or "")
    if not match:
        return None
    year, month = int(match.group(1)), int(match.group(2))
    if not (MIN_YEAR <= year <= MAX_YEAR and 1 <= month <= 12):
        return None
    return year, month


def add_months(year, month, delta):
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


class AgendaFilters:
    """Validated GET filters; bad values are dropped with a message, never a 500."""

    def __init__(self, request, index_page):
        self.request = request
        self.problems = []
        self.category = None
        self.stadsdorp = None
        self.month = None
        self.categories, self.stadsdorpen = filter_choices(index_page, request.user)
        slug = request.GET.get("categorie", "").strip()
        if slug:
            self.category = next((c for c in self.categories if c.slug == slug), None)
            if self.category is None:
                self.problems.append(_("Deze soort activiteit kennen we niet; we tonen alles."))
        slug = request.GET.get("stadsdorp", "").strip()
        if slug:
            self.stadsdorp = next((s for s in self.stadsdorpen if s.slug == slug), None)
            if self.stadsdorp is None:
                self.problems.append(_("Dit stadsdorp kennen we niet; we tonen alle stadsdorpen."))
        value = request.GET.get("maand", "").strip()
        if value:
            self.month = parse_month(value)
            if self.month is None:
                self.problems.append(
                    _("'%(value)s' is geen geldige maand (jjjj-mm); we tonen de komende tijd.")
                    % {"value": value[:20]}
                )

    @property
    def category_slug(self):
        return self.category.slug if self.category else ""

    @property
    def stadsdorp_slug(self):
        return self.stadsdorp.slug if self.stadsdorp else ""

    @property
    def month_value(self):
        return f"{self.month[0]:04d}-{self.month[1]:02d}" if self.month else ""

    def query_kwargs(self):
        return {
            "category_slug": self.category.slug if self.category else None,
            "stadsdorp_slug": self.stadsdorp.slug if self.stadsdorp else None,
        }

    def querystring(self, **overrides):
        params = {}
        if self.category:
            params["categorie"] = self.category.slug
        if self.stadsdorp:
            params["stadsdorp"] = self.stadsdorp.slug
        if self.month:
            params["maand"] = f"{self.month[0]:04d}-{self.month[1]:02d}"
        params.update(overrides)
        params = {key: value for key, value in params.items() if value}
        return f"?{urlencode(params)}" if params else ""


def filter_choices(index_page, user):
    """The kinds of activity and the stadsdorpen (those this user may see) the filters offer: the
    same for everyone with the user's audience, read once per content generation. Shared
    lists: read, never changed."""

    def build():
        categories = list(EventCategory.objects.filter(locale_id=index_page.locale_id))
        stadsdorpen = list(
            visible_pages(StadsdorpPage.objects.filter(locale_id=index_page.locale_id), user)
            .order_by("title")
            .only("id", "title", "slug")
        )
        return categories, stadsdorpen

    return cached(("agenda-filter-choices", index_page.pk, audience(user)), build)


def list_window(month, now):
    """The period the list shows: the month asked for (from now on, if it is this month), or
    the coming ``LIST_DAYS`` days."""
    if month is None:
        return now, now + timedelta(days=LIST_DAYS)
    year, month_number = month
    window_start = local_midnight(date(year, month_number, 1))
    next_year, next_month = add_months(year, month_number, 1)
    window_end = local_midnight(date(next_year, next_month, 1))
    if window_end > now:
        window_start = max(window_start, now)
    return window_start, window_end


def page_number(request):
    """The list's page asked for, as a short string ("1" for anything that is not a page
    number): part of the shared list's key, so no visitor can make unbounded copies."""
    value = request.GET.get("pagina", "1").strip()
    return value if value.isdigit() and 0 < int(value) <= MAX_LIST // PAGE_SIZE + 1 else "1"


def agenda_listing(viewer, index_page, site, category_slug, stadsdorp_slug, month, number):
    """One page of the agenda's list for ``viewer`` (``home.privacy.Viewer``: the list is a
    shared fragment per audience, ``{% shared "agenda-list" %}``), with the pager's links.

    Everything comes from the fragment's key: the filters as validated slugs, the month as
    'YYYY-MM' or "", the page number. The list moves with the clock: its copy lives for the
    fragment timeout (a minute), and a sign-up empties it (``depends_on`` in ``decorate``).
    """
    now = timezone.now()
    window_start, window_end = list_window(parse_month(month), now)
    occurrences = occurrences_between(
        viewer,
        window_start,
        window_end,
        locale=sites.locale_by_pk(index_page.locale_id),
        limit=MAX_LIST,
        category_slug=category_slug or None,
        stadsdorp_slug=stadsdorp_slug or None,
        site=site,
    )
    # Long lists are paged: readers over 70 are better served by 40 items at a time.
    paginator = Paginator(occurrences, PAGE_SIZE)
    try:
        page_obj = paginator.page(number)
    except (EmptyPage, PageNotAnInteger):
        page_obj = paginator.page(1)
    params = {"categorie": category_slug, "stadsdorp": stadsdorp_slug, "maand": month}

    def query(number):
        return "?" + urlencode({**{k: v for k, v in params.items() if v}, "pagina": number})

    return {
        "occurrences": page_obj.object_list,
        "page_obj": page_obj,
        "prev_page_query": query(page_obj.previous_page_number())
        if page_obj.has_previous()
        else "",
        "next_page_query": query(page_obj.next_page_number()) if page_obj.has_next() else "",
    }


def _base_context(request, index_page, filters, view):
    for problem in filters.problems:
        messages.warning(request, problem)
    url = index_page.get_url(request)
    return {
        "page": index_page,
        "self": index_page,
        "filters": filters,
        "view": view,
        "list_url": url,
        "month_url": f"{url}maand/",
        "archive_url": f"{url}archief/",
        "print_url": f"{url}afdrukken/",
        "feed_url": public_url.absolute(f"{url}ical/"),
    }


def agenda_list(request, index_page):
    filters = AgendaFilters(request, index_page)
    window_start, window_end = list_window(filters.month, timezone.now())
    context = _base_context(request, index_page, filters, "list")
    context.update(
        {
            # The list itself is a shared fragment (agenda_listing), keyed by these.
            "page_number": page_number(request),
            "window_start": window_start,
            "window_end": window_end - timedelta(seconds=1),
            "category_feed_url": public_url.absolute(
                f"{index_page.get_url(request)}ical/{filters.category.slug}/"
            )
            if filters.category
            else "",
        }
    )
    return TemplateResponse(request, "events/event_index_page.html", context)


def agenda_month(request, index_page):
    filters = AgendaFilters(request, index_page)
    today = timezone.localdate()
    year, month = filters.month or (today.year, today.month)
    first = date(year, month, 1)
    next_year, next_month = add_months(year, month, 1)
    prev_year, prev_month = add_months(year, month, -1)
    occurrences = occurrences_between(
        request.user,
        local_midnight(first),
        local_midnight(date(next_year, next_month, 1)),
        locale=index_page.locale,
        request=request,
        **filters.query_kwargs(),
    )
    by_day = {}
    for occurrence in occurrences:
        by_day.setdefault(occurrence.local_start.date(), []).append(occurrence)
    weeks = []
    for week in pycalendar.Calendar(firstweekday=0).monthdatescalendar(year, month):
        weeks.append(
            [
                {
                    "date": day,
                    "in_month": day.month == month,
                    "is_today": day == today,
                    "occurrences": by_day.get(day, []) if day.month == month else [],
                }
                for day in week
            ]
        )
    context = _base_context(request, index_page, filters, "month")
    month_param = f"{year:04d}-{month:02d}"
    context.update(
        {
            "weeks": weeks,
            "month_start": first,
            "month_occurrences": occurrences,
            "prev_query": filters.querystring(
                maand=f"{prev_year:04d}-{prev_month:02d}"
                if MIN_YEAR <= prev_year <= MAX_YEAR
                else ""
            ),
            "next_query": filters.querystring(
                maand=f"{next_year:04d}-{next_month:02d}"
                if MIN_YEAR <= next_year <= MAX_YEAR
                else ""
            ),
            "has_prev": prev_year >= MIN_YEAR,
            "has_next": next_year <= MAX_YEAR,
            "prev_month": date(prev_year, prev_month, 1) if prev_year >= MIN_YEAR else None,
            "next_month": date(next_year, next_month, 1) if next_year <= MAX_YEAR else None,
            "month_param": month_param,
            "weekday_names": [
                _("maandag"),
                _("dinsdag"),
                _("woensdag"),
                _("donderdag"),
                _("vrijdag"),
                _("zaterdag"),
                _("zondag"),
            ],
        }
    )
    return TemplateResponse(request, "events/event_index_month.html", context)


def agenda_archive(request, index_page):
    filters = AgendaFilters(request, index_page)
    now = timezone.now()
    if filters.month:
        year, month = filters.month
        next_year, next_month = add_months(year, month, 1)
        window_start = local_midnight(date(year, month, 1))
        window_end = min(now, local_midnight(date(next_year, next_month, 1)))
    else:
        window_start = now - timedelta(days=365)
        window_end = now
    occurrences = []
    if window_start < window_end:
        occurrences = occurrences_between(
            request.user,
            window_start,
            window_end,
            locale=index_page.locale,
            request=request,
            **filters.query_kwargs(),
        )
        occurrences = [o for o in occurrences if o.end <= now]
        occurrences.reverse()
        occurrences = occurrences[:MAX_LIST]
    context = _base_context(request, index_page, filters, "archive")
    context["occurrences"] = occurrences
    return TemplateResponse(request, "events/event_index_archive.html", context)


def agenda_print(request, index_page):
    filters = AgendaFilters(request, index_page)
    try:
        weeks = int(request.GET.get("weken", "4"))
    except ValueError:
        weeks = 4
    weeks = min(max(weeks, 1), 12)
    now = timezone.now()
    occurrences = occurrences_between(
        request.user,
        now,
        now + timedelta(weeks=weeks),
        locale=index_page.locale,
        request=request,
        limit=MAX_LIST,
        **filters.query_kwargs(),
    )
    context = _base_context(request, index_page, filters, "print")
    context.update(
        {"occurrences": occurrences, "weeks": weeks, "printed_at": timezone.localtime(now)}
    )
    return TemplateResponse(request, "events/event_index_print.html", context)


def _ics_response(content, filename):
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, max-age=300"
    return response


def agenda_feed(request, index_page, category_slug=None):
    """The subscribable feed: every series visible to the requester that is not long over."""
    queryset = events_queryset(request.user, locale=index_page.locale).filter(
        series_end__gte=timezone.now() - timedelta(days=31)
    )
    name = index_page.title
    if category_slug:
        category = EventCategory.objects.filter(
            locale_id=index_page.locale_id, slug=category_slug
        ).first()
        if category is None:
            raise Http404(_("Deze soort activiteit bestaat niet."))
        # Untranslated events keep their Dutch category: the same kind in every language.
        queryset = queryset.filter(category__translation_key=category.translation_key)
        name = f"{index_page.title} – {category.name}"
    events = attach_exceptions(list(queryset.order_by("start")))
    content = ical.calendar_for_events(
        events, name, lambda event: event.get_full_url(request) or ""
    )
    suffix = f"-{category_slug}" if category_slug else ""
    return _ics_response(content, f"{index_page.slug}{suffix}.ics")


def selected_date(request):
    value = request.GET.get("datum", "")
    try:
        return parse_date(value) if value else None
    except ValueError:
        return None


def upcoming_for(event, request, count=6, site=None):
    now = timezone.now()
    return event_occurrences(
        event, now, now + timedelta(days=400), request=request, limit=count, site=site
    )


def member_details(user):
    """A logged-in member signs up as themselves: name and e-mail filled in, still editable."""
    if not user.is_authenticated:
        return {}
    return {"name": user.get_full_name() or "", "email": user.email or ""}


def select_occurrence(event, occurrences, day, request=None, site=None):
    """The occurrence the page is about: the one of ``day`` (``?datum=``) when there is one,
    else the next one, else (a past event) the last one."""
    selected = None
    if day is not None:
        selected = next((o for o in occurrences if o.original_date == day), None)
        if selected is None:
            found = signup.find_occurrence(event, day)
            if found is not None:
                selected = event_occurrences(
                    event, found.start - timedelta(seconds=1), found.end, request, site=site
                )
                selected = next((o for o in selected if o.original_date == day), None)
    if selected is None:
        selected = occurrences[0] if occurrences else None
        if selected is None:  # a past event: show its last occurrence
            past = event_occurrences(
                event, event.start - timedelta(seconds=1), timezone.now(), request, site=site
            )
            selected = past[-1] if past else None
    return selected


def event_dates(event, site, day):
    """The next dates and the selected one, for the event page's shared body (no request:
    ``{% shared "event-page" %}``, keyed by the selected date the view found)."""
    occurrences = upcoming_for(event, None, site=site)
    return {
        "occurrences": occurrences,
        "selected": select_occurrence(
            event, occurrences, parse_date(day) if day else None, site=site
        ),
    }


def event_context(request, event, form=None, occurrences=None):
    now = timezone.now()
    occurrences = occurrences if occurrences is not None else upcoming_for(event, request)
    selected = select_occurrence(event, occurrences, selected_date(request), request)
    signup_occurrences = [o for o in occurrences if not o.is_cancelled and (o.start > now)]
    signup_open = event.signup_enabled and not event.is_cancelled and bool(signup_occurrences)
    if signup_open and not event.is_recurring and event.signup_deadline:
        signup_open = now < event.signup_deadline
    if form is None and signup_open:
        form = SignupForm(
            occurrences=signup_occurrences,
            max_per_signup=event.max_per_signup,
            initial={
                "datum": (
                    selected.original_date
                    if selected and selected in signup_occurrences
                    else signup_occurrences[0].original_date
                ).isoformat(),
                **member_details(request.user),
            },
        )
    return {
        "page": event,
        "self": event,
        "occurrences": occurrences,
        "selected": selected,
        # The page's body is shared per selected date (``event_dates``).
        "selected_day": selected.original_date.isoformat() if selected else "",
        "signup_open": signup_open,
        "form": form,
        "signup_url": f"{event.get_url(request)}aanmelden/",
        "ical_url": f"{event.get_url(request)}ical/",
        "jsonld": jsonld.for_event(event, selected, request) if selected else "",
    }


def personal(response):
    """Never store a page with a personal form or token in any cache (cms.page_cache included):
    its CSRF token and one-time form token belong to this visitor only."""
    add_never_cache_headers(response)
    patch_cache_control(response, private=True)
    return response


def event_detail(request, event):
    context = event_context(request, event)
    response = TemplateResponse(request, "events/event_page.html", context)
    return personal(response) if context["signup_open"] else response


def event_ical(request, event):
    content = ical.calendar_for_event(event, event.get_full_url(request) or "")
    return _ics_response(content, f"{event.slug}.ics")


def event_signup(request, event):
    occurrences = upcoming_for(event, request, count=12)
    now = timezone.now()
    signup_occurrences = [o for o in occurrences if not o.is_cancelled and o.start > now]
    template = "events/event_signup.html"
    if request.method != "POST":
        return personal(
            TemplateResponse(
                request, template, event_context(request, event, occurrences=occurrences)
            )
        )

    # Keep the submitted date even when it is no longer offered, so the refusal can say why.
    choices = list(signup_occurrences)
    posted_day = parse_date_safe(request.POST.get("datum", ""))
    if posted_day and all(o.original_date != posted_day for o in choices):
        found = signup.find_occurrence(event, posted_day)
        if found is not None:
            extra = event_occurrences(event, found.start - timedelta(seconds=1), found.end)
            choices += [o for o in extra if o.original_date == posted_day]
    form = SignupForm(request.POST, occurrences=choices, max_per_signup=event.max_per_signup)
    context = event_context(request, event, form=form, occurrences=occurrences)
    context["signup_open"] = True  # show the form again with the person's input
    if not form.is_valid():
        return personal(TemplateResponse(request, template, context, status=200))
    data = form.cleaned_data
    day = parse_date_safe(data["datum"])
    try:
        registration, created = signup.register(
            event,
            day,
            name=data["name"],
            email=data["email"],
            phone=data["phone"],
            number_of_people=data["number_of_people"],
            form_token=data["form_token"],
            language=translation.get_language() or "nl",
        )
    except signup.SignupRefused as refusal:
        if refusal.field and refusal.field in form.fields:
            form.add_error(refusal.field, refusal.message)
        else:
            form.add_error(None, refusal.message)
        return personal(TemplateResponse(request, template, context, status=200))
    if created:
        signup.send_confirmation(registration)
    occurrence = signup.find_occurrence(event, registration.occurrence_date)
    return personal(
        TemplateResponse(
            request,
            "events/signup_done.html",
            {
                "page": event,
                "self": event,
                "registration": registration,
                "start": timezone.localtime(occurrence.start) if occurrence else None,
                "ical_url": f"{event.get_url(request)}ical/",
            },
        )
    )


def parse_date_safe(value):
    try:
        return parse_date(value or "")
    except ValueError:
        return None


def cancel_registration(request, token):
    registration = signup.registration_from_token(token)
    if registration is None:
        return personal(render(request, "events/cancel_invalid.html", status=404))
    event = registration.event.specific
    occurrence = signup.find_occurrence(event, registration.occurrence_date)
    context = {
        "registration": registration,
        "event": event,
        "start": timezone.localtime(occurrence.start) if occurrence else None,
        "event_url": event.get_url(request),
        "done": False,
    }
    if request.method == "POST" and registration.is_active:
        signup.cancel(registration)
        registration.refresh_from_db()
        context["done"] = True
        if event.capacity is not None:
            context["places_left"] = max(
                event.capacity - signup.places_taken(event, registration.occurrence_date), 0
            )
    return personal(render(request, "events/cancel.html", context))
