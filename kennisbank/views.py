"""Views of the kennisbank outside Wagtail's page tree: the "was this helpful?" vote."""

from django.http import HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from home.privacy import can_view

from .models import HelpfulVote, KennisbankItemPage
from .votes import has_voted, remember_vote


@require_POST
def helpful_vote(request, page_id):
    """Count one vote per browser and page, then go back to the page (works without JS)."""
    page = get_object_or_404(KennisbankItemPage.objects.live(), pk=page_id).specific
    if not page.accepts_votes or not can_view(page, request.user):
        return HttpResponseBadRequest(_("Op deze pagina kun je niet stemmen."))
    answer = request.POST.get("helpful")
    if answer not in ("ja", "nee"):
        return HttpResponseBadRequest(_("Kies 'ja' of 'nee'."))
    response = HttpResponseRedirect(f"{page.get_url(request)}#nuttig")
    if not has_voted(request, page):
        HelpfulVote.objects.create(page=page, helpful=answer == "ja")
        remember_vote(response, page)
    return response
