"""Small site-wide views: text size, robots.txt and the sitemap."""

from django.contrib.auth.models import AnonymousUser
from django.contrib.sitemaps.views import sitemap as django_sitemap_view
from django.db.models import Q
from django.http import HttpResponse, HttpResponsePermanentRedirect, HttpResponseRedirect
from django.templatetags.static import static
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_http_methods

from wagtail.contrib.sitemaps import Sitemap
from wagtail.models import Page

from cms import public_url
from home.context_processors import TEXT_SIZE_COOKIE, TEXT_SIZES
from home.privacy import visible_pages

ONE_YEAR = 60 * 60 * 24 * 365


@require_http_methods(["GET", "POST"])
def set_text_size(request):
    """Remembers the text size in a cookie and goes back to where the visitor was.

    A plain form (GET or POST) posts here, so the choice works without JavaScript; ``next`` is
    only followed when it points to this site.
    """
    data = request.POST if request.method == "POST" else request.GET
    size = data.get("grootte", "")
    next_url = data.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    if size in TEXT_SIZES:
        response.set_cookie(
            TEXT_SIZE_COOKIE,
            size,
            max_age=ONE_YEAR,
            samesite="Lax",
            secure=request.is_secure(),
            httponly=True,
        )
    return response


class TranslatedSitemap(Sitemap):
    """Wagtail's sitemap covers only the default site's root; ours also lists its translations.

    Pages are filtered exactly as for an anonymous visitor (``home.privacy``): unpublished,
    login-, group- and password-restricted pages are left out.
    """

    def items(self):
        root = self.get_wagtail_site().root_page
        roots = Page.objects.filter(translation_key=root.translation_key, depth=root.depth)
        in_trees = Q()
        for tree_root in roots:
            in_trees |= Q(path__startswith=tree_root.path)
        # Untranslated copies (aliases) repeat another language's page: only the original is listed.
        pages = (
            Page.objects.filter(in_trees, alias_of__isnull=True) if roots else Page.objects.none()
        )
        return (
            visible_pages(pages, AnonymousUser()).order_by("path").defer_streamfields().specific()
        )


@cache_control(max_age=3600, public=True)
def sitemap(request):
    return django_sitemap_view(
        request,
        sitemaps={"pages": TranslatedSitemap(request)},
    )


@cache_control(max_age=3600, public=True)
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "",
        f"Sitemap: {public_url.absolute(reverse('sitemap'))}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


def favicon(request):
    # Resolved per request, not at import: the hashed name only exists once collectstatic has run,
    # and `manage.py check --deploy` imports the URLconf before that.
    return HttpResponsePermanentRedirect(static("home/favicon.svg"))
