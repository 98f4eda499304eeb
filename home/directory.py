"""The directory's theme filter: ``?thema=<slug>`` narrows the list; a bad slug never errors."""

from django.db.models import Prefetch

from home.models.base import Theme
from home.privacy import visible_pages

THEME_PARAMETER = "thema"


def directory_context(index_page, request):
    from home.models import StadsdorpPage

    user = getattr(request, "user", None)
    themes = list(Theme.objects.filter(locale_id=index_page.locale_id).order_by("name"))
    requested_slug = request.GET.get(THEME_PARAMETER, "").strip()[:80]
    selected_theme = next((theme for theme in themes if theme.slug == requested_slug), None)

    stadsdorpen = visible_pages(
        StadsdorpPage.objects.child_of(index_page).order_by("title"), user
    ).select_related("image")
    if selected_theme is not None:
        stadsdorpen = stadsdorpen.filter(themes=selected_theme)
    stadsdorpen = stadsdorpen.prefetch_related(
        Prefetch("themes", queryset=Theme.objects.order_by("name"))
    )
    return {
        "themes": themes,
        "selected_theme": selected_theme,
        "requested_theme_slug": requested_slug,
        "unknown_theme": bool(requested_slug) and selected_theme is None,
        "stadsdorpen": list(stadsdorpen),
        "theme_parameter": THEME_PARAMETER,
    }
