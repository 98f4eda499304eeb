"""The one privacy rule: which pages a visitor may see.

Wagtail's own view restrictions (login, groups, password) are the single source of truth for
privacy; see https://docs.wagtail.org/en/stable/advanced_topics/privacy.html. Wagtail only
enforces them when a page is *served*; everything else that shows pages asks this module, so a
restricted page cannot leak through a list:

* ``visible_pages(queryset, user)`` for a page queryset: menus, the home page's lists, the
  directory, the kennisbank's lists and RSS feed, the agenda and its iCal feeds, the sitemap, the
  member home;
* ``denied_paths(user)`` with ``is_denied(path, denied)`` for one page in hand, or ``hidden_q``
  for a queryset: the search engines turn the same paths into their own filter (the database
  engine into a bitmap, Elasticsearch into ``prefix`` clauses on ``path``) and the newsletter
  composes every section with it;
* ``audience(user)`` for a cache key: visitors with the same audience see the same pages.
"""

from contextlib import suppress

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.db.models.functions import Substr
from django.db.models.lookups import In
from django.db.models.signals import m2m_changed, post_delete, post_save

from wagtail.models import Page, PageViewRestriction
from wagtail.signals import post_page_move

# Restrictions and group memberships change rarely; a request asks many times (menus, listings,
# the events block, search). ``denied_paths`` remembers its answer on the user object
# (one object per request) until any restriction or group membership changes in this process.
_generation = [0]


def _bump_generation(**kwargs):
    _generation[0] += 1


def _connect_invalidation():
    for signal in (post_save, post_delete):
        signal.connect(_bump_generation, sender=PageViewRestriction, weak=False)
    m2m_changed.connect(_bump_generation, sender=PageViewRestriction.groups.through, weak=False)
    m2m_changed.connect(_bump_generation, sender=get_user_model().groups.through, weak=False)
    post_page_move.connect(_bump_generation, weak=False)  # restricted paths move with their pages


_connect_invalidation()


def denied_paths(user):
    """Tree paths under which this user may see nothing (the restricted pages' own paths).

    Read as two small value queries (restrictions with their page path, and the group links of
    group restrictions) instead of model objects: listings and every search ask this, and a
    network may restrict many items. Remembered on the user object (one per request) until a
    restriction or a group membership changes in this process.
    """
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
    prefetched = getattr(user, "_prefetched_objects_cache", {}).get("groups")
    if prefetched is not None:  # e.g. the newsletter's subscribers, in bulk
        ids = tuple(sorted(group.pk for group in prefetched))
    else:
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
    is_authenticated = bool(user and user.is_authenticated)
    if is_authenticated and user.is_superuser:
        return frozenset()
    restrictions = list(
        PageViewRestriction.objects.values_list("id", "restriction_type", "page__path")
    )
    if not restrictions:
        return frozenset()
    passed = set()
    if is_authenticated and any(kind == PageViewRestriction.GROUPS for _, kind, _ in restrictions):
        user_group_ids = set(group_ids(user))
        passed = {
            restriction_id
            for restriction_id, group_id in PageViewRestriction.groups.through.objects.values_list(
                "pageviewrestriction_id", "group_id"
            )
            if group_id in user_group_ids
        }
    denied = set()
    for restriction_id, kind, path in restrictions:
        if kind == PageViewRestriction.LOGIN and is_authenticated:
            continue
        if kind == PageViewRestriction.GROUPS and restriction_id in passed:
            continue
        # Password-protected pages are never listed: the password is asked on the page itself.
        denied.add(path)
    return frozenset(denied)


def is_denied(path, denied):
    """Whether a page at ``path`` lies at or below one of the ``denied`` paths (tree paths are
    built of 4-character steps, so its ancestors' paths are its prefixes)."""
    return any(path[:length] in denied for length in range(4, len(path) + 1, 4))


#: Up to this many denied paths of one depth are ``LIKE 'path%'`` clauses (which an index on the
#: path can answer); more become one ``IN`` over the path's first characters.
PREFIX_CLAUSES = 8
#: Paths per ``IN`` list: below SQLite's limit of bound parameters per statement.
IN_CHUNK = 5000


def outermost(paths):
    """The paths that are not below another of them (those add nothing), sorted."""
    kept = []
    for path in sorted(paths):  # an ancestor sorts right before its descendants
        if not (kept and path.startswith(kept[-1])):
            kept.append(path)
    return kept


def hidden_q(paths):
    """Q of the pages at or below these tree paths (``denied_paths``); empty for no paths.

    One ``LIKE`` per restricted page does not scale: SQLite nests each ``OR`` in its parse tree
    and refuses more than 1,000 ("Expression tree is too large"), so a network with many
    restricted items could not show a single listing, and PostgreSQL plans thousands of
    ``LIKE``s slowly. A page is below a denied path of length L exactly when its path's first L
    characters are that path, so the denied paths are grouped by length into one
    ``SUBSTR(path, 1, L) IN (...)`` each: a handful of clauses whatever the number of restrictions.
    """
    by_length = {}
    for path in outermost(paths):
        by_length.setdefault(len(path), []).append(path)
    hidden = Q()
    for length, group in sorted(by_length.items()):
        if len(group) <= PREFIX_CLAUSES:
            for path in group:
                hidden |= Q(path__startswith=path)
            continue
        for start in range(0, len(group), IN_CHUNK):
            hidden |= Q(In(Substr("path", 1, length), group[start : start + IN_CHUNK]))
    return hidden


def visible_pages(queryset, user):
    """Filter a page queryset down to live pages this user may view."""
    queryset = queryset.live()
    denied = denied_paths(user)
    if not denied:
        return queryset
    return queryset.exclude(hidden_q(denied))


def can_view(page, user):
    """Whether the user may view this one page (it and all its ancestors' restrictions)."""
    return visible_pages(Page.objects.filter(pk=page.pk), user).exists()
