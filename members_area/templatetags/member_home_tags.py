"""``{% member_dashboard page binnenbuurt is_contact %}``: the lists of "Mijn stadsdorp".

Used inside the member home's ``{% shared %}`` block, so it sees only the block's keys and the
``viewer`` (``home.fragments``), never the member.
"""

from django import template

from members_area.dashboard import shared_dashboard

register = template.Library()


@register.inclusion_tag("members_area/includes/dashboard.html", takes_context=True)
def member_dashboard(context, page, binnenbuurt_id, is_contact):
    return shared_dashboard(page, binnenbuurt_id, is_contact, context["viewer"])
