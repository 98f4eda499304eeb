"""Which pages a visitor may see, expressed as a queryset filter.

Wagtail's own view restrictions (login, groups, password) are the single source of truth for
privacy; see https://docs.wagtail.org/en/stable/advanced_topics/privacy.html. Wagtail only
enforces them when a page is *served*; every listing, search, feed, sitemap and menu must filter
with ``visible_pages`` too, otherwise restricted pages leak through them.
"""

from contextlib import suppress

from django.db.models import Q

from wagtail.models import Page, PageViewRestriction
from wagtail.signals import post_page_move

# Restrictions and group memberships change rarely; a request asks many times (menus, listings,
# the events block, search). ``restrictions_denied_to`` remembers its answer on the user object
# (one object per request) until any restriction or group membership changes in this process.
_generation = [0]


def _bump_generation(**kwargs):
    _generation[0] += 1


def _connect_invalidation():
    from django.contrib.auth import get_user_model
    from django.db.models.signals import m2m_changed, post_delete, post_save

    for signal in (post_save, post_delete):
        signal.connect(_bump_generation, sender=PageViewRestriction, weak=False)
    m2m_changed.connect(_bump_generation, sender=PageViewRestriction.groups.through, weak=False)
    m2m_changed.connect(_bump_generation, sender=get_user_model().groups.through, weak=False)
    post_page_move.connect(_bump_generation, weak=False)  # restricted paths move with their pages


_connect_invalidation()


def restrictions_denied_to(user):
    """Restrictions the user does not pass; there are few of them, so they are all loaded."""
    memo = getattr(user, "_privacy_denied", None)
    if memo is not None and memo[0] == _generation[0]:
        return memo[1]
    generation = _generation[0]
    denied = _compute_denied(user)
    if user is not None:
        with suppress(AttributeError):  # an object that takes no attributes: no memo
            user._privacy_denied = (generation, denied)
    return denied


def group_ids(user):
    """The user's group ids, sorted; loaded once per user object (one per request)."""
    if not (user and user.is_authenticated):
        return ()
    memo = getattr(user, "_privacy_group_ids", None)
    if memo is not None and memo[0] == _generation[0]:
        return memo[1]
    generation = _generation[0]
    ids = tuple(sorted(user.groups.values_list("id", flat=True)))
    with suppress(AttributeError):
        user._privacy_group_ids = (generation, ids)
    return ids


def audience(user):
    """Who the visitor is as far as view restrictions go: nothing else changes what they may see.

    Wagtail's restrictions depend only on being logged in and on group membership (superusers pass
    all of them; password-protected pages are never listed), so content filtered with
    ``visible_pages`` is the same for every visitor with the same audience and may be shared
    between them in a cache.
    """
    if not (user and user.is_authenticated):
        return "anonymous"
    if user.is_superuser:
        return "superuser"
    return "groups:" + ",".join(str(pk) for pk in group_ids(user))


def _compute_denied(user):
    restrictions = PageViewRestriction.objects.select_related("page").prefetch_related("groups")
    is_authenticated = bool(user and user.is_authenticated)
    if is_authenticated and user.is_superuser:
        return []
    user_group_ids = set(group_ids(user)) if is_authenticated else set()
    denied = []
    for restriction in restrictions:
        if restriction.restriction_type == PageViewRestriction.LOGIN and is_authenticated:
            continue
        if (
            restriction.restriction_type == PageViewRestriction.GROUPS
            and is_authenticated
            and user_group_ids & {group.id for group in restriction.groups.all()}
        ):
            continue
        # Password-protected pages are never listed: the password is asked on the page itself.
        denied.append(restriction)
    return denied


def visible_pages(queryset, user):
    """Filter a page queryset down to live pages this user may view."""
    queryset = queryset.live()
    denied = restrictions_denied_to(user)
    if not denied:
        return queryset
    hidden = Q()
    for restriction in denied:
        hidden |= Q(path__startswith=restriction.page.path)
    return queryset.exclude(hidden)


def can_view(page, user):
    """Whether the user may view this one page (it and all its ancestors' restrictions)."""
    return visible_pages(Page.objects.filter(pk=page.pk), user).exists()
