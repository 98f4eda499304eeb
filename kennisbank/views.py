"""Views of the kennisbank outside Wagtail's page tree: the "was this helpful?" vote."""

from urllib.parse import urlsplit

from django.http import HttpResponseBadRequest, HttpResponseForbidden, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from home.privacy import can_view

from .models import HelpfulVote, KennisbankItemPage
from .votes import has_voted, remember_vote


def is_same_origin(request):
    """Whether the POST comes from a page of this site (Origin, else Referer, names this host)."""
    source = request.headers.get("Origin") or request.headers.get("Referer")
    if not source:
        return False
    parsed = urlsplit(source)
    return f"{parsed.scheme}://{parsed.netloc}" == f"{request.scheme}://{request.get_host()}"


# The vote form carries no CSRF token: a token would set a cookie on every guide and article and
# keep those pages out of the anonymous page cache (cms/page_cache.py). Forged cross-site votes
# are refused by the Origin/Referer check instead, which browsers send with every form POST.
@csrf_exempt
@require_POST
def helpful_vote(request, page_id):
    """Count one vote per browser and page, then go back to the page (works without JS)."""
    if not is_same_origin(request):
        return HttpResponseForbidden(_("Stemmen kan alleen vanaf de pagina zelf."))
    page = get_object_or_404(KennisbankItemPage.objects.live(), pk=page_id).specific
    if not page.accepts_votes or not can_view(page, request.user):
        return HttpResponseBadRequest(_("Op deze pagina kunt u niet stemmen."))
    answer = request.POST.get("helpful")
    if answer not in ("ja", "nee"):
        return HttpResponseBadRequest(_("Kies 'ja' of 'nee'."))
    response = HttpResponseRedirect(f"{page.get_url(request)}#nuttig")
    if not has_voted(request, page):
        HelpfulVote.objects.create(page=page, helpful=answer == "ja")
        remember_vote(response, page)
    return response
