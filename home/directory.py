"""The directory's theme filter: ``?thema=<slug>`` narrows the list; a bad slug never errors.

Themes are matched by ``translation_key``, not by id: a stadsdorp that has not been translated
yet (an English alias of the Dutch page) still links to the Dutch themes, and must show up when
an English visitor filters on the English theme. For the same reason theme names are shown in the
visitor's language.
"""

from home.models.base import Theme
from home.privacy import visible_pages

THEME_PARAMETER = "thema"


def directory_context(index_page, request):
    from home.models import StadsdorpPage

    user = getattr(request, "user", None)
    themes = list(Theme.objects.filter(locale_id=index_page.locale_id).order_by("name"))
    themes_by_key = {theme.translation_key: theme for theme in themes}
    requested_slug = request.GET.get(THEME_PARAMETER, "").strip()[:80]
    selected_theme = next((theme for theme in themes if theme.slug == requested_slug), None)

    stadsdorpen = visible_pages(
        StadsdorpPage.objects.child_of(index_page).order_by("title"), user
    ).select_related("image")
    if selected_theme is not None:
        stadsdorpen = stadsdorpen.filter(
            themes__translation_key=selected_theme.translation_key
        ).distinct()
    stadsdorpen = list(stadsdorpen.prefetch_related("themes"))
    for stadsdorp in stadsdorpen:
        localized = [
            themes_by_key.get(theme.translation_key, theme) for theme in stadsdorp.themes.all()
        ]
        stadsdorp.localized_themes = sorted(localized, key=lambda theme: theme.name)
    return {
        "themes": themes,
        "selected_theme": selected_theme,
        "requested_theme_slug": requested_slug,
        "unknown_theme": bool(requested_slug) and selected_theme is None,
        "stadsdorpen": stadsdorpen,
        "theme_parameter": THEME_PARAMETER,
    }


def localized_themes(page):
    """The page's themes in the page's own language (falls back to the linked theme)."""
    linked = list(page.themes.all())
    keys = [theme.translation_key for theme in linked]
    translated = {
        theme.translation_key: theme
        for theme in Theme.objects.filter(locale_id=page.locale_id, translation_key__in=keys)
    }
    return sorted(
        (translated.get(theme.translation_key, theme) for theme in linked),
        key=lambda theme: theme.name,
    )
