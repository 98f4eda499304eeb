"""Occurrences of visible events in a time window: the one query path for every list.

The agenda, the month calendar, the feeds, the home page and the member area all use
``occurrences_between``/``upcoming_occurrences``. The number of SQL queries is constant: the events
whose series overlap the window (one query, with location and category joined), their exceptions
(one prefetch), the confirmed places per occurrence (one aggregate) and the view restrictions
(``home.privacy``).
"""

import copy
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Exists, OuterRef, Q, Sum
from django.utils import timezone

from wagtail.models import Locale

from cms import sites
from cms.page_cache import depends_on
from home.caching import cached
from home.privacy import audience, visible_pages

from .models import EventCategory, EventException, EventPage, Registration


@dataclass
class Occurrence:
    event: EventPage
    start: datetime
    end: datetime
    original_date: object
    all_day: bool = False
    is_cancelled: bool = False
    is_full: bool = False
    places_taken: int = 0
    moved_from: datetime | None = None
    note: str = ""
    request: object = None
    # In a shared fragment (no request): the site whose pages get a relative address.
    site: object = None
    extra: dict = field(default_factory=dict)

    @property
    def base_url(self):
        """The event's URL, computed on first use (lists that do not show links skip it)."""
        cached = getattr(self.event, "_listing_url", None)
        if cached is None:
            cached = self.event._listing_url = (
                self.event.get_url(request=self.request, current_site=self.site) or ""
            )
        return cached

    @property
    def url(self):
        if not self.base_url:
            return ""
        if self.event.is_recurring:
            return f"{self.base_url}?datum={self.original_date.isoformat()}"
        return self.base_url

    @property
    def places_left(self):
        if self.event.capacity is None:
            return None
        return max(self.event.capacity - self.places_taken, 0)

    @property
    def cancellation_reason(self):
        if self.event.is_cancelled:
            return self.event.cancellation_reason
        return self.note if self.is_cancelled else ""

    @property
    def local_start(self):
        return timezone.localtime(self.start)

    @property
    def local_end(self):
        return timezone.localtime(self.end)

    @property
    def has_end_time(self):
        """False when only a start was given (a member's posted activity without an end time)."""
        return self.end > self.start

    @property
    def is_multi_day(self):
        return self.local_start.date() != self.local_end.date()


def events_queryset(user, locale=None, only_group=None):
    """Live events this user may see, in the locale (falling back to untranslated Dutch ones)."""
    queryset = visible_pages(EventPage.objects.all(), user)
    if locale is not None:
        default_locale = sites.default_locale()
        if locale.pk == default_locale.pk:
            queryset = queryset.filter(locale=locale)
        else:
            # Events that were not translated appear in their original language.
            translated = EventPage.objects.filter(
                locale=locale, translation_key=OuterRef("translation_key")
            )
            queryset = queryset.filter(
                Q(locale=locale) | (Q(locale=default_locale) & ~Exists(translated))
            )
    if only_group is not None:
        queryset = queryset.filter(
            audience=EventPage.Audience.BINNENBUURT, audience_group=only_group
        )
    return queryset.select_related("location", "category")


def attach_exceptions(events):
    """Fetch the exceptions of all recurring events in one query (one-off events have none)."""
    recurring = {event.pk: event for event in events if event.frequency}
    for event in events:
        event._attached_exceptions = []
    if recurring:
        for exception in EventException.objects.filter(page_id__in=list(recurring)).order_by(
            "date"
        ):
            recurring[exception.page_id]._attached_exceptions.append(exception)
    return events


def localise(events, locale):
    """Untranslated events in another locale's list: their kind in that locale's words, and a
    mark that the event itself is in its own language. In memory only; one query at most."""
    if locale is None:
        return events
    keys = {
        event.category.translation_key
        for event in events
        if event.category_id and event.category.locale_id != locale.pk
    }
    categories = {}
    if keys:
        categories = {
            category.translation_key: category
            for category in EventCategory.objects.filter(locale=locale, translation_key__in=keys)
        }
    for event in events:
        event.in_other_language = event.locale_id != locale.pk
        if event.category_id and event.category.translation_key in categories:
            event.category = categories[event.category.translation_key]
    return events


def occurrences_between(
    user,
    window_start,
    window_end,
    locale=None,
    only_group=None,
    category_slug=None,
    stadsdorp_slug=None,
    request=None,
    queryset=None,
    limit=None,
    site=None,
):
    """Every occurrence (cancelled ones included) overlapping [window_start, window_end)."""
    if queryset is not None:
        events = window_events(
            queryset, window_start, window_end, locale, category_slug, stadsdorp_slug
        )
    else:
        events = shared_window_events(
            user, window_start, window_end, locale, only_group, category_slug, stadsdorp_slug
        )
    return decorate(events, window_start, window_end, request=request, limit=limit, site=site)


def window_events(queryset, window_start, window_end, locale, category_slug, stadsdorp_slug):
    """The events of ``queryset`` whose series overlap the window, with their exceptions."""
    queryset = queryset.filter(start__lt=window_end, series_end__gt=window_start)
    if category_slug:
        queryset = queryset.filter(category__slug=category_slug)
    if stadsdorp_slug:
        queryset = queryset.filter(stadsdorp__slug=stadsdorp_slug)
    return localise(attach_exceptions(list(queryset.order_by("start"))), locale)


def shared_window_events(
    user, window_start, window_end, locale, only_group, category_slug, stadsdorp_slug
):
    """``window_events`` of the events this user may see, once per content generation, audience
    and minute (``home.caching.cached``): the same for every visitor of the agenda, the home
    page's and the member home's lists within a minute, and three queries and their SQL
    compilation each time (the largest cost of an uncached agenda). The window is widened to
    whole minutes; ``decorate`` keeps the occurrences of the exact window. A copy of each event
    for every caller: a list remembers its URL on it."""
    start = window_start.replace(second=0, microsecond=0)
    end = window_end.replace(second=0, microsecond=0) + timedelta(minutes=1)
    parts = (
        "window-events",
        start.isoformat(),
        end.isoformat(),
        getattr(locale, "pk", None),
        getattr(only_group, "pk", only_group),
        category_slug or "",
        stadsdorp_slug or "",
        audience(user),
    )

    def build():
        queryset = events_queryset(user, locale=locale, only_group=only_group)
        return window_events(queryset, start, end, locale, category_slug, stadsdorp_slug)

    return [copy.copy(event) for event in cached(parts, build)]


def decorate(events, window_start, window_end, request=None, limit=None, site=None):
    """Expand each event and attach what a list needs (URL, fullness) without extra queries."""
    occurrences = []
    for event in events:
        for raw in event.raw_occurrences(window_start, window_end):
            occurrences.append((event, raw))
    occurrences.sort(key=lambda pair: (pair[1].start, pair[0].title))
    if limit is not None:
        occurrences = occurrences[:limit]

    capacity_events = {event.pk for event, _raw in occurrences if event.capacity is not None}
    taken = {}
    if capacity_events:
        # A sign-up changes the places left: cached copies of this list go with it
        # (cms.page_cache.TAGGED_MODELS), nothing else does.
        depends_on(*(f"event:{pk}" for pk in sorted(capacity_events)))
        rows = (
            Registration.objects.filter(
                event_id__in=capacity_events, status=Registration.Status.CONFIRMED
            )
            .values("event_id", "occurrence_date")
            .annotate(total=Sum("number_of_people"))
        )
        taken = {(row["event_id"], row["occurrence_date"]): row["total"] for row in rows}

    result = []
    for event, raw in occurrences:
        places_taken = taken.get((event.pk, raw.original_date), 0)
        result.append(
            Occurrence(
                event=event,
                start=raw.start,
                end=raw.end,
                original_date=raw.original_date,
                all_day=event.all_day,
                is_cancelled=raw.is_cancelled or event.is_cancelled,
                is_full=event.capacity is not None and places_taken >= event.capacity,
                places_taken=places_taken,
                moved_from=raw.moved_from,
                note=raw.note,
                request=request,
                site=site,
            )
        )
    return result


def upcoming_occurrences(
    user, locale=None, limit=3, days=90, only_group=None, start=None, request=None
):
    """The next ``limit`` occurrences of events this user may see, within ``days`` days.

    ``locale=None`` means the active language's locale. Used by the home page and member area.
    """
    if locale is None:
        try:
            locale = Locale.get_active()
        except Locale.DoesNotExist:
            locale = None
    window_start = start or timezone.now()
    window_end = window_start + timedelta(days=days)
    return occurrences_between(
        user,
        window_start,
        window_end,
        locale=locale,
        only_group=only_group,
        request=request,
        limit=limit,
    )


def event_occurrences(event, window_start, window_end, request=None, limit=None, site=None):
    """The occurrences of one event (for its page), with fullness."""
    return decorate([event], window_start, window_end, request=request, limit=limit, site=site)
