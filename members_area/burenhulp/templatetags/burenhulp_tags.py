"""``{% burenhulp_home %}``: the burenhulp block at the top of "Mijn stadsdorp".

Rendered inside the member home's ``{% shared %}`` block, from the member's binnenbuurt (with its
stadsdorp, both keys of the block) and contact-person role alone
(``members_area.dashboard.dashboard_audience``): nothing personal (no own posts, no forms). A write
to a post, an answer or a report empties it (the ``burenhulp`` tag,
``cms.page_cache.TAGGED_MODELS``).
"""

from django import template

from cms.page_cache import depends_on

from .. import listings

register = template.Library()
BOARD_TAG = "burenhulp"


@register.inclusion_tag("burenhulp/includes/home_section.html")
def burenhulp_home(binnenbuurt_id, stadsdorp_id, is_contact):
    if binnenbuurt_id is None:
        return {"show": False}
    # Inside the member home's shared block: a new post or answer must end that copy.
    depends_on(BOARD_TAG)
    viewer = listings.viewer_of_binnenbuurt(binnenbuurt_id, stadsdorp_id, is_contact)
    return {
        "show": True,
        "board": listings.board(viewer, limit=listings.HOME_LIMIT),
        "viewer": viewer,
        "is_contact": is_contact,
        "unanswered_count": listings.unanswered_count(binnenbuurt_id) if is_contact else 0,
    }
