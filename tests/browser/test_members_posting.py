"""A contact person publishes a news item (friendly form and Wagtail admin); only their
binnenbuurt sees it. Uses the demo accounts: Carla (contact person of Zonnehof), Anna (member of
Zonnehof) and Bert (member of Lindengracht)."""

import re
import uuid

import pytest
from playwright.sync_api import expect

from members_area.models import BinnenbuurtNewsPage, BinnenbuurtPage
from tests.demo_accounts import PASSWORD

pytestmark = pytest.mark.usefixtures("fresh_rate_limits")


def log_in(page, base_url, email):
    page.context.clear_cookies()
    page.goto(f"{base_url}/nl/login/")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label(re.compile(r"^Wachtwoord")).fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    expect(page).to_have_url(re.compile(r"/nl/mijn-stadsdorp/$"))


def assert_only_zonnehof_sees(page, base_url, title, url):
    log_in(page, base_url, "anna@leden.example")
    expect(page.get_by_role("link", name=title, exact=True)).to_be_visible()
    page.get_by_role("link", name=title, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)

    log_in(page, base_url, "bert@leden.example")
    expect(page.get_by_role("heading", name="Uw binnenbuurt: Lindengracht")).to_be_visible()
    expect(page.get_by_text(title)).to_have_count(0)
    response = page.goto(base_url + url)
    assert response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("Geen toegang")
    expect(page.get_by_text(title)).to_have_count(0)


def test_contact_person_posts_news_from_the_binnenbuurt_page(live_server, page, assert_accessible):
    title = f"Tuinmiddag {uuid.uuid4().hex[:6]}"
    log_in(page, live_server.url, "carla@leden.example")
    page.get_by_role("link", name="Naar de pagina van uw binnenbuurt").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Zonnehof")
    expect(page.get_by_role("heading", name="Ledenlijst")).to_be_visible()
    assert_accessible(page, "binnenbuurt page")

    page.get_by_role("link", name="Nieuwsbericht plaatsen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nieuwsbericht plaatsen")
    # A missing title: a clear Dutch message, the text is kept.
    page.get_by_label(re.compile(r"^Tekst")).fill("We ruimen samen de binnentuin op.")
    page.get_by_role("button", name="Plaatsen").click()
    expect(page.get_by_text("Geef het bericht een titel.")).to_be_visible()
    expect(page.get_by_label(re.compile(r"^Tekst"))).to_have_value(
        "We ruimen samen de binnentuin op."
    )
    page.get_by_label(re.compile(r"^Titel")).fill(title)
    page.get_by_role("button", name="Plaatsen").click()
    expect(page.get_by_text("Uw bericht staat op de pagina.")).to_be_visible()
    expect(page.get_by_role("link", name=title, exact=True)).to_be_visible()
    expect(page.get_by_role("link", name=re.compile(f"Bewerken.*{title}"))).to_be_visible()

    page.get_by_role("link", name=title, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    assert_accessible(page, "news item")

    news = BinnenbuurtNewsPage.objects.get(title=title)
    assert_only_zonnehof_sees(page, live_server.url, title, news.url)


def test_contact_person_publishes_news_in_the_wagtail_admin(live_server, page):
    title = f"Bericht uit de beheeromgeving {uuid.uuid4().hex[:6]}"
    section = BinnenbuurtPage.objects.get(binnenbuurt__name="Zonnehof")
    page.goto(f"{live_server.url}/admin/login/")
    page.locator("#id_username").fill("carla@leden.example")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))

    page.goto(f"{live_server.url}/admin/pages/add/members_area/binnenbuurtnewspage/{section.pk}/")
    page.locator("#id_title").fill(title)
    page.locator("#id_title").blur()
    # The slug sits on the hidden "Promote" tab; Wagtail's script may fill it only on that tab.
    page.evaluate(
        "slug => { const field = document.querySelector('#id_slug');"
        " if (field && !field.value) field.value = slug; }",
        title.lower().replace(" ", "-"),
    )
    editor = page.locator("[data-contentpath=body] [contenteditable=true]")
    editor.click()
    page.keyboard.type("Dit bericht is geplaatst via de beheeromgeving van Wagtail.")
    expect(editor).to_contain_text("geplaatst via de beheeromgeving")
    page.locator("#id_title").click()  # leave the editor: Draftail writes its hidden input
    expect(page.locator("input[name=body]")).to_have_value(re.compile("beheeromgeving"))
    page.locator("footer [data-w-dropdown-target=toggle]").last.click()
    page.locator("button[name=action-publish]").click()
    errors = page.locator(".w-field__errors, .error-message").evaluate_all(
        "nodes => nodes.filter(n => (n.textContent || '').trim()).map(n => "
        "(n.closest('[data-contentpath]') || n).getAttribute('data-contentpath') + ': '"
        " + n.textContent.trim())"
    )
    assert not errors, errors
    expect(page.locator(".messages")).to_contain_text(title)

    # wagtail-localize also made an English alias (locale synchronisation); the original is Dutch.
    news = BinnenbuurtNewsPage.objects.get(title=title, alias_of__isnull=True)
    assert news.live
    assert news.get_parent().pk == section.pk
    english_alias = BinnenbuurtNewsPage.objects.filter(alias_of=news).first()

    # The same contact person cannot add pages to another binnenbuurt.
    other = BinnenbuurtPage.objects.get(binnenbuurt__name="Lindengracht")
    page.goto(f"{live_server.url}/admin/pages/add/members_area/binnenbuurtnewspage/{other.pk}/")
    expect(page.locator("#id_title")).to_have_count(0)

    assert_only_zonnehof_sees(page, live_server.url, title, news.url)
    if english_alias is not None:
        response = page.goto(live_server.url + english_alias.url)
        assert response.status == 403
