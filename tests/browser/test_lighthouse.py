"""Lighthouse 12 (npm, with Debian's Chromium) scores at least 95 in every category on the home
page, a guide, search results, the agenda and the member home (logged in, by its session cookie).

Lighthouse's defaults: a mobile phone, simulated slow 4G and a 4x slower CPU. It takes 30-60 s a
page here, so `make test` leaves it out (marker ``lighthouse``) and `.ci/run` runs it on its own.
The performance score moves with the load of the machine (its total blocking time is the main
thread's, of a machine shared with other work), so a page below the threshold is measured twice
more and the median counts, as Lighthouse's documentation on variability advises; the other
categories do not depend on timing. Each page is requested once before it is measured (the
server's first rendering fills its caches), and a Lighthouse run that fails to record its trace
is run once more.
"""

import json
import os
import statistics
import subprocess
import urllib.request
from pathlib import Path

import pytest

from tests.browser.conftest import CHROMIUM_ARGS, CHROMIUM_PATH
from tests.browser.page_types import log_in_member

pytestmark = pytest.mark.lighthouse

LIGHTHOUSE = Path(__file__).resolve().parents[2] / "node_modules" / ".bin" / "lighthouse"
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
THRESHOLD = 0.95
PAGES = {
    "home": "/nl/",
    "guide (stappenplan)": "/nl/kennisbank/een-stadsdorp-starten/",
    "search results": "/nl/kennisbank/?q=binnenbuurt",
    "agenda": "/nl/agenda/",
    "member home": "/nl/mijn-stadsdorp/",
}
LOGGED_IN = {"member home"}
# The flags of the other browser tests, without those Lighthouse sets itself.
LIGHTHOUSE_CHROME_FLAGS = " ".join(
    flag for flag in CHROMIUM_ARGS if flag not in ("--no-first-run", "--disable-quic")
)


def lighthouse(url, output, cookie=None):
    command = [
        str(LIGHTHOUSE),
        url,
        "--quiet",
        "--output=json",
        f"--output-path={output}",
        f"--chrome-flags={LIGHTHOUSE_CHROME_FLAGS}",
        f"--only-categories={','.join(CATEGORIES)}",
    ]
    if cookie:
        command.append(f"--extra-headers={json.dumps({'Cookie': cookie})}")
    for attempt in (1, 2):
        finished = subprocess.run(
            command,
            timeout=300,
            env={**os.environ, "CHROME_PATH": CHROMIUM_PATH},
            capture_output=True,
            text=True,
        )
        # "Something went wrong with recording the trace ... Please run Lighthouse again": once.
        if finished.returncode == 0 or attempt == 2:
            break
    assert finished.returncode == 0, f"Lighthouse failed on {url}: {finished.stderr[-2000:]}"
    report = json.loads(Path(output).read_text())
    scores = {name: report["categories"][name]["score"] for name in CATEGORIES}
    audits = [
        report["audits"][ref["id"]]
        for name in CATEGORIES
        for ref in report["categories"][name]["auditRefs"]
        if ref["weight"]
    ]
    below = [
        f"{audit['title']} ({audit.get('displayValue', '')})"
        for audit in audits
        if audit.get("score") is not None and audit["score"] < 1
    ]
    return scores, below


@pytest.fixture
def member_cookie(browser, live_server):
    """``member_cookie()``: the Cookie header of a member who just logged in."""

    def log_in():
        context = browser.new_context(locale="nl-NL")
        log_in_member(context.new_page(), live_server.url, "anna@leden.example")
        cookies = "; ".join(f"{cookie['name']}={cookie['value']}" for cookie in context.cookies())
        context.close()
        return cookies

    return log_in


@pytest.mark.parametrize("label", list(PAGES))
def test_lighthouse_scores_at_least_95(label, live_server, member_cookie, tmp_path):
    if not LIGHTHOUSE.exists():
        pytest.fail("Lighthouse is missing: `make install` installs the npm packages")
    url = live_server.url + PAGES[label]
    cookie = member_cookie() if label in LOGGED_IN else None
    # The server's first rendering of a page (templates, caches) is not what a visitor waits for.
    warm = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    urllib.request.urlopen(warm, timeout=60).read()
    scores, below = lighthouse(url, tmp_path / "report-1.json", cookie)
    performance = [scores["performance"]]
    if scores["performance"] < THRESHOLD:
        for run in (2, 3):
            again, _below = lighthouse(url, tmp_path / f"report-{run}.json", cookie)
            performance.append(again["performance"])
        scores["performance"] = statistics.median(performance)
    shown = ", ".join(f"{name} {round(score * 100)}" for name, score in scores.items())
    print(f"\nLighthouse {label}: {shown} (performance runs: {performance})")
    failing = {name: score for name, score in scores.items() if score < THRESHOLD}
    assert not failing, f"{label}: {failing}; audits below full marks: {below}"
