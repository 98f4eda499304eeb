"""``{% burenhulp_home %}``: the burenhulp block at the top of "Mijn stadsdorp".

The member home is rendered once and shared by everyone of one binnenbuurt with the same groups
and contact-person role (``members_area.dashboard.dashboard_audience``), so this block is built
from exactly those facts and holds nothing personal (no own posts, no forms).
"""

from django import template

from members_area.dashboard import dashboard_audience
from members_area.models import Binnenbuurt

from .. import listings

register = template.Library()


@register.inclusion_tag("burenhulp/includes/home_section.html", takes_context=True)
def burenhulp_home(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"show": False}
    binnenbuurt_id, is_contact = dashboard_audience(user)
    if binnenbuurt_id is None:
        return {"show": False}
    binnenbuurt = context.get("binnenbuurt")  # the member home's own, when it has it
    if binnenbuurt is not None and binnenbuurt.pk == binnenbuurt_id:
        stadsdorp_id = binnenbuurt.stadsdorp_id
    else:
        stadsdorp_id = (
            Binnenbuurt.objects.filter(pk=binnenbuurt_id)
            .values_list("stadsdorp_id", flat=True)
            .first()
        )
    viewer = listings.viewer_of_binnenbuurt(binnenbuurt_id, stadsdorp_id, is_contact)
    return {
        "show": True,
        "board": listings.board(viewer, limit=listings.HOME_LIMIT),
        "viewer": viewer,
        "is_contact": is_contact,
        "unanswered_count": listings.unanswered_count(binnenbuurt_id) if is_contact else 0,
    }
