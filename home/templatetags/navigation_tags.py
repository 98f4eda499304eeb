"""Header and footer helpers: menus, the language switcher and the kennisbank search address.

The header and footer are shared fragments (``{% shared %}``, ``home.fragments``): the menus and
the search address are built from the site and the ``viewer`` of the shared block, never from the
request; the language links' addresses, the page address the text size returns to and the menu's
current page are ``{% personal %}`` holes rendered per request.
"""

from django import template
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Permission
from django.db.models import Q
from django.urls import translate_url
from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from wagtail.admin.templatetags.wagtailuserbar import get_page_instance, wagtailuserbar
from wagtail.models import Page, Site

from home.caching import cached
from home.fragments import shows_unsaved_content
from home.navigation import current_mark, navigation_links

register = template.Library()


@register.simple_tag(takes_context=True)
def current_site(context):
    """The request's Wagtail site (from this process's memory, ``cms.sites``), or None."""
    request = context.get("request")
    return Site.find_for_request(request) if request is not None else None


@register.simple_tag(takes_context=True)
def site_pageurl(context, page):
    """Wagtail's ``{% pageurl %}`` that also works in a {% shared %} block, which has no
    request: the block's ``site`` key says which site's pages get a relative address."""
    return page.get_url(context.get("request"), current_site=context.get("site"))


@register.simple_tag(takes_context=True)
def site_navigation(context, site):
    """The menus for the ``viewer`` of the surrounding {% shared %} block (``home.navigation``)."""
    return navigation_links(site, context["viewer"])


@register.simple_tag(takes_context=True)
def menu_mark(context, path, depth):
    """` aria-current="..."` on the menu link to the current page or one of its ancestors."""
    page = context.get("page")
    mark = current_mark(path, depth, getattr(page, "path", ""))
    return format_html(' aria-current="{}"', mark) if mark else ""


def may_open_admin(user):
    """Whether Wagtail's user bar shows for this user (``wagtailadmin.access_admin``) in one query.

    Wagtail asks ``user.has_perm``, which loads all of the user's permissions and all of their
    groups' (two queries) on every page of every logged-in member, who almost never has any.
    """
    if not (user and user.is_authenticated and user.is_active):
        return False
    if user.is_superuser:
        return True
    known = getattr(user, "_may_open_admin", None)
    if known is not None:  # loaded with the user (cms.accounts.session_user)
        return known
    return Permission.objects.filter(
        Q(user=user) | Q(group__user=user),
        content_type__app_label="wagtailadmin",
        codename="access_admin",
    ).exists()


@register.simple_tag(takes_context=True)
def site_userbar(context):
    """Wagtail's ``{% wagtailuserbar %}``, asked only of people who may open the admin."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if not may_open_admin(user):
        return ""
    page = get_page_instance(context)
    if shows_unsaved_content(request) or page is None or not page.pk:
        return wagtailuserbar(context)
    # Rendering it cost an editor 10-15 ms on every page (their admin language, the page's
    # permissions, a dozen templates), the same each time: kept per editor and page for the
    # content generation. A permission taken away later can leave a link here for at most the
    # fragment timeout; the admin checks the permission again when it is followed.
    return mark_safe(  # noqa: S308 (Wagtail's rendered user bar)
        cached(
            ("userbar", user.pk, page.pk, request.get_host(), translation.get_language()),
            lambda: str(wagtailuserbar(context)),
        )
    )


def _home_page_url(request, language_code):
    """The site's home page in that language, or the bare language prefix."""
    return cached(
        ("home-url", request.get_host(), language_code),
        lambda: _find_home_page_url(request, language_code),
    )


def _find_home_page_url(request, language_code):
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


def translation_urls(request, page):
    """{language_code: (url, full_url)} of the page's live translations (itself included).

    The same for every visitor (translations are not filtered by privacy: the page itself is),
    so it is cached per content generation, and on the request.
    """
    per_request = getattr(request, "_home_translation_urls", None)
    if per_request is None:
        per_request = {}
        if request is not None:
            request._home_translation_urls = per_request
    if page.pk not in per_request:

        def build():
            return {
                translated.locale.language_code: (
                    translated.get_url(request),
                    translated.get_full_url(request),
                )
                # An alias is a synchronised copy that nobody translated yet: not a translation.
                for translated in page.get_translations(inclusive=True)
                .live()
                .filter(alias_of__isnull=True)
                .select_related("locale")
            }

        per_request[page.pk] = cached(
            ("translations", request.get_host() if request else "", page.pk), build
        )
    return per_request[page.pk]


@register.simple_tag(takes_context=True)
def page_alternates(context):
    """(language_code, full URL) of the page's live translations, for hreflang links."""
    request = context.get("request")
    page = context.get("page")
    if not isinstance(page, Page) or not page.pk:
        return []
    return [
        (code, full_url)
        for code, (_url, full_url) in sorted(translation_urls(request, page).items())
        if full_url
    ]


@register.simple_tag
def site_languages():
    """(code, name) of the site's languages, each named in itself ("Nederlands", "English"):
    Django's ``get_available_languages`` translates the names into the page's language."""
    return settings.LANGUAGES


@register.simple_tag(takes_context=True)
def language_url(context, code):
    """The address of this page in language ``code``: the page itself for the current language.

    On a Wagtail page: its live translation, else the other language's home page. On any other
    view (kennisbank search, agenda, login): Django's ``translate_url`` of the current path.
    """
    request = context.get("request")
    if request is None:
        return f"/{code}/"
    if code == (translation.get_language() or settings.LANGUAGE_CODE):
        return request.get_full_path()
    page = context.get("page")
    if isinstance(page, Page) and page.pk:
        url = translation_urls(request, page).get(code, (None, None))[0]
        return url or _home_page_url(request, code)
    return translate_url(request.get_full_path(), code)


@register.simple_tag
def kennisbank_search_url(site):
    """The live kennisbank index of the current language, or "" (then the search box is hidden)."""
    try:
        model = apps.get_model("kennisbank", "KennisbankIndexPage")
    except LookupError:
        return ""
    language_code = translation.get_language() or settings.LANGUAGE_CODE
    return cached(
        ("kennisbank-search-url", site.pk if site else None, language_code),
        lambda: _find_kennisbank_url(model, site, language_code),
    )


def _find_kennisbank_url(model, site, language_code):
    index = (
        model.objects.live().filter(locale__language_code=language_code).order_by("path").first()
    )
    if index is None:
        index = model.objects.live().order_by("path").first()
    if index is None:
        return ""
    return index.get_url(current_site=site) or ""
