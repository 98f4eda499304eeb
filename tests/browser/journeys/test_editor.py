"""A volunteer editor publishes a new meeting report from the dashboard's shortcut; it is in the
kennisbank and its search at once."""

import uuid

from playwright.sync_api import expect

from kennisbank.models import VerslagPage
from tests.browser.page_types import log_in_editor


def test_editor_publishes_a_verslag_from_the_dashboard(journey, live_server):
    street = f"Zwaluwstraat{uuid.uuid4().hex[:6]}"
    title = f"Buurtavond in de {street}"
    walk = journey("editor")
    page = walk.page

    log_in_editor(page, live_server.url)  # password and the code from the app: two steps
    walk.clicks += 2
    walk.fields += 3
    walk.step("dashboard")
    shortcuts = page.get_by_role("region", name="Snel aan de slag")
    expect(shortcuts).to_be_visible()
    walk.click(shortcuts.get_by_role("link", name="Nieuw verslag"))

    walk.step("new verslag")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Nieuw: Verslag")
    walk.fill(page.locator("#id_title"), title)
    walk.fill(page.get_by_role("textbox", name="Plaats", exact=True), "Buurthuis De Ringdijk")
    walk.fill(
        page.get_by_role("textbox", name="Samenvatting", exact=True),
        "Dertig buren spraken over de binnentuin, de burenhulp en een nieuwe koffieochtend.",
    )
    walk.click(page.get_by_role("checkbox", name="Ontmoeting"))
    walk.click(page.locator("footer [data-w-dropdown-target=toggle]").last)
    walk.click(page.get_by_role("button", name="Publiceren"))

    walk.step("published")
    errors = page.locator(".w-field__errors, .error-message").all_inner_texts()
    assert not [error for error in errors if error.strip()], errors
    expect(page.locator(".messages")).to_contain_text(title)
    verslag = VerslagPage.objects.get(title=title, locale__language_code="nl")
    assert verslag.live and verslag.themes.filter(slug="ontmoeting").exists()

    page.goto(f"{live_server.url}/nl/kennisbank/")
    walk.step("kennisbank")
    latest = page.get_by_role("region", name="Nieuw in de kennisbank")
    expect(latest.get_by_role("link", name=title)).to_be_visible()

    main = page.get_by_role("main")
    walk.fill(main.get_by_role("searchbox"), street)
    walk.click(main.get_by_role("button", name="Zoeken"))
    walk.step("search results")
    expect(page.locator(".kb-result").first).to_contain_text(title)
    walk.click(page.get_by_role("link", name=title))
    walk.step("the verslag")
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.locator(".kb-meta").first).to_contain_text("Verslag")
