"""A binnenbuurt's contact person posts news for her neighbours without the Wagtail admin; a member
of another binnenbuurt does not see it."""

import re
import uuid

from playwright.sync_api import expect

from members_area.models import BinnenbuurtNewsPage
from tests.browser.journeys.conftest import log_in


def test_contact_person_posts_news_that_only_her_binnenbuurt_sees(journey, live_server):
    title = f"Plantjesruil in de binnentuin {uuid.uuid4().hex[:6]}"
    walk = journey("contact person")
    page = walk.page

    page.goto(f"{live_server.url}/nl/login/")
    walk.step("login")
    log_in(walk, "carla@leden.example")
    walk.step("member home")
    expect(page.get_by_role("heading", name="Uw binnenbuurt: Zonnehof")).to_be_visible()

    walk.click(page.get_by_role("link", name="Naar de pagina van uw binnenbuurt"))
    walk.step("binnenbuurt page")
    expect(page.get_by_role("heading", level=1)).to_have_text("Zonnehof")
    walk.click(page.get_by_role("link", name="Nieuwsbericht plaatsen"))
    walk.step("post news")
    expect(page.get_by_role("heading", level=1)).to_have_text("Nieuwsbericht plaatsen")
    walk.fill(page.get_by_label(re.compile(r"^Titel")), title)
    walk.fill(
        page.get_by_label(re.compile(r"^Tekst")),
        "Zaterdag om tien uur ruilen we stekjes en plantjes in de binnentuin. Iedereen is welkom.",
    )
    walk.click(page.get_by_role("button", name="Plaatsen"))

    walk.step("binnenbuurt page with the news")
    expect(page.get_by_text("Uw bericht staat op de pagina.")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/nl/mijn-stadsdorp/zonnehof/$"))
    expect(page.get_by_role("link", name=title, exact=True)).to_be_visible()
    news = BinnenbuurtNewsPage.objects.get(title=title, alias_of__isnull=True)
    assert news.live

    # Bert lives in Lindengracht: not on his member home, and the page itself is closed to him.
    other = journey("member of another binnenbuurt")
    other.page.goto(f"{live_server.url}/nl/login/")
    log_in(other, "bert@leden.example")
    expect(other.page.get_by_role("heading", name="Uw binnenbuurt: Lindengracht")).to_be_visible()
    expect(other.page.get_by_text(title)).to_have_count(0)
    response = other.page.goto(live_server.url + news.url)
    assert response.status == 403
    expect(other.page.get_by_role("heading", level=1)).to_have_text("Geen toegang")
    expect(other.page.get_by_text(title)).to_have_count(0)
    other.page.goto(f"{live_server.url}/nl/kennisbank/?q=Plantjesruil")
    expect(other.page.get_by_text(title)).to_have_count(0)
