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

import time
from contextlib import suppress
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import F, Q
from django.db.models.functions import Substr
from django.db.models.lookups import In
from django.db.models.signals import m2m_changed, post_delete, post_save

from wagtail.models import Page, PageViewRestriction
from wagtail.signals import post_page_move

from cms.page_cache import LocalMemo, generation

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


@dataclass(frozen=True)
class RestrictionTable:
    """Every page view restriction of the site, as far as listings and serving need it."""

    rows: tuple  # (restriction id, restriction type, page path)
    group_links: tuple  # (restriction id, group id) of group restrictions
    # Paths under which Wagtail's own check must run: the restricted pages, and alias pages whose
    # source page is restricted (Wagtail checks an alias against its source page).
    checked_paths: frozenset
    # The restrictions themselves (with their groups loaded and ``page_path``), for serving.
    restrictions: tuple = ()
    # Alias pages with children: below them Wagtail checks the alias's source page, which the
    # table does not resolve (``view_restrictions_of`` leaves those pages to Wagtail's query).
    alias_parents: frozenset = frozenset()
    # ``view_restrictions_of``'s answers by page path, for this table's lifetime: building the
    # queryset cost more than the check itself on every restricted page served.
    answers: dict = field(default_factory=dict, compare=False)


_tables = LocalMemo(4)
# The content generation decides (a restriction is content); this bounds an idle process.
TABLE_SECONDS = 300


def restriction_table():
    """The restrictions, read once per content generation in each process (two small queries
    and one for aliases, none at all while nothing changes), not inside a transaction."""
    if connection.in_atomic_block:
        return _read_table()  # it may roll back without a signal: never kept
    current = generation()
    table = _tables.get(current, "table")
    if table is None:
        table = _read_table()
        _tables.set(current, "table", table, time.time() + TABLE_SECONDS)
    return table


def _read_table():
    restrictions = tuple(
        PageViewRestriction.objects.annotate(page_path=F("page__path"))
        .prefetch_related("groups")
        .order_by("pk")
    )
    if not restrictions:
        return RestrictionTable((), (), frozenset())
    rows = tuple((item.pk, item.restriction_type, item.page_path) for item in restrictions)
    group_links = tuple(
        (item.pk, group.pk)
        for item in restrictions
        if item.restriction_type == PageViewRestriction.GROUPS
        for group in item.groups.all()
    )
    aliases = Page.objects.filter(
        alias_of__in=PageViewRestriction.objects.values("page_id")
    ).values_list("path", flat=True)
    alias_parents = Page.objects.filter(alias_of__isnull=False, numchild__gt=0).values_list(
        "path", flat=True
    )
    return RestrictionTable(
        rows,
        group_links,
        frozenset({path for *_, path in rows} | {*aliases}),
        restrictions,
        frozenset(alias_parents),
    )


def view_restrictions_of(page):
    """What Wagtail's ``page.get_view_restrictions()`` answers (the restrictions of the page and
    its ancestors), from the table, without a query: an evaluated queryset, which filters and
    orders like a fresh one (the same object for every request while the table lasts: a filter
    makes a new one, as always). None for an alias or a page below an alias with children, whose
    source pages Wagtail resolves itself."""
    table = restriction_table()
    path = page.path
    if page.alias_of_id or any(
        path[:length] in table.alias_parents for length in range(4, len(path), 4)
    ):
        return None
    queryset = table.answers.get(path)
    if queryset is None:
        found = [item for item in table.restrictions if path.startswith(item.page_path)]
        queryset = PageViewRestriction.objects.filter(pk__in=[item.pk for item in found])
        queryset._result_cache = found
        queryset._prefetch_done = True
        table.answers[path] = queryset
    return queryset


def may_have_restrictions(page):
    """False when no view restriction can apply to this page: Wagtail's check can be skipped."""
    if page.alias_of_id:
        return True
    return is_denied(page.path, restriction_table().checked_paths)


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


class Viewer:
    """A visitor as far as privacy goes, and nothing else: no name, no address, no id.

    What shared fragments are built for (``home.fragments``): every privacy function here accepts
    it in place of a user, and two visitors with the same ``audience`` get equal viewers.
    """

    pk = id = None

    def __init__(self, is_authenticated=False, is_superuser=False, group_ids=()):
        self.is_authenticated = is_authenticated
        self.is_superuser = is_superuser
        self.group_ids = tuple(sorted(group_ids))

    @property
    def is_anonymous(self):
        return not self.is_authenticated

    @classmethod
    def of(cls, user):
        if not (user and user.is_authenticated):
            return cls()
        return cls(True, user.is_superuser, () if user.is_superuser else group_ids(user))


def group_ids(user):
    """The user's group ids, sorted; loaded once per user object (one per request)."""
    if isinstance(user, Viewer):
        return user.group_ids
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
    table = restriction_table()
    restrictions = table.rows
    if not restrictions:
        return frozenset()
    passed = set()
    if is_authenticated and table.group_links:
        user_group_ids = set(group_ids(user))
        passed = {
            restriction_id
            for restriction_id, group_id in table.group_links
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
