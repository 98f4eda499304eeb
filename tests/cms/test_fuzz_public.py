"""Property test: whatever a visitor puts in a public query string or form, the site never answers
with a server error.

Hypothesis generates text with control characters, emoji, quotes, SQL and search operators, huge
numbers and very long values for every parameter the public views read (kennisbank search and
glossary, agenda filters and views, the stadsdorp directory, text size, login, newsletter sign-up,
event sign-up, the contact form and the helpful vote). The demo site is loaded once for the module
inside a transaction that is rolled back afterwards. An endpoint whose page is not in the demo
content is skipped with the reason.

The test client re-raises any exception from a view, so a crash fails the example even where a
500 page would have been rendered.
"""

import io
import string

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from django.core.management import call_command
from django.db import transaction
from django.test import Client

from wagtail.models import Page

MAX_EXAMPLES = 40
HYPOTHESIS_SETTINGS = settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    database=None,  # no .hypothesis directory in the checkout
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

# Values people and robots really send: operators, quotes, injections, numbers far out of range.
NASTY = [
    "",
    " ",
    "0",
    "-1",
    "99999999999999999999999999999",
    "1e309",
    "NaN",
    "2026-13",
    "2026-02-30",
    "0000-00",
    "'",
    '"',
    '"binnenbuurt',
    "AND OR NOT",
    "koffie AND (",
    "title:* ~ ^2 \\",
    "'; DROP TABLE wagtailcore_page; --",
    "<script>alert(1)</script>",
    "%00",
    "\x00",
    "\u202e\u200b",
    "🏘️👵🏼☕",
    "../../etc/passwd",
    "a" * 5000,
    "thema[]",
    "*",
]
text_values = st.one_of(
    st.sampled_from(NASTY),
    st.text(max_size=200),
    st.text(alphabet=string.printable, max_size=60),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
)


def no_nul(value):
    """Django's test client cannot put a NUL byte in a URL or form, a browser sends %00."""
    return value.replace("\x00", "%00")


def params_strategy(names):
    """A dict of some of ``names`` to one value or a list of values."""
    value = st.one_of(text_values.map(no_nul), st.lists(text_values.map(no_nul), max_size=3))
    return st.dictionaries(st.sampled_from(names), value, max_size=len(names))


@pytest.fixture(scope="module")
def demo_site(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            call_command("load_demo", stdout=io.StringIO())
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def demo(demo_site, db):
    return None


def first_page(app_label, model):
    page = (
        Page.objects.live()
        .public()
        .filter(content_type__app_label=app_label, content_type__model=model)
        .filter(locale__language_code="nl")
        .first()
    )
    if page is None:
        pytest.skip(f"no live {app_label}.{model} in the demo content (app not built yet?)")
    return page.specific


def assert_no_server_error(response, description):
    assert response.status_code < 500, f"{response.status_code} for {description}"


def fuzz_get(path, names):
    client = Client()
    # The endpoint itself must exist, or the examples below would only exercise a 404.
    assert client.get(path).status_code < 400, f"GET {path} without parameters"

    @HYPOTHESIS_SETTINGS
    @given(params=params_strategy(names))
    def check(params):
        response = client.get(path, params)
        assert_no_server_error(response, f"GET {path} {params!r}")

    check()


def fuzz_post(path, names, fixed=None):
    # Same-origin, like a browser posting a form of this site, so the views get past origin checks.
    client = Client(headers={"Origin": "http://testserver"})

    @HYPOTHESIS_SETTINGS
    @given(data=params_strategy(names))
    def check(data):
        response = client.post(path, {**(fixed or {}), **data})
        assert_no_server_error(response, f"POST {path} {data!r}")

    check()


KENNISBANK_SEARCH = ["q", "type", "theme", "tag", "year", "audience", "sort", "page", "per_page"]
AGENDA = ["categorie", "stadsdorp", "maand", "weken", "page"]


def test_kennisbank_search_parameters(demo):
    index = first_page("kennisbank", "kennisbankindexpage")
    fuzz_get(index.url, KENNISBANK_SEARCH)


def test_kennisbank_glossary_term(demo):
    glossary = first_page("kennisbank", "glossarypage")
    fuzz_get(glossary.url, ["term", "q", "page"])


def test_kennisbank_item_print_and_helpful_vote(demo):
    article = first_page("kennisbank", "stappenplanpage")
    fuzz_get(article.url, ["print", "page"])
    fuzz_post(f"/nl/kennisbank/nuttig/{article.pk}/", ["helpful", "next", "comment"])


@pytest.mark.parametrize("route", ["", "maand/", "archief/", "afdrukken/", "ical/"])
def test_agenda_filters(demo, route):
    agenda = first_page("events", "eventindexpage")
    fuzz_get(agenda.url + route, AGENDA)


def test_event_page_and_signup_form(demo):
    event = first_page("events", "eventpage")
    fuzz_get(event.url, ["datum"])
    fuzz_post(
        event.url + "aanmelden/",
        ["datum", "name", "email", "phone", "number_of_people", "remarks", "website"],
    )


def test_stadsdorp_directory_theme(demo):
    directory = first_page("home", "stadsdorpindexpage")
    fuzz_get(directory.url, ["thema", "page"])


def test_contact_form_fields(demo):
    form_page = first_page("home", "formpage")
    names = [field.clean_name for field in form_page.get_form_fields()]
    fuzz_post(form_page.url, [*names, "form_token", "website"])


def test_text_size_and_login_redirect_targets(demo):
    fuzz_get("/tekstgrootte/", ["grootte", "next"])
    fuzz_post("/tekstgrootte/", ["grootte", "next"])
    fuzz_get("/nl/login/", ["next"])
    fuzz_post("/nl/login/", ["username", "email", "password", "next", "remember_me"])


def test_newsletter_signup(demo):
    first_page("subscriptions", "newsletterindexpage")
    fuzz_post("/nl/nieuwsbrief/aanmelden/", ["email", "name", "consent", "website"])
