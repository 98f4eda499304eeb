"""Playwright driving Debian's Chromium against pytest-django's live server.

Chromium comes from the Debian package (``apt-get install chromium``); Playwright's own browser
download does not work on our machines.
"""

import os
import re
import shutil
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from playwright.sync_api import expect

from django.core.cache import cache

from cms.accounts.models import RequestCounter

USERBAR = re.compile(r"<wagtail-userbar\b.*?</wagtail-userbar>", re.S)
CHROMIUM_PATH = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
AXE_PATH = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"

# Playwright's sync API runs an event loop in the test thread; Django's ORM refuses to run there
# unless told that this is safe, which it is in tests (one thread drives the browser).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


# The browser tests run in a pytest session of their own (`make test` runs them after the rest):
# the demo site is loaded ONCE and kept for the whole session, instead of being flushed and
# rebuilt around every test by pytest-django's transactional_db. Tests must therefore not depend
# on each other's writes (use unique names and e-mail addresses).
@pytest.fixture(scope="session")
def demo_site(django_db_setup, django_db_blocker):
    from django.core.management import call_command

    with django_db_blocker.unblock():
        call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115


@pytest.fixture
def transactional_db(demo_site, django_db_blocker):
    with django_db_blocker.unblock():
        yield


@pytest.fixture
def db(transactional_db):
    return None


@pytest.fixture
def fresh_rate_limits():
    """No login or e-mail limit left over from an earlier test: they are counted in the database,
    which the browser tests share for the whole session."""
    AccessAttempt.objects.all().delete()
    RequestCounter.objects.all().delete()
    cache.clear()
    yield
    AccessAttempt.objects.all().delete()
    RequestCounter.objects.all().delete()
    cache.clear()


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM_PATH):
        pytest.fail(f"Chromium not found at {CHROMIUM_PATH}: run `apt-get install -y chromium`.")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM_PATH, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="nl-NL", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    browser_page = context.new_page()
    yield browser_page
    context.close()


@pytest.fixture
def phone_without_js(browser):
    context = browser.new_context(
        locale="nl-NL", viewport={"width": 390, "height": 844}, java_script_enabled=False
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    # The last page the server sent; read without running a script (see check_page).
    page.documents = []
    page.on(
        "response",
        lambda response: (
            (response.request.resource_type == "document" and response.status == 200)
            and page.documents.append(response)
        ),
    )
    yield page
    context.close()


@pytest.fixture
def check_page(browser, assert_accessible):
    """axe-core on what the JavaScript-less phone shows.

    axe is a script, and scripts do not run in a context without JavaScript (Playwright's
    evaluate, and so content(), waits for ever there), so the HTML the server sent for the page
    (with a <base> so that the site's own stylesheets load) is checked in a second phone-sized
    context that runs scripts.
    """
    context = browser.new_context(locale="nl-NL", viewport={"width": 390, "height": 844})
    context.set_default_timeout(15_000)
    axe_page = context.new_page()

    def check(page, label):
        expect(page.locator("h1").first).to_be_visible()
        response = page.documents[-1]
        html = response.text().replace("<head>", f'<head><base href="{response.url}">', 1)
        # Wagtail's user bar (editors and contact persons) is a web component: without JavaScript
        # the phone shows nothing of it, and in the checking context axe would catch it half
        # styled. The JavaScript-enabled axe tests check it as it really appears.
        html = USERBAR.sub("", html)
        axe_page.set_content(html, wait_until="load")
        assert_accessible(axe_page, label)
        width = axe_page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{label} scrolls sideways ({width}px)"

    yield check
    context.close()


@pytest.fixture(scope="session")
def axe_source():
    if not AXE_PATH.exists():
        pytest.fail("axe-core is missing: run `npm install` (make install does).")
    return AXE_PATH.read_text()


def invisible_text(results):
    """Targets of the text axe could not judge because it has the colour of its background.

    axe files a 1:1 contrast under "incomplete" (needs review), not under violations, so a button
    whose text is blue on blue would pass a check that only reads the violations.
    """
    targets = []
    for rule in results["incomplete"]:
        if rule["id"] != "color-contrast":
            continue
        for node in rule["nodes"]:
            for check in node["any"]:
                data = check.get("data") or {}
                if data.get("messageKey") == "equalRatio" or data.get("contrastRatio") == 1:
                    targets.append(node["target"])
    return targets


AXE_RUN = """async () => await axe.run(document, {
    runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa',
                                     'wcag22aa', 'best-practice']},
})"""


def axe_problems(browser_page, axe_source, allowed=None):
    """What axe-core finds in the page that must fail a test: serious or critical violations and
    text with a 1:1 contrast. ``allowed(rule_id, node)`` may excuse single nodes (admin markup
    that is Wagtail's own, see test_accessibility_every_page.py)."""
    # evaluate() is not subject to the page's Content-Security-Policy, unlike a script tag.
    browser_page.evaluate(axe_source)
    results = browser_page.evaluate(AXE_RUN)
    problems = []
    for violation in results["violations"]:
        if violation["impact"] not in ("serious", "critical"):
            continue
        nodes = [
            node for node in violation["nodes"] if not (allowed and allowed(violation["id"], node))
        ]
        if nodes:
            problems.append(
                f"{violation['impact']}: {violation['id']} — {violation['help']} "
                f"({len(nodes)}x, e.g. {nodes[0]['target']})"
            )
    invisible = invisible_text(results)
    if invisible:
        problems.append(f"text with a 1:1 contrast (invisible): {invisible}")
    return problems


@pytest.fixture
def assert_accessible(axe_source):
    """Runs axe-core in the page and fails on any serious or critical violation."""

    def check(browser_page, context_label=""):
        problems = axe_problems(browser_page, axe_source)
        summary = "\n".join(problems)
        assert not problems, f"axe-core on {context_label or browser_page.url}:\n{summary}"

    return check
