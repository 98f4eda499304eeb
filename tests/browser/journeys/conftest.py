"""What the journey tests share: a phone or desktop browser per person, and a record of the steps
and clicks each person needs, printed at the end of the run (the issue's figures).

A *step* is a page the person reaches and reads; a *click* is every link or button they press (a
form's submit button too); a *field* is every form field they fill in.
"""

import re
import uuid

import pytest
from axes.models import AccessAttempt
from playwright.sync_api import expect

from django.contrib.auth import get_user_model

from cms.accounts.models import RequestCounter
from members_area.models import Binnenbuurt, Member
from members_area.services import enrol_member
from tests.demo_accounts import PASSWORD

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}

FIGURES = []


class Journey:
    def __init__(self, person, page):
        self.person = person
        self.page = page
        self.steps = []
        self.clicks = 0
        self.fields = 0

    def step(self, what):
        """The person has reached ``what``; the test asserts what they must see there."""
        self.steps.append(what)

    def click(self, locator):
        self.clicks += 1
        locator.click()

    def fill(self, locator, value):
        self.fields += 1
        locator.fill(value)

    def select(self, locator, label):
        self.fields += 1
        locator.select_option(label=label)

    def summary(self):
        return (
            f"{self.person}: {len(self.steps)} steps, {self.clicks} clicks, "
            f"{self.fields} fields ({' > '.join(self.steps)})"
        )


@pytest.fixture
def journey(browser, live_server):
    """``journey(person, viewport=..., javascript=...)``: a fresh browser and its record."""
    contexts = []
    journeys = []

    def start(person, viewport=DESKTOP, javascript=True, locale="nl-NL"):
        context = browser.new_context(
            locale=locale, viewport=viewport, java_script_enabled=javascript
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        walk = Journey(person, context.new_page())
        journeys.append(walk)
        return walk

    yield start
    for walk in journeys:
        FIGURES.append(walk.summary())
    for context in contexts:
        context.close()


def pytest_terminal_summary(terminalreporter):
    if FIGURES:
        terminalreporter.write_sep("-", "journeys: steps and clicks")
        for line in FIGURES:
            terminalreporter.write_line(line)


@pytest.fixture(autouse=True)
def fresh_login_limits():
    # The login limits are counted in the database that the browser tests share.
    AccessAttempt.objects.all().delete()
    RequestCounter.objects.all().delete()
    yield


@pytest.fixture
def new_member():
    """A member of their own (a journey's sign-ups and posts must not touch the demo accounts')."""

    def make(binnenbuurt="Zonnehof", first_name="Greet"):
        email = f"lid-{uuid.uuid4().hex[:8]}@leden.example"
        user = get_user_model().objects.create_user(
            username=email, email=email, password=PASSWORD, first_name=first_name
        )
        enrol_member(
            Member.objects.create(user=user, binnenbuurt=Binnenbuurt.objects.get(name=binnenbuurt))
        )
        return email

    return make


def log_in(walk, email, password=PASSWORD, english=False):
    """The login form, filled in and sent (the person is on it already)."""
    page = walk.page
    email_label = "^E-mail address" if english else "^E-mailadres"
    walk.fill(page.get_by_label(re.compile(email_label)), email)
    walk.fill(page.get_by_label(re.compile("^Password" if english else "^Wachtwoord")), password)
    walk.click(page.get_by_role("button", name="Log in" if english else "Inloggen", exact=True))
    expect(page.get_by_role("heading", level=1)).to_be_visible()
