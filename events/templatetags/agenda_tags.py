from django import template

from events.views import agenda_listing, event_dates

register = template.Library()


@register.simple_tag(takes_context=True)
def agenda_list_page(context, index_page, site, category, stadsdorp, month, number):
    """One page of the agenda's list for the ``viewer`` of the surrounding {% shared %} block."""
    return agenda_listing(context["viewer"], index_page, site, category, stadsdorp, month, number)


@register.simple_tag
def event_page_dates(event, site, day):
    """The event's next dates and the selected one, for its shared body."""
    return event_dates(event, site, day)
