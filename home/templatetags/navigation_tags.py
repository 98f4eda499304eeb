"""Header and footer helpers: menus, the language switcher and the kennisbank search address."""

from django import template
from django.apps import apps
from django.conf import settings
from django.urls import translate_url
from django.utils import translation

from wagtail.models import Page, Site

from home.navigation import build_navigation

register = template.Library()


@register.simple_tag(takes_context=True)
def get_navigation(context):
    request = context.get("request")
    if request is None:
        return {"menu": [], "footer": []}
    return build_navigation(request, current_page=context.get("page"))


def _home_page_url(request, language_code):
    """The site's home page in that language, or the bare language prefix."""
    site = Site.find_for_request(request)
    if site is not None:
        home = (
            Page.objects.filter(
                translation_key=site.root_page.translation_key,
                locale__language_code=language_code,
            )
            .live()
            .first()
        )
        if home is not None:
            url = home.get_url(request)
            if url:
                return url
    return f"/{language_code}/"


def live_translations(request, page):
    """{language_code: page} of the page's live translations (itself included), once per request."""
    cache = getattr(request, "_home_live_translations", None)
    if cache is None:
        cache = {}
        if request is not None:
            request._home_live_translations = cache
    if page.pk not in cache:
        cache[page.pk] = {
            translated.locale.language_code: translated
            for translated in page.get_translations(inclusive=True).live().select_related("locale")
        }
    return cache[page.pk]


@register.simple_tag(takes_context=True)
def page_alternates(context):
    """(language_code, full URL) of the page's live translations, for hreflang links."""
    request = context.get("request")
    page = context.get("page")
    if not isinstance(page, Page) or not page.pk:
        return []
    alternates = []
    for code, translated in sorted(live_translations(request, page).items()):
        url = translated.get_full_url(request)
        if url:
            alternates.append((code, url))
    return alternates


@register.inclusion_tag("includes/language_switcher.html", takes_context=True)
def language_switcher(context):
    """Links to the same page in the other languages.

    On a Wagtail page: its live translation, else the other language's home page. On any other
    view (kennisbank search, agenda, login): Django's ``translate_url`` of the current path.
    """
    request = context.get("request")
    current_language = translation.get_language() or settings.LANGUAGE_CODE
    page = context.get("page")
    translations = {}
    if request is not None and isinstance(page, Page) and page.pk:
        translations = live_translations(request, page)

    languages = []
    for code, name in settings.LANGUAGES:
        if code == current_language:
            url = request.get_full_path() if request else f"/{code}/"
        elif request is None:
            url = f"/{code}/"
        elif isinstance(page, Page) and page.pk:
            translated = translations.get(code)
            url = (translated.get_url(request) if translated else None) or _home_page_url(
                request, code
            )
        else:
            url = translate_url(request.get_full_path(), code)
        languages.append(
            {"code": code, "name": name, "url": url, "is_current": code == current_language}
        )
    return {"languages": languages, "current_language": current_language}


@register.simple_tag(takes_context=True)
def kennisbank_search_url(context):
    """The live kennisbank index of the current language, or "" (then the search box is hidden)."""
    try:
        model = apps.get_model("kennisbank", "KennisbankIndexPage")
    except LookupError:
        return ""
    request = context.get("request")
    language_code = translation.get_language() or settings.LANGUAGE_CODE
    index = (
        model.objects.live().filter(locale__language_code=language_code).order_by("path").first()
    )
    if index is None:
        index = model.objects.live().order_by("path").first()
    if index is None:
        return ""
    return index.get_url(request) or ""
