"""The newsletter on paper: a printable edition of an issue (large type) and address labels for
the members who get it in their letterbox.

Who may download them follows the newsletter's own rule: whoever may send the issue (publish it,
https://docs.wagtail.org/en/stable/topics/permissions.html#page-permissions). The labels hold
addresses, so on top of that they list only the members of the stadsdorpen the user coordinates
(``access.newsletter_label_stadsdorpen``).
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.utils.text import slugify
from django.views.decorators.cache import never_cache

from members_area.posting import no_access
from members_area.subscriptions.composition import paper_sections
from members_area.subscriptions.emails import organisation_name
from members_area.subscriptions.models import NewsletterPage

from . import paper, permissions
from .views import _private


def _newsletter_for_sender(request, page_id):
    newsletter = NewsletterPage.objects.filter(pk=page_id).first()
    if newsletter is None or not newsletter.permissions_for_user(request.user).can_publish():
        return None  # one that does not exist and one you may not send look the same
    return newsletter


def _pdf(content, filename):
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}.pdf"'
    return _private(response)


@never_cache
@login_required
def edition(request, page_id):
    newsletter = _newsletter_for_sender(request, page_id)
    if newsletter is None:
        return no_access(request)
    content = paper.newsletter_edition_pdf(
        newsletter, paper_sections(newsletter), organisation_name()
    )
    return _pdf(content, f"{slugify(newsletter.title)}-op-papier")


@never_cache
@login_required
def labels(request, page_id):
    newsletter = _newsletter_for_sender(request, page_id)
    stadsdorpen = permissions.newsletter_label_stadsdorpen(request.user)
    chosen = request.GET.get("stadsdorp", "")
    if chosen.isdigit():
        stadsdorpen = stadsdorpen.filter(pk=chosen)
    if newsletter is None or not stadsdorpen.exists():
        return no_access(request)
    members = (
        permissions.paper_newsletter_members(stadsdorpen)
        .select_related("user", "membership", "binnenbuurt")
        .order_by("binnenbuurt__name", "postcode", "street_address", "pk")
    )
    return _pdf(paper.address_labels_pdf(members), f"etiketten-{slugify(newsletter.title)}")
