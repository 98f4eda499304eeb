"""One address per member: merge ``Member.address`` and the membership's street/postcode/city
into ``Member.street_address``, ``postcode`` and ``city``, then drop the membership's copy.

Until now the profile ("Mijn profiel") edited ``Member.address`` (one free line) while labels,
letters, lists and exports read ``Membership.street_address/postcode/city``. For each member:

* only one of the two holds an address: that one is kept (a member without a membership, made by
  hand in the admin, keeps the profile's line, split into its parts);
* both hold the same address (compared without case, spaces and commas, or the profile's line
  being the membership's street alone): the membership's parts are kept, they are the checked ones;
* both hold an address and they differ: **the profile's line is kept**, because it is the one
  edited last. Neither model records when it was edited, but the membership's copy was only ever
  written together with the profile's line (approval and the import write both, from the same
  data), so the two can only differ after a later edit of the profile's line: the member in
  "Mijn profiel" (the reason for this change: a member who moved) or an administrator in the admin.
  The line is split into street, postcode and place; when it holds no postcode the postcode is
  left empty (an old postcode under a new street would send post to the wrong door; the profile
  then asks the member for it), and without a place the membership's place is kept.

Reversible: going back writes the parts into both old fields again.
"""

import re

from django.db import migrations

BATCH = 500
POSTCODE_IN_TEXT_RE = re.compile(r"(?<!\d)(\d{4})\s?([A-Za-z]{2})(?![A-Za-z])")


def _split(line):
    """A copy of members_area.addresses.split_address_line as it was (migrations stay frozen)."""
    line = re.sub(r"\s+", " ", line or "").strip(" ,")
    match = POSTCODE_IN_TEXT_RE.search(line)
    if match:
        street = line[: match.start()].strip(" ,")
        return street, match.group(1) + match.group(2).upper(), line[match.end() :].strip(" ,")
    street, _comma, rest = line.partition(",")
    return street.strip(), "", rest.strip(" ,")


def _key(text):
    return re.sub(r"[\s,]+", "", text or "").lower()


def _line(street, postcode, city):
    place = " ".join(part for part in (f"{postcode[:4]} {postcode[4:]}".strip(), city) if part)
    return ", ".join(part for part in (street, place) if part)


def merged_address(profile_line, street, postcode, city):
    """(street, postcode, city) for one member, by the rules of this module's docstring."""
    profile_line = (profile_line or "").strip()
    if not profile_line:
        return street, postcode, city
    if not street:
        return _split(profile_line)
    same = _key(profile_line) in (_key(_line(street, postcode, city)), _key(street))
    if same:
        return street, postcode, city
    new_street, new_postcode, new_city = _split(profile_line)
    if new_street and _key(new_street) == _key(street) and new_postcode in ("", postcode):
        return street, postcode, new_city or city  # the same address, written another way
    return new_street, new_postcode, new_city or city


def forwards(apps, schema_editor):
    Member = apps.get_model("members_area", "Member")
    Membership = apps.get_model("membership", "Membership")
    held = {
        member_id: (street, postcode, city)
        for member_id, street, postcode, city in Membership.objects.values_list(
            "member_id", "street_address", "postcode", "city"
        )
    }
    changed = []
    for member in Member.objects.only("pk", "address").iterator(chunk_size=BATCH):
        street, postcode, city = merged_address(member.address, *held.get(member.pk, ("", "", "")))
        member.street_address, member.postcode, member.city = street[:200], postcode, city[:100]
        if street or postcode or city:
            changed.append(member)
    Member.objects.bulk_update(changed, ["street_address", "postcode", "city"], BATCH)


def backwards(apps, schema_editor):
    Member = apps.get_model("members_area", "Member")
    Membership = apps.get_model("membership", "Membership")
    members = {
        member.pk: member
        for member in Member.objects.only("pk", "street_address", "postcode", "city")
    }
    for member in members.values():
        member.address = _line(member.street_address, member.postcode, member.city)[:200]
    Member.objects.bulk_update(members.values(), ["address"], BATCH)
    memberships = list(Membership.objects.only("pk", "member_id"))
    for membership in memberships:
        member = members[membership.member_id]
        membership.street_address = member.street_address
        membership.postcode = member.postcode
        membership.city = member.city
    Membership.objects.bulk_update(memberships, ["street_address", "postcode", "city"], BATCH)


class Migration(migrations.Migration):
    dependencies = [
        ("membership", "0004_contributions"),
        ("members_area", "0004_member_address_parts"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
        migrations.RemoveField(model_name="membership", name="street_address"),
        migrations.RemoveField(model_name="membership", name="postcode"),
        migrations.RemoveField(model_name="membership", name="city"),
    ]
