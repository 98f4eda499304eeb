"""The W3C Nu HTML checker (npm ``vnu-jar``, run with Java) finds no error in any page type.

The HTML is what the server sent (not the DOM after scripts ran), as a visitor (Dutch and English),
a member and a contact person see it; every page is checked in one run of the checker.
"""

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.browser.page_types import (
    ANONYMOUS_DUTCH,
    ANONYMOUS_ENGLISH,
    CONTACT_PERSON,
    MEMBER,
    log_in_member,
    resolve,
)

VNU_JAR = (
    Path(__file__).resolve().parents[2] / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
)

PEOPLE = {
    "anonymous": (None, {**ANONYMOUS_DUTCH, **ANONYMOUS_ENGLISH}),
    "member": ("anna@leden.example", MEMBER),
    "contact person": ("carla@leden.example", CONTACT_PERSON),
}


def file_name(person, label):
    return re.sub(r"[^a-z0-9]+", "-", f"{person} {label}".lower()).strip("-") + ".html"


def test_every_page_type_is_valid_html(browser, live_server, tmp_path):
    java = shutil.which("java")
    if java is None or not VNU_JAR.exists():
        pytest.fail("the Nu HTML checker needs Java and vnu-jar: `make install` installs both")
    pages = {}
    for person, (account, paths) in PEOPLE.items():
        context = browser.new_context(locale="nl-NL")
        browser_page = context.new_page()
        if account:
            log_in_member(browser_page, live_server.url, account)
        for label, path in paths.items():
            response = browser_page.goto(live_server.url + resolve(path))
            name = file_name(person, label)
            (tmp_path / name).write_text(response.text())
            pages[name] = f"{person}: {label} ({path})"
        context.close()

    checked = subprocess.run(
        [java, "-jar", str(VNU_JAR), "--errors-only", "--format", "json", "--exit-zero-always"]
        + sorted(str(tmp_path / name) for name in pages),
        capture_output=True,
        text=True,
        timeout=600,
    )
    messages = json.loads(checked.stderr)["messages"]
    errors = {}
    for message in messages:
        if message["type"] not in ("error", "non-document-error"):
            continue
        page = pages.get(Path(message.get("url", "")).name, message.get("url"))
        errors.setdefault(page, []).append(
            f"line {message.get('lastLine')}: {message['message']} {message.get('extract', '')!r}"
        )
    summary = "\n".join(f"{page}:\n  " + "\n  ".join(found) for page, found in errors.items())
    print(f"\nNu HTML checker: {len(pages)} pages, {len(messages)} errors")
    assert not errors, f"HTML errors:\n{summary}"
