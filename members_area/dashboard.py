"""What "Mijn stadsdorp" and a binnenbuurt page show, with a fixed number of queries.

Every list is one sliced query (plus one rendition prefetch where images show), so the number of
queries does not grow with news items, events, documents or binnenbuurten; the benchmark in
tests/bench/bench_members.py checks that.
"""

from django.contrib.auth.models import Group
from django.db.models import Prefetch

from wagtail.documents import get_document_model

from cms import sites
from cms.page_cache import LocalMemo
from events.listings import upcoming_occurrences
from home.privacy import visible_pages

from .membership import permissions as membership_permissions
from .models import Binnenbuurt, BinnenbuurtNewsPage, BinnenbuurtPage, Member

NEWS_LIMIT = 5
DOCUMENTS_LIMIT = 8
EVENTS_LIMIT = 5


def _upcoming(user, locale, group=None, limit=EVENTS_LIMIT):
    return list(upcoming_occurrences(user, locale=locale, limit=limit, only_group=group))


def general_events(user, locale, limit=EVENTS_LIMIT):
    """Events for everyone or all members; binnenbuurt events show in their own block only."""
    occurrences = _upcoming(user, locale, limit=limit * 3)
    return [
        occurrence
        for occurrence in occurrences
        if getattr(occurrence.event, "audience", "") != "binnenbuurt"
    ][:limit]


def news_items(user, parent, limit=NEWS_LIMIT):
    queryset = (
        BinnenbuurtNewsPage.objects.child_of(parent)
        .select_related("image")
        .prefetch_related(
            Prefetch("image__renditions"),
        )
        .order_by("-date", "-first_published_at")
    )
    return list(visible_pages(queryset, user)[:limit])


def documents_of(binnenbuurt, limit=DOCUMENTS_LIMIT):
    if binnenbuurt is None or binnenbuurt.collection_id is None:
        return []
    return list(
        get_document_model()
        .objects.filter(collection_id=binnenbuurt.collection_id)
        .order_by("-created_at")[:limit]
    )


def section_of(binnenbuurt, locale):
    """The binnenbuurt's page in the visitor's language, else the original (usually Dutch)."""
    if binnenbuurt is None:
        return None
    pages = list(BinnenbuurtPage.objects.live().filter(binnenbuurt=binnenbuurt).order_by("path"))
    for page in pages:
        if page.locale_id == locale.pk:
            return page
    return pages[0] if pages else None


# Per member and content generation, in this process: a member's binnenbuurt, stadsdorp and roles
# change only with writes to followed models (members, binnenbuurten, the membership settings:
# cms.page_cache.FOLLOWED_MODELS), which start a new generation. A few hundred bytes each.
_audiences = LocalMemo(5000)


def _audience_of(user):
    """(binnenbuurt id, stadsdorp id, is contact person, (applications, contributions) or None)
    from one query; the roles for a member without a binnenbuurt from one more."""
    row = (
        Binnenbuurt.of_member(user)
        .annotate(**membership_permissions.role_annotations(user))
        .values_list(
            "pk", "stadsdorp_id", "coordinator_id", "stand_in_id", "_coordinates", "_treasurer"
        )
        .first()
    )
    if row is None:
        if user.is_superuser:  # may see every screen: asked the long way (administration_links)
            return (None, None, False, None)
        coordinates, treasurer, contact = membership_permissions.role_flags(user)
        return (None, None, False, (coordinates or contact, coordinates or treasurer))
    binnenbuurt_id, stadsdorp_id, coordinator_id, stand_in_id, coordinates, treasurer = row
    is_contact = user.pk in (coordinator_id, stand_in_id)
    roles = None if user.is_superuser else (coordinates or is_contact, coordinates or treasurer)
    return (binnenbuurt_id, stadsdorp_id, is_contact, roles)


def dashboard_audience(user):
    """(binnenbuurt id, its stadsdorp's id, is one of its contact persons): what the member home
    shows besides the pages the member's groups may see. Read once per content generation and
    member in this process (a query with two role subqueries, a fifth of a member home request),
    and remembered on the user object. The stadsdorp follows from the binnenbuurt, so keying by
    it shares nothing less; it spares the shared block's burenhulp list a query of its own."""
    memo = getattr(user, "_dashboard_audience", None)
    if memo is None:
        audience_row = (None, None, False, None)
        if user.is_authenticated:
            audience_row = sites.kept_for_generation(
                (user.pk, user.is_superuser), lambda: _audience_of(user), _audiences
            )
        binnenbuurt_id, stadsdorp_id, is_contact, roles = audience_row
        memo = (binnenbuurt_id, stadsdorp_id, is_contact)
        user._dashboard_audience = memo
        if roles is not None:
            user._administration_links = membership_permissions.administration_links(
                applications=roles[0], contributions=roles[1]
            )
    return memo


def administration_links(user):
    """The member's links to the membership administration (none for most members): from the
    member home's memo of its query, else (a superuser) asked separately."""
    dashboard_audience(user)
    links = getattr(user, "_administration_links", None)
    if links is None:
        links = membership_permissions.administration_links_of(user)
        user._administration_links = links
    return links


def dashboard_context(page, request):
    """What "Mijn stadsdorp" needs per request: which binnenbuurt (and stadsdorp), and whether as
    a contact person. Everything else is built in a shared fragment keyed by these
    (``shared_dashboard``)."""
    binnenbuurt_id, stadsdorp_id, is_contact = dashboard_audience(request.user)
    return {
        "binnenbuurt_id": binnenbuurt_id,
        "stadsdorp_id": stadsdorp_id,
        "is_contact_person": is_contact,
        "administration_links": administration_links(request.user),
    }


def shared_dashboard(page, binnenbuurt_id, is_contact, viewer):
    """The member home's lists, the same for every member with this binnenbuurt, contact-person
    role and audience (``viewer``: home.privacy.Viewer, no personal data)."""
    binnenbuurt = None
    if binnenbuurt_id is not None:
        binnenbuurt = (
            Binnenbuurt.objects.select_related(
                "coordinator__member", "stand_in__member", "stadsdorp"
            )
            .filter(pk=binnenbuurt_id)
            .first()
        )
    # The locales from this process's memory (cms.sites): a query each otherwise, on every build.
    locale = sites.locale_by_pk(page.locale_id) or page.locale
    section = section_of(binnenbuurt, locale)
    members_group = (
        Group(pk=binnenbuurt.members_group_id, name="")
        if binnenbuurt and binnenbuurt.members_group_id
        else None
    )
    # Member-wide news lives under the Dutch member home; translations share its tree position.
    news_root = page
    default_locale = sites.default_locale()
    if page.locale_id != default_locale.pk:
        news_root = page.get_translation_or_none(default_locale) or page
    contacts = []
    if binnenbuurt:
        for role, contact in (
            ("coordinator", binnenbuurt.coordinator),
            ("stand_in", binnenbuurt.stand_in),
        ):
            if contact is not None:
                phone = getattr(getattr(contact, "member", None), "phone", "")
                contacts.append({"role": role, "user": contact, "phone": phone})
    return {
        "page": page,
        "binnenbuurt": binnenbuurt,
        "section": section,
        "own_news": news_items(viewer, section) if section else [],
        "own_events": _upcoming(viewer, locale, members_group) if members_group else [],
        "general_news": news_items(viewer, news_root),
        "general_events": general_events(viewer, locale),
        "contacts": contacts,
        "documents": documents_of(binnenbuurt),
        "is_contact_person": is_contact,
    }


def binnenbuurt_context(page, request):
    user = request.user
    binnenbuurt = (
        Binnenbuurt.objects.select_related("coordinator__member", "stand_in__member")
        .filter(pk=page.binnenbuurt_id)
        .first()
    )
    members_group = (
        Group(pk=binnenbuurt.members_group_id, name="")
        if binnenbuurt and binnenbuurt.members_group_id
        else None
    )
    news = news_items(user, page, limit=20)
    can_see_list = bool(binnenbuurt and binnenbuurt.can_see_member_list(user))
    is_contact = bool(binnenbuurt and binnenbuurt.is_contact_person(user))
    return {
        "binnenbuurt": binnenbuurt,
        "news": news,
        "events": _upcoming(user, page.locale, members_group, limit=20) if members_group else [],
        "documents": documents_of(binnenbuurt, limit=20),
        "member_list": (
            list(
                Member.objects.filter(binnenbuurt=binnenbuurt, listed_consent=True)
                # The membership (if any) says "bel mij liever", shown to contact persons.
                .select_related("user", "membership")
                .order_by("user__first_name", "user__last_name")
            )
            if can_see_list
            else None
        ),
        "is_contact_person": is_contact,
        "own_post_ids": (
            {item.pk for item in news if item.posted_by_id == user.pk} if is_contact else set()
        ),
        "contacts": [
            {
                "user": contact,
                "phone": getattr(getattr(contact, "member", None), "phone", ""),
            }
            for contact in (binnenbuurt.contact_users if binnenbuurt else [])
        ],
    }
