"""The public site's Content-Security-Policy (cms/security.py) breaks nothing in Chromium.

Every kind of public page of the demo site is opened and Chromium's CSP violation reports
(``securitypolicyviolation`` events and console errors) are collected: an inline script or style,
or an asset from another host, that a template adds later fails this test. JSON-LD data blocks
are not executed and must not be reported.
"""

from wagtail.models import Page

PAGE_TYPES = [
    "home.homepage",
    "home.contentpage",
    "home.formpage",
    "home.stadsdorpindexpage",
    "home.stadsdorppage",
    "kennisbank.kennisbankindexpage",
    "kennisbank.artikelpage",
    "kennisbank.stappenplanpage",
    "kennisbank.glossarypage",
    "events.eventindexpage",
    "events.eventpage",
]

# Installed before any page script runs: records violations that happen during parsing too.
COLLECT_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (event) => {
    window.__cspViolations.push(event.violatedDirective + ' ' + (event.blockedURI || 'inline'));
});
"""


def public_paths():
    paths = []
    for label in PAGE_TYPES:
        app_label, model = label.split(".")
        page = (
            Page.objects.live()
            .public()
            .filter(content_type__app_label=app_label, content_type__model=model)
            .filter(locale__language_code="nl")
            .first()
        )
        if page is not None:
            paths.append(page.url)
    return paths


def test_public_pages_report_no_csp_violation(page, live_server):
    paths = public_paths()
    assert "/nl/" in paths, "the demo site should have a home page"
    page.add_init_script(COLLECT_VIOLATIONS)
    console_errors = []
    page.on(
        "console",
        lambda message: (
            console_errors.append(message.text)
            if "Content Security Policy" in message.text
            else None
        ),
    )
    checked = []
    for path in paths + ["/nl/login/"]:
        response = page.goto(live_server.url + path)
        assert response is not None and response.status < 400, path
        csp = response.headers.get("content-security-policy", "")
        assert "script-src 'self'" in csp, path
        page.wait_for_load_state("load")
        violations = page.evaluate("window.__cspViolations")
        assert violations == [], f"{path}: {violations}"
        checked.append(path)
    assert console_errors == []
    assert len(checked) >= 3
