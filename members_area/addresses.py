"""A member's postal address: one copy, on ``Member`` (street and number, postcode, place).

Labels, reminder letters, the binnenbuurt's list, exports, the import and the postcode-based
binnenbuurt suggestion all need its parts, so it is kept in parts, never as one free line. Dutch
postcodes are four digits and two letters ("1097 AB"); stored without the space and in capitals
("1097AB") they sort as text and compare exactly.
"""

import re

POSTCODE_RE = re.compile(r"^\s*(\d{4})\s*([A-Za-z]{2})?\s*$")
# A postcode inside a line of text: "Lindengracht 12, 1015 KE Amsterdam".
POSTCODE_IN_TEXT_RE = re.compile(r"(?<!\d)(\d{4})\s?([A-Za-z]{2})(?![A-Za-z])")


def normalise_postcode(value):
    """ "1097 ab" -> "1097AB"; anything that is not a Dutch postcode is returned trimmed."""
    value = (value or "").strip()
    match = POSTCODE_RE.match(value)
    if not match:
        return value.upper()
    return match.group(1) + (match.group(2) or "").upper()


def is_valid_postcode(value):
    return bool(re.fullmatch(r"\d{4}[A-Z]{2}", normalise_postcode(value)))


def postcode_display(postcode):
    """ "1097AB" -> "1097 AB", as it is written on an envelope."""
    postcode = postcode or ""
    return f"{postcode[:4]} {postcode[4:]}".strip()


def place_line(postcode, city):
    return " ".join(part for part in (postcode_display(postcode), city) if part)


def address_line(street_address, postcode, city):
    """The address on one line: "Ringdijk 12, 1097 AB Amsterdam"."""
    return ", ".join(part for part in (street_address, place_line(postcode, city)) if part)


def split_address_line(line):
    """A free line ("Lindengracht 12, 1015 KE Amsterdam") as (street, postcode, city).

    The part before a Dutch postcode is the street, the part after it the place. Without a
    postcode the first comma-separated part is the street and the rest the place.
    """
    line = re.sub(r"\s+", " ", line or "").strip(" ,")
    match = POSTCODE_IN_TEXT_RE.search(line)
    if match:
        street = line[: match.start()].strip(" ,")
        city = line[match.end() :].strip(" ,")
        return street, match.group(1) + match.group(2).upper(), city
    street, _comma, rest = line.partition(",")
    return street.strip(), "", rest.strip(" ,")
