"""Suggesting a binnenbuurt from an address: the parsing rules coordinators rely on."""

from types import SimpleNamespace

from members_area.membership.postcodes import (
    invalid_lines,
    normalise_postcode,
    normalise_street,
    parse_ranges,
    suggest_binnenbuurt,
)


def buurt(name, streets="", postcodes=""):
    return SimpleNamespace(name=name, area=SimpleNamespace(streets=streets, postcodes=postcodes))


def test_postcodes_are_normalised():
    assert normalise_postcode(" 1097 ab ") == "1097AB"
    assert normalise_postcode("1097") == "1097"
    assert normalise_postcode("SW1A 1AA") == "SW1A 1AA"


def test_streets_lose_house_numbers():
    assert normalise_street("Ringdijk 12-3 hs") == "ringdijk"
    assert normalise_street("Van Swindenstraat 4a") == "van swindenstraat"
    assert normalise_street("Middenweg, 88") == "middenweg"


def test_ranges_in_the_ways_volunteers_write_them():
    assert parse_ranges("1097 AA - 1097 CZ\n1092\n\n1093 aa t/m 1093 bz\nonzin") == [
        ("1097AA", "1097CZ"),
        ("1092AA", "1092ZZ"),
        ("1093AA", "1093BZ"),
    ]
    assert invalid_lines("1097 AA - 1097 CZ\nonzin", "postcodes") == ["onzin"]


def test_street_beats_postcode_range():
    by_range = buurt("Reeks", postcodes="1097")
    by_street = buurt("Straat", streets="Ringdijk")
    assert suggest_binnenbuurt([by_range, by_street], "Ringdijk 3", "1097AB") is by_street
    assert suggest_binnenbuurt([by_range, by_street], "Elders 3", "1097 AB") is by_range
    assert suggest_binnenbuurt([by_range, by_street], "Elders 3", "1098 AB") is None
