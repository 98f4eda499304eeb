"""Which pages a visitor may see, expressed as a queryset filter.

Wagtail's own view restrictions (login, groups, password) are the single source of truth for
privacy; see https://docs.wagtail.org/en/stable/advanced_topics/privacy.html. Wagtail only
enforces them when a page is *served*; every listing, search, feed, sitemap and menu must filter
with ``visible_pages`` too, otherwise restricted pages leak through them.
"""

from django.db.models import Q

from wagtail.models import Page, PageViewRestriction


def restrictions_denied_to(user):
    """Restrictions the user does not pass; there are few of them, so they are all loaded."""
    restrictions = PageViewRestriction.objects.select_related("page").prefetch_related("groups")
    is_authenticated = bool(user and user.is_authenticated)
    if is_authenticated and user.is_superuser:
        return []
    user_group_ids = set(user.groups.values_list("id", flat=True)) if is_authenticated else set()
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
