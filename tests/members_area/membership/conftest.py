"""The member world of tests/members_area plus a second stadsdorp and a coordinator for each."""

import time
import uuid

import pytest

from django.core import signing

from home.form_protection import TOKEN_SALT
from members_area.membership.models import BinnenbuurtArea, MembershipSettings
from members_area.models import Binnenbuurt
from members_area.services import setup_binnenbuurt
from tests.members_area.conftest import make_stadsdorp, make_user


def old_token(seconds=10):
    """A form token as if the form had been shown ``seconds`` ago (people need a moment)."""
    return signing.dumps({"id": uuid.uuid4().hex, "ts": time.time() - seconds}, salt=TOKEN_SALT)


@pytest.fixture
def membership_world(world):
    zuid = make_stadsdorp(world.home, "Stadsdorp Zuid")
    c = setup_binnenbuurt(Binnenbuurt.objects.create(name="Rivierbuurt", stadsdorp=zuid))
    coordinator_x = make_user("xandra@example.org", "Xandra")
    coordinator_y = make_user("yusuf@example.org", "Yusuf")
    # Noord's treasurer: keeps the contributions, nothing else (not a member here, so that the
    # other tests' member counts stay as they were).
    treasurer_x = make_user("tara@example.org", "Tara")
    settings_x = MembershipSettings.objects.create(stadsdorp=world.stadsdorp)
    settings_x.coordinators.add(coordinator_x)
    settings_x.treasurers.add(treasurer_x)
    MembershipSettings.objects.create(stadsdorp=zuid).coordinators.add(coordinator_y)
    BinnenbuurtArea.objects.create(
        binnenbuurt=world.a, streets="Ringdijk\nMiddenweg", postcodes="1097 AA - 1097 CZ"
    )
    BinnenbuurtArea.objects.create(binnenbuurt=world.b, postcodes="1098")
    world.zuid = zuid
    world.c = c
    world.users["coordinator_x"] = coordinator_x
    world.users["coordinator_y"] = coordinator_y
    world.users["treasurer_x"] = treasurer_x
    return world


def application_data(**overrides):
    data = {
        "first_name": "Greet",
        "last_name": "de Vries",
        "street_address": "Ringdijk 12",
        "postcode": "1097 ab",
        "city": "Amsterdam",
        "phone": "020 555 12 12",
        "email": "greet@example.org",
        "language": "nl",
        "binnenbuurt": "",
        "heard_from": "flyer",
        "share_phone": "on",
        "privacy_consent": "on",
        "form_token": old_token(),
        "hp_website": "",
        "action": "apply",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}
