"""The demo site: ``load_demo`` builds exactly what the snapshot records, and a second run
changes nothing.

The snapshot (``tests/home/data/demo_site.json``, see ``demo_snapshot``) was taken from the demo
as it was built before the content moved into data files, so a test failure here means content
was lost or changed. The demo's dates are relative to "now", which is fixed to the snapshot's.
"""

import datetime
import io
import os
import re
from unittest import mock

import pytest

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from . import demo_snapshot

pytestmark = pytest.mark.django_db


def load_demo(now):
    output = io.StringIO()
    with mock.patch("django.utils.timezone.now", return_value=now):
        call_command("load_demo", stdout=output)
    return output.getvalue()


def test_demo_matches_the_snapshot_and_a_second_run_changes_nothing():
    if os.environ.get("UPDATE_DEMO_SNAPSHOT"):
        now = timezone.now().replace(second=0, microsecond=0)
    else:
        now = datetime.datetime.fromisoformat(demo_snapshot.load()["now"])
    output = load_demo(now)
    first = demo_snapshot.snapshot()
    if os.environ.get("UPDATE_DEMO_SNAPSHOT"):
        demo_snapshot.dump({"now": now.isoformat(), "output": output, **first})
    expected = demo_snapshot.load()
    assert_same(first, expected)
    assert output == expected["output"]

    for username, password in printed_accounts(output):
        assert get_user_model().objects.get(username=username).check_password(password), username

    second_output = load_demo(now)
    assert_same(demo_snapshot.snapshot(), first)
    assert second_output == output


def printed_accounts(output):
    """(username, password) of every demo account ``load_demo`` prints."""
    accounts = re.findall(r"^  .+? (\S+) / (\S+)(?:  — .*)?$", output, flags=re.MULTILINE)
    assert len(accounts) == 9
    return accounts


def assert_same(actual, expected):
    """Model by model and row by row, so that a failure names what differs."""
    assert actual["counts"] == expected["counts"]
    for label, rows in expected["rows"].items():
        for position, row in enumerate(rows):
            assert actual["rows"][label][position] == row, f"{label} row {position}"
