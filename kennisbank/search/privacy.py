"""Which tree paths a reader may not see, for filtering search rows at query time.

The same rules as ``home.privacy.restrictions_denied_to`` (Wagtail's PageViewRestriction: login,
groups, password), but read as two small value queries instead of full page objects, because a
search runs this on every request and a network may restrict many items. Superusers see all.
"""

from wagtail.models import PageViewRestriction


def denied_paths(user):
    """The set of page paths under which this user may see nothing."""
    is_authenticated = bool(user and user.is_authenticated)
    if is_authenticated and user.is_superuser:
        return set()
    restrictions = list(
        PageViewRestriction.objects.values_list("id", "restriction_type", "page__path")
    )
    if not restrictions:
        return set()
    group_restrictions = {}
    if is_authenticated and any(r[1] == PageViewRestriction.GROUPS for r in restrictions):
        user_groups = set(user.groups.values_list("id", flat=True))
        for restriction_id, group_id in PageViewRestriction.groups.through.objects.values_list(
            "pageviewrestriction_id", "group_id"
        ):
            if group_id in user_groups:
                group_restrictions[restriction_id] = True
    denied = set()
    for restriction_id, restriction_type, path in restrictions:
        if restriction_type == PageViewRestriction.LOGIN and is_authenticated:
            continue
        if restriction_type == PageViewRestriction.GROUPS and group_restrictions.get(
            restriction_id
        ):
            continue
        # Password-protected pages are never listed: the password is asked on the page itself.
        denied.add(path)
    return denied
