"""Which binnenbuurt an address belongs to, from the street lists and postcode ranges.

Dutch postcodes are four digits and two letters ("1097 AB"); stored without the space and in
capitals ("1097AB") they sort as text, so a range is a pair of strings. A line with only the four
digits ("1092") means every postcode of that area. A street match is more precise than a postcode
range and wins.
"""

import re

# The postcode helpers live with the address they check (members_area.addresses); they are named
# here too because the suggestion and the coordinators' forms read them from this module.
from members_area.addresses import POSTCODE_RE, is_valid_postcode, normalise_postcode

__all__ = [
    "POSTCODE_RE",
    "invalid_lines",
    "is_valid_postcode",
    "normalise_postcode",
    "normalise_street",
    "parse_ranges",
    "parse_streets",
    "suggest_binnenbuurt",
]

RANGE_SPLIT_RE = re.compile(r"\s*(?:-|–|—|\bt/m\b|\btot\b)\s*", re.IGNORECASE)


def normalise_street(value):
    """The street name of an address line, lower case, without house number or addition."""
    value = (value or "").strip().lower()
    value = re.sub(r"[\s,]+\d.*$", "", value)  # "Ringdijk 12-3 hs" -> "ringdijk"
    return re.sub(r"\s+", " ", value).strip(" ,.")


def parse_ranges(text):
    """The (low, high) postcode pairs of a coordinator's list; unreadable lines are skipped."""
    ranges = []
    for line in (text or "").splitlines():
        line = line.strip()
        if not line:
            continue
        parts = [part for part in RANGE_SPLIT_RE.split(line) if part]
        if len(parts) == 1:
            parts = parts * 2
        if len(parts) != 2:
            continue
        low, high = (normalise_postcode(part) for part in parts)
        if not (POSTCODE_RE.match(low) and POSTCODE_RE.match(high)):
            continue
        low = low if len(low) == 6 else low + "AA"
        high = high if len(high) == 6 else high + "ZZ"
        ranges.append((low, high))
    return ranges


def parse_streets(text):
    return {normalise_street(line) for line in (text or "").splitlines() if line.strip()}


def invalid_lines(text, kind):
    """Lines a coordinator typed that we cannot read, to show them back."""
    bad = []
    for line in (text or "").splitlines():
        if line.strip() and kind == "postcodes" and not parse_ranges(line):
            bad.append(line.strip())
    return bad


def suggest_binnenbuurt(binnenbuurten, street_address, postcode):
    """The binnenbuurt whose list names the street, else the one whose range holds the postcode.

    ``binnenbuurten`` are those of one stadsdorp, with ``area`` selected; None when nothing fits.
    """
    street = normalise_street(street_address)
    code = normalise_postcode(postcode)
    by_range = None
    for binnenbuurt in binnenbuurten:
        area = getattr(binnenbuurt, "area", None)
        if area is None:
            continue
        if street and street in parse_streets(area.streets):
            return binnenbuurt
        if (
            by_range is None
            and len(code) == 6
            and any(low <= code <= high for low, high in parse_ranges(area.postcodes))
        ):
            by_range = binnenbuurt
    return by_range
