"""The agenda: events with recurrence, locations, categories and sign-ups.

Split like ``home/models/``: the snippets, the page types (and their exceptions), the sign-ups;
everything is re-exported here so ``from events.models import X`` keeps working. The page types
import no views: see ``EventsConfig.ready()``.
"""

from .pages import EventException, EventIndexPage, EventPage
from .registrations import Registration, SignupSlot, new_cancel_secret
from .snippets import EventCategory, Location

__all__ = [
    "EventCategory",
    "EventException",
    "EventIndexPage",
    "EventPage",
    "Location",
    "Registration",
    "SignupSlot",
    "new_cancel_secret",
]
