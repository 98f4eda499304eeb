"""What one subscriber reads in an issue: the sections, resolved with that subscriber's rights.

Privacy follows the site's own rules (``home.privacy``): a subscriber with a member account sees
what that member may see on the website; everyone else sees public content only. On top of that,
pages and events of OTHER binnenbuurten are always left out (also for a member who happens to be an
editor), so a member of binnenbuurt A never gets B's news in the newsletter.

Sections are composed once per *audience* (language, member or not, binnenbuurt, groups) and then
reused for every subscriber of that audience; composing costs a fixed number of queries (one or
two per section, never one per item), which ``tests/bench/bench_newsletter.py`` measures.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.contrib.auth.models import AnonymousUser, Group
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from wagtail.models import Locale, Page

from events.listings import attach_exceptions, events_queryset, occurrences_between
from events.models import EventPage
from home import privacy
from home.text import html_to_line
from kennisbank.models import KennisbankItemPage
from members_area.burenhulp.listings import describe, newsletter_posts
from members_area.models import BinnenbuurtNewsPage, BinnenbuurtPage, MembersAreaPage

from .blocks import SectionKind
from .models import Dispatch
from .urls_util import absolute_reverse, absolute_url

DEFAULT_PERIOD = timedelta(days=31)
DEFAULT_HEADINGS = {
    SectionKind.NEWS: _("Nieuws voor leden"),
    SectionKind.KENNISBANK: _("Nieuw in de kennisbank"),
    SectionKind.EVENTS: _("Activiteiten in de komende weken"),
}


@dataclass
class Item:
    title: str
    url: str
    summary: str = ""
    meta: str = ""  # a date, time and place line
    image_url: str = ""
    image_alt: str = ""


@dataclass
class Section:
    kind: str  # automatic kinds, or "text", "link", "pages"
    heading: str
    items: list = field(default_factory=list)
    events: list = field(default_factory=list)  # the binnenbuurt section has both
    html: str = ""  # text sections
    members_only: bool = False

    @property
    def is_empty(self):
        return not (self.items or self.events or self.html)


@dataclass(frozen=True)
class Audience:
    user: object
    language: str
    binnenbuurt: object = None

    @property
    def is_member(self):
        return bool(self.user is not None and self.user.is_authenticated)

    @property
    def key(self):
        """Readers with the same key get the same sections: what they may see
        (``home.privacy.audience``), their language and their own binnenbuurt."""
        if not self.is_member:
            return (self.language, "public")
        return (
            self.language,
            self.binnenbuurt.pk if self.binnenbuurt else None,
            privacy.audience(self.user),
        )


def audience_for(subscriber, language=None):
    """Members (an active account with a member profile) read as members; others as the public.

    ``language`` is the issue's language (the e-mail is in one language throughout, so its
    ``lang`` attribute is right). Expects ``user__member__binnenbuurt`` selected and
    ``user__groups`` prefetched when used in bulk (see ``subscribers_for_rendering``).
    """
    language = language or subscriber.language
    user = subscriber.user
    member = getattr(user, "member", None) if user is not None else None
    if user is None or not user.is_active or member is None:
        return Audience(user=AnonymousUser(), language=language)
    return Audience(user=user, language=language, binnenbuurt=member.binnenbuurt)


def subscribers_for_rendering(queryset):
    return queryset.select_related("user__member__binnenbuurt").prefetch_related("user__groups")


def previous_issue_start(newsletter, before):
    previous = (
        Dispatch.objects.filter(
            status__in=[Dispatch.Status.SENDING, Dispatch.Status.SENT],
            started_at__lt=before,
            newsletter__locale_id=newsletter.locale_id,
        )
        .exclude(newsletter_id=newsletter.pk)
        .order_by("-started_at")
        .values_list("started_at", flat=True)
        .first()
    )
    return previous


def issue_period(newsletter):
    """(start, end): what was published since the last sent issue, up to the send of this one."""
    dispatch = newsletter.dispatch_or_none
    end = dispatch.started_at if dispatch and dispatch.started_at else timezone.now()
    if dispatch and dispatch.period_start:
        return dispatch.period_start, end
    start = previous_issue_start(newsletter, end) or (end - DEFAULT_PERIOD)
    return start, end


def _local_datetime(value, all_day=False):
    value = timezone.localtime(value)
    if all_day:
        return formats.date_format(value, "l j F Y")
    return formats.date_format(value, "l j F Y, H:i")


def _summary(page, fallback_html=""):
    text = getattr(page, "listing_summary", "") or getattr(page, "search_description", "")
    if not text and fallback_html:
        text = html_to_line(fallback_html)
    return Truncator(text.strip()).words(40)


class Composer:
    """Resolves the sections of one issue for any number of subscribers.

    Page-tree facts that do not depend on the reader (the member home, the binnenbuurt sections)
    are read once; each audience's sections are composed once and cached.
    """

    def __init__(self, newsletter):
        self.newsletter = newsletter
        self.period_start, self.period_end = issue_period(newsletter)
        # Events from the moment of sending (for a draft: now), also in the archived version.
        self.events_from = self.period_end
        self._cache = {}
        self._locales = {locale.language_code: locale for locale in Locale.objects.all()}
        self._binnenbuurt_sections = None
        self._member_homes = None

    # -- facts shared by all audiences ---------------------------------------------------------

    @property
    def binnenbuurt_sections(self):
        """[(binnenbuurt_id, path)] of every binnenbuurt page, in all languages."""
        if self._binnenbuurt_sections is None:
            self._binnenbuurt_sections = list(
                BinnenbuurtPage.objects.values_list("binnenbuurt_id", "path")
            )
        return self._binnenbuurt_sections

    @property
    def member_homes(self):
        if self._member_homes is None:
            self._member_homes = list(MembersAreaPage.objects.live().values_list("path", flat=True))
        return self._member_homes

    def locale_for(self, audience):
        return self._locales.get(audience.language) or self._locales.get(
            self.newsletter.locale.language_code
        )

    def in_period(self, date_field):
        """Published since the previous issue. Pages created live by code (imports) have no
        ``first_published_at``; for those the page's own date field decides."""
        start_day = timezone.localdate(self.period_start)
        end_day = timezone.localdate(self.period_end)
        return Q(
            first_published_at__gte=self.period_start, first_published_at__lt=self.period_end
        ) | Q(
            **{
                "first_published_at__isnull": True,
                f"{date_field}__gte": start_day,
                f"{date_field}__lte": end_day,
            }
        )

    # -- privacy ---------------------------------------------------------------------------------

    def hidden_filter(self, audience):
        """Q of pages the audience must not get: what ``home.privacy`` denies them and, on top of
        that, other binnenbuurten's sections (an administrator who is a member reads as one)."""
        hidden = privacy.hidden_q(privacy.denied_paths(audience.user))
        own_id = audience.binnenbuurt.pk if audience.binnenbuurt else None
        for binnenbuurt_id, path in self.binnenbuurt_sections:
            if binnenbuurt_id != own_id:
                hidden |= Q(path__startswith=path)
        return hidden

    def visible(self, queryset, context):
        queryset = queryset.live()
        if context["hidden"]:
            queryset = queryset.exclude(context["hidden"])
        return queryset

    # -- composing -------------------------------------------------------------------------------

    def sections_for(self, audience, include_binnenbuurt=True):
        key = (audience.key, include_binnenbuurt)
        if key not in self._cache:
            self._cache[key] = self._compose(audience, include_binnenbuurt)
        return self._cache[key]

    def _compose(self, audience, include_binnenbuurt):
        context = {
            "audience": audience,
            "locale": self.locale_for(audience),
            "hidden": self.hidden_filter(audience),
        }
        blocks = list(self.newsletter.body)
        has_binnenbuurt_block = any(
            block.block_type == "automatic" and block.value["kind"] == SectionKind.BINNENBUURT
            for block in blocks
        )
        sections = []
        if include_binnenbuurt and audience.binnenbuurt and not has_binnenbuurt_block:
            # Members always get their own binnenbuurt's section, first, like on "Mijn stadsdorp".
            sections.append(self.binnenbuurt_section(context, {"max_items": 5, "weeks": 4}))
        for block in blocks:
            section = self.resolve_block(block, context, include_binnenbuurt)
            if section is not None and not section.is_empty:
                sections.append(section)
        return [section for section in sections if section is not None and not section.is_empty]

    def resolve_block(self, block, context, include_binnenbuurt=True):
        value = block.value
        if block.block_type == "automatic":
            kind = value["kind"]
            if kind == SectionKind.BINNENBUURT:
                return self.binnenbuurt_section(context, value) if include_binnenbuurt else None
            section = {
                SectionKind.NEWS: self.news_section,
                SectionKind.KENNISBANK: self.kennisbank_section,
                SectionKind.EVENTS: self.events_section,
            }[kind](context, value)
            if section is not None and value.get("heading"):
                section.heading = value["heading"]
            return section
        if block.block_type == "text":
            return Section(kind="text", heading=value["heading"], html=str(value["text"]))
        if block.block_type == "link":
            return Section(
                kind="link",
                heading=value["title"],
                items=[Item(title=value["title"], url=value["url"], summary=value["description"])],
            )
        if block.block_type == "pages":
            return self.pages_section(context, value)
        return None

    def _news_items(self, context, parent_paths, limit):
        if not parent_paths:
            return []
        under = Q()
        for path in parent_paths:
            under |= Q(path__startswith=path)
        queryset = BinnenbuurtNewsPage.objects.filter(under).filter(self.in_period("date"))
        return self._news_page_items(context, queryset, limit)

    def _news_page_items(self, context, queryset, limit):
        queryset = (
            queryset.select_related("image")
            .prefetch_related("image__renditions")
            .order_by("-date", "-first_published_at")
        )
        items = []
        for page in self.visible(queryset, context)[:limit]:
            item = Item(
                title=page.title,
                url=absolute_url(page.get_url()),
                summary=_summary(page, page.body),
                meta=formats.date_format(page.date, "j F Y"),
            )
            if page.image_id:
                rendition = page.image.get_rendition("width-560")
                item.image_url = absolute_url(rendition.url)
                item.image_alt = page.image_description or ""
            items.append(item)
        return items

    def news_section(self, context, value):
        """Member-wide news: the news items directly under the member home."""
        if not context["audience"].is_member:
            return None
        return Section(
            kind=SectionKind.NEWS,
            heading=str(DEFAULT_HEADINGS[SectionKind.NEWS]),
            items=self._general_news(context, value["max_items"]),
            members_only=True,
        )

    def _general_news_queryset(self):
        """News pages that are children of a member home (not inside a binnenbuurt section)."""
        children = Q(pk__in=[])
        for path in self.member_homes:
            children |= Q(path__startswith=path, depth=len(path) // Page.steplen + 1)
        return BinnenbuurtNewsPage.objects.filter(children).filter(self.in_period("date"))

    def _general_news(self, context, limit):
        return self._news_page_items(context, self._general_news_queryset(), limit)

    def kennisbank_section(self, context, value):
        queryset = KennisbankItemPage.objects.filter(
            self.in_period("publication_date"), locale=context["locale"]
        ).order_by("-publication_date", "-first_published_at", "-pk")
        items = [
            Item(
                title=page.title,
                url=absolute_url(page.get_url()),
                summary=_summary(page),
                meta=(
                    formats.date_format(page.publication_date, "j F Y")
                    if getattr(page, "publication_date", None)
                    else ""
                ),
            )
            for page in self.visible(queryset, context)[: value["max_items"]]
        ]
        return Section(
            kind=SectionKind.KENNISBANK,
            heading=str(DEFAULT_HEADINGS[SectionKind.KENNISBANK]),
            items=items,
        )

    def _event_items(self, context, queryset, limit, weeks):
        window_end = self.events_from + timedelta(weeks=weeks)
        occurrences = occurrences_between(
            context["audience"].user,
            self.events_from,
            window_end,
            queryset=queryset,
            limit=limit,
        )
        items = []
        for occurrence in occurrences:
            meta = _local_datetime(occurrence.start, occurrence.all_day)
            location = getattr(occurrence.event, "location", None)
            if occurrence.event.location_id and location is not None:
                meta = f"{meta} – {location.name}"
            if occurrence.is_cancelled:
                cancelled = _("GEANNULEERD")
                meta = f"{meta} – {cancelled}"
            items.append(
                Item(
                    title=occurrence.event.title,
                    url=absolute_url(occurrence.url),
                    summary=_summary(occurrence.event),
                    meta=meta,
                )
            )
        return items

    def _events_queryset(self, context):
        queryset = events_queryset(context["audience"].user, locale=context["locale"])
        if context["hidden"]:
            queryset = queryset.exclude(context["hidden"])
        own = context["audience"].binnenbuurt
        own_group = own.members_group_id if own else None
        return queryset.exclude(
            Q(audience=EventPage.Audience.BINNENBUURT) & ~Q(audience_group_id=own_group)
        )

    def events_section(self, context, value):
        queryset = self._events_queryset(context).exclude(audience=EventPage.Audience.BINNENBUURT)
        items = self._event_items(context, queryset, value["max_items"], value.get("weeks") or 4)
        return Section(
            kind=SectionKind.EVENTS, heading=str(DEFAULT_HEADINGS[SectionKind.EVENTS]), items=items
        )

    def binnenbuurt_section(self, context, value):
        binnenbuurt = context["audience"].binnenbuurt
        if binnenbuurt is None:
            return None
        own_paths = [path for bb_id, path in self.binnenbuurt_sections if bb_id == binnenbuurt.pk]
        news = self._news_items(context, own_paths, value.get("max_items") or 5)
        events = []
        if binnenbuurt.members_group_id:
            queryset = self._events_queryset(context).filter(
                audience=EventPage.Audience.BINNENBUURT,
                audience_group_id=binnenbuurt.members_group_id,
            )
            events = self._event_items(
                context, queryset, value.get("max_items") or 5, value.get("weeks") or 4
            )
        # Open help requests and offers of the binnenbuurt (and stadsdorp-wide ones) after the news.
        news += [
            Item(
                title=post.title,
                url=absolute_reverse(
                    "burenhulp:detail", context["audience"].language, kwargs={"post_id": post.pk}
                ),
                meta=describe(post),
            )
            for post in newsletter_posts(binnenbuurt, value.get("max_items") or 5)
        ]
        heading = value.get("heading") or _("Uit uw binnenbuurt %(name)s") % {
            "name": binnenbuurt.name
        }
        return Section(
            kind=SectionKind.BINNENBUURT,
            heading=str(heading),
            items=news,
            events=events,
            members_only=True,
        )

    def pages_section(self, context, value):
        """Hand-picked pages, kept in the editor's order, minus what this reader may not see."""
        chosen = [(child["page"], child["note"]) for child in value["pages"] if child["page"]]
        if not chosen:
            return None
        ids = [page.pk for page, _note in chosen]
        visible_ids = set(
            self.visible(Page.objects.filter(pk__in=ids), context).values_list("pk", flat=True)
        )
        specific = {page.pk: page for page in Page.objects.filter(pk__in=visible_ids).specific()}
        event_ids = [pk for pk, page in specific.items() if isinstance(page, EventPage)]
        next_dates = {}
        if event_ids:
            events = _with_exceptions(list(self._events_queryset(context).filter(pk__in=event_ids)))
            for item_event in events:
                upcoming = item_event.raw_occurrences(
                    self.events_from, self.events_from + timedelta(days=400)
                )
                if upcoming:
                    next_dates[item_event.pk] = _local_datetime(
                        upcoming[0].start, item_event.all_day
                    )
            # An event of another binnenbuurt is filtered out by _events_queryset.
            for pk in event_ids:
                if pk not in {event.pk for event in events}:
                    specific.pop(pk, None)
        items = []
        for page, note in chosen:
            target = specific.get(page.pk)
            if target is None:
                continue
            items.append(
                Item(
                    title=target.title,
                    url=absolute_url(target.get_url()),
                    summary=note or _summary(target),
                    meta=next_dates.get(target.pk, ""),
                )
            )
        return Section(kind="pages", heading=value["heading"], items=items)

    def snapshot_pages(self, value, context):
        kind = value["kind"]
        if kind == SectionKind.NEWS:
            queryset = self._general_news_queryset()
            return list(self.visible(queryset, context).order_by("-date")[: value["max_items"]])
        if kind == SectionKind.KENNISBANK:
            queryset = KennisbankItemPage.objects.filter(
                self.in_period("publication_date"), locale=context["locale"]
            )
            return list(
                self.visible(queryset, context).order_by("-publication_date")[: value["max_items"]]
            )
        if kind == SectionKind.EVENTS:
            queryset = self._events_queryset(context).exclude(
                audience=EventPage.Audience.BINNENBUURT
            )
            occurrences = occurrences_between(
                context["audience"].user,
                self.events_from,
                self.events_from + timedelta(weeks=value.get("weeks") or 4),
                queryset=queryset,
            )
            pages, seen = [], set()
            for occurrence in occurrences:
                if occurrence.event.pk not in seen:
                    seen.add(occurrence.event.pk)
                    pages.append(occurrence.event)
            return pages[: value["max_items"]]
        return []


def _with_exceptions(events):
    """Load the recurrence exceptions of all events at once (not one query per event)."""
    return attach_exceptions(events)


def public_sections(newsletter):
    """What the web archive shows: the sections as an anonymous reader gets them."""
    composer = Composer(newsletter)
    audience = Audience(user=AnonymousUser(), language=newsletter.locale.language_code)
    return composer.sections_for(audience, include_binnenbuurt=False)


def paper_sections(newsletter):
    """The printed edition, handed to members without e-mail: what every member may read
    (public and member-wide content), without any one binnenbuurt's news, because the same paper
    goes to every binnenbuurt."""
    composer = Composer(newsletter)
    audience = Audience(user=_PlainMember(), language=newsletter.locale.language_code)
    return composer.sections_for(audience, include_binnenbuurt=False)


def snapshot_body(newsletter):
    """The body with each automatic section (except the per-reader binnenbuurt one) replaced by
    a page list of what it holds right now, so editors can trim and reorder it by hand.

    The snapshot is taken with the widest public-plus-members view that is still safe: page lists
    are filtered per reader when the e-mail is rendered, so a members-only page in a list is only
    shown to members.
    """
    composer = Composer(newsletter)
    # A "plain member" without a binnenbuurt: sees public and member-wide content only.
    audience = Audience(user=_PlainMember(), language=newsletter.locale.language_code)
    context = {
        "audience": audience,
        "locale": newsletter.locale,
        "hidden": composer.hidden_filter(audience),
    }
    new_body = []
    for block in newsletter.body:
        if block.block_type == "automatic" and block.value["kind"] != SectionKind.BINNENBUURT:
            pages = composer.snapshot_pages(block.value, context)
            heading = block.value.get("heading") or str(DEFAULT_HEADINGS[block.value["kind"]])
            new_body.append(
                (
                    "pages",
                    {
                        "heading": heading,
                        "pages": [{"page": page, "note": ""} for page in pages],
                    },
                )
            )
        else:
            new_body.append((block.block_type, block.value))
    return new_body


class _PlainMember(AnonymousUser):
    """Logged in, in no groups: passes LOGIN restrictions only (member-wide content)."""

    @property
    def is_authenticated(self):
        return True

    @property
    def is_anonymous(self):
        return False

    @property
    def groups(self):
        return Group.objects.none()
