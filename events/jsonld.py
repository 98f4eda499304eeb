"""schema.org ``Event`` structured data (https://schema.org/Event) for an event page.

Only public events get structured data: a members-only event is never described to search
engines, even when a logged-in member views it.
"""

import json

from django.utils.safestring import mark_safe

from cms import public_url
from home.text import html_to_line


def for_event(event, occurrence, request):
    if event.audience != event.Audience.PUBLIC:
        return ""
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": event.title,
        "url": occurrence.url and public_url.absolute(occurrence.url),
        "eventStatus": "https://schema.org/EventCancelled"
        if occurrence.is_cancelled
        else (
            "https://schema.org/EventRescheduled"
            if occurrence.moved_from
            else "https://schema.org/EventScheduled"
        ),
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "inLanguage": event.locale.language_code,
    }
    if occurrence.all_day:
        data["startDate"] = occurrence.local_start.date().isoformat()
        data["endDate"] = occurrence.local_end.date().isoformat()
    else:
        data["startDate"] = occurrence.local_start.isoformat()
        if occurrence.has_end_time:
            data["endDate"] = occurrence.local_end.isoformat()
    if occurrence.moved_from:
        data["previousStartDate"] = occurrence.moved_from.astimezone(
            occurrence.local_start.tzinfo
        ).isoformat()
    description = html_to_line(event.description) or event.summary
    if description:
        data["description"] = description[:1000]
    location = event.location
    if location is not None:
        data["location"] = {
            "@type": "Place",
            "name": location.name,
            "address": {
                "@type": "PostalAddress",
                "streetAddress": location.address,
                "postalCode": location.postcode,
                "addressLocality": location.city,
                "addressCountry": "NL",
            },
        }
        if location.latitude is not None and location.longitude is not None:
            data["location"]["geo"] = {
                "@type": "GeoCoordinates",
                "latitude": float(location.latitude),
                "longitude": float(location.longitude),
            }
    organiser = event.organiser_name or event.contact_name
    if organiser:
        data["organizer"] = {"@type": "Organization", "name": organiser}
        if event.contact_email:
            data["organizer"]["email"] = event.contact_email
    offer = {
        "@type": "Offer",
        "price": "0" if event.is_free else f"{event.price:.2f}",
        "priceCurrency": "EUR",
        "url": data["url"],
    }
    if event.signup_enabled and event.capacity is not None:
        offer["availability"] = (
            "https://schema.org/SoldOut" if occurrence.is_full else "https://schema.org/InStock"
        )
    data["offers"] = offer
    if event.is_free:
        data["isAccessibleForFree"] = True
    if event.image_id:
        rendition = event.image.get_rendition("width-1200")
        data["image"] = [public_url.absolute(rendition.url)]
    text = json.dumps(data, ensure_ascii=False)
    # Escape what could end the <script> element early.
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return mark_safe(text)  # noqa: S308 - escaped above
