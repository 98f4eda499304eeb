"""Walks the public pages of the demo site in Chromium: navigation, languages, the directory
filter, the contact form, the text-size control, keyboard use, print and accessibility.

The demo site is loaded once per browser session (``demo_site`` in conftest); tests here only
add form submissions, never change shared content.
"""

import re
import time

import pytest
from playwright.sync_api import expect

from wagtail.contrib.forms.models import FormSubmission


@pytest.fixture
def base_url(live_server):
    return live_server.url


def test_walk_home_content_directory_and_stadsdorp(page, base_url, assert_accessible):
    page.goto(f"{base_url}/nl/")
    expect(page.locator("h1")).to_have_text("Netwerk Stadsdorpen")
    expect(page.get_by_role("heading", name="Start een stadsdorp")).to_be_visible()
    assert_accessible(page, "homepage (nl)")

    menu = page.get_by_role("navigation", name="Hoofdmenu")
    menu.get_by_role("link", name="Over het netwerk").click()
    expect(page).to_have_url(f"{base_url}/nl/over-het-netwerk/")
    expect(page.locator("h1")).to_have_text("Over het netwerk")
    expect(menu.get_by_role("link", name="Over het netwerk")).to_have_attribute(
        "aria-current", "page"
    )
    assert_accessible(page, "inhoudspagina (nl)")

    page.goto(f"{base_url}/nl/nieuw-hier/")
    faq = page.locator("details.faq-item").first
    expect(faq).not_to_have_attribute("open", "")
    faq.locator("summary").click()
    expect(faq).to_have_attribute("open", "")
    expect(faq.locator(".faq-item__answer")).to_be_visible()

    menu.get_by_role("link", name="Stadsdorpen").click()
    expect(page.locator("h1")).to_have_text("Stadsdorpen")
    expect(page.locator(".card")).to_have_count(6)
    assert_accessible(page, "overzicht stadsdorpen (nl)")

    page.get_by_label("Toon stadsdorpen met activiteiten over").select_option(label="Cultuur")
    page.get_by_role("button", name="Toon", exact=True).click()
    expect(page).to_have_url(re.compile(r"\?thema=cultuur$"))
    expect(page.locator(".card")).to_have_count(2)
    expect(page.get_by_role("status")).to_contain_text("met het thema 'Cultuur'")

    page.get_by_role("link", name="Stadsdorp Rivierenbuurt-Noord").click()
    expect(page.locator("h1")).to_have_text("Stadsdorp Rivierenbuurt-Noord")
    expect(page.locator("dl.facts").first).to_contain_text("12")
    assert_accessible(page, "stadsdorp (nl)")
    # The photo is a responsive picture: Chromium picks the WebP rendition that fits the column.
    photo = page.locator("picture img").first
    expect(photo).to_have_js_property("complete", True)
    chosen = photo.evaluate("image => image.currentSrc")
    assert chosen.endswith(".webp"), chosen
    assert photo.evaluate("image => image.naturalWidth") > 400  # not the smallest, at 1280 px


def test_switch_to_english_and_back(page, base_url, assert_accessible):
    page.goto(f"{base_url}/nl/over-het-netwerk/")
    page.get_by_role("navigation", name="Taal").get_by_role("link", name="English").click()
    expect(page).to_have_url(f"{base_url}/en/about-the-network/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_have_text("About the network")
    expect(page.get_by_role("link", name="Skip to content")).to_be_attached()
    assert_accessible(page, "content page (en)")

    page.get_by_role("navigation", name="Language").get_by_role("link", name="Nederlands").click()
    expect(page).to_have_url(f"{base_url}/nl/over-het-netwerk/")

    page.goto(f"{base_url}/en/")
    expect(page.locator("h1")).to_have_text("Network of Stadsdorpen")
    expect(page.get_by_role("heading", name="Start a stadsdorp")).to_be_visible()
    assert_accessible(page, "home page (en)")

    page.goto(f"{base_url}/en/stadsdorpen/?thema=culture")
    expect(page.locator(".card")).to_have_count(2)
    assert_accessible(page, "directory (en)")
    page.goto(f"{base_url}/en/stadsdorpen/rivierenbuurt-noord/")
    expect(page.locator(".tag-list")).to_contain_text("Culture")
    assert_accessible(page, "stadsdorp (en)")
    page.goto(f"{base_url}/en/contact/")
    expect(page.get_by_label(re.compile(r"^Name"))).to_be_visible()
    assert_accessible(page, "contact form (en)")


def fill_contact_form(page, email):
    page.get_by_label(re.compile(r"^Naam")).fill("Greet Jansen")
    page.get_by_label(re.compile(r"^E-mailadres")).fill(email)
    page.get_by_label(re.compile(r"^Uw vraag of bericht")).fill("Ik wil graag meedoen.")


def test_contact_form_invalid_then_valid(page, base_url, assert_accessible):
    email = f"greet-{time.time_ns()}@example.org"
    page.goto(f"{base_url}/nl/contact/")
    assert_accessible(page, "contactformulier (nl)")
    fill_contact_form(page, "greet-zonder-apenstaartje")
    time.sleep(2.1)  # the form refuses submissions made within two seconds
    page.get_by_role("button", name="Versturen").click()

    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Het formulier is nog niet verstuurd")
    expect(summary).to_contain_text("Dit lijkt geen geldig e-mailadres")
    expect(page.get_by_label(re.compile(r"^Naam"))).to_have_value("Greet Jansen")
    expect(page.get_by_label(re.compile(r"^E-mailadres"))).to_have_value(
        "greet-zonder-apenstaartje"
    )
    expect(page.get_by_label(re.compile(r"^E-mailadres"))).to_have_attribute("aria-invalid", "true")
    assert_accessible(page, "contactformulier met fouten")

    page.get_by_label(re.compile(r"^E-mailadres")).fill(email)
    page.get_by_role("button", name="Versturen").click()
    expect(page.locator("h1")).to_have_text("Bedankt voor uw bericht")
    assert FormSubmission.objects.filter(form_data__icontains=email).count() == 1


def test_text_size_control_is_remembered(page, base_url):
    page.goto(f"{base_url}/nl/over-het-netwerk/")
    expect(page.locator("html")).to_have_class("text-size-normaal")
    normal = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    assert normal >= 18

    page.get_by_role("button", name="Extra groot").click()
    expect(page).to_have_url(f"{base_url}/nl/over-het-netwerk/")
    expect(page.locator("html")).to_have_class("text-size-extra-groot")
    expect(page.get_by_role("button", name="Extra groot")).to_have_attribute("aria-pressed", "true")
    larger = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    assert larger >= normal * 1.3

    page.goto(f"{base_url}/nl/stadsdorpen/")
    expect(page.locator("html")).to_have_class("text-size-extra-groot")


def test_skip_link_is_the_first_tab_stop_and_moves_focus_to_main(page, base_url):
    page.goto(f"{base_url}/nl/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Direct naar de inhoud")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()


def test_click_targets_are_large_enough(page, base_url):
    page.goto(f"{base_url}/nl/")
    for locator in (
        page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link").first,
        page.get_by_role("button", name="Groot", exact=True),
        page.get_by_role("navigation", name="Taal").get_by_role("link").first,
    ):
        box = locator.bounding_box()
        assert box["height"] >= 44 and box["width"] >= 44, box


def test_menu_works_on_a_small_screen_without_javascript(browser, live_server):
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 360, "height": 740}, locale="nl-NL"
    )
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/nl/")
        link = page.get_by_role("navigation", name="Hoofdmenu").get_by_role(
            "link", name="Lid worden"
        )
        # Folded on a phone (the page starts on the first screen); "Menu" opens it.
        expect(link).to_be_hidden()
        page.locator("summary", has_text="Menu").click()
        expect(link).to_be_visible()
        link.click()
        expect(page.locator("h1")).to_have_text("Lid worden")
    finally:
        context.close()


def test_print_hides_navigation_and_shows_link_addresses(page, base_url):
    page.goto(f"{base_url}/nl/over-het-netwerk/")
    expect(page.get_by_role("navigation", name="Hoofdmenu")).to_be_visible()
    page.emulate_media(media="print")
    expect(page.locator(".main-nav")).to_be_hidden()
    expect(page.locator(".text-size")).to_be_hidden()
    expect(page.locator("h1")).to_be_visible()
    color = page.evaluate("getComputedStyle(document.body).color")
    assert color == "rgb(0, 0, 0)"
    after = page.evaluate(
        "getComputedStyle(document.querySelector('.site-footer a.external-link'), '::after')"
        ".content"
    )
    assert after in ("none", "normal") or "http" in after


def test_404_page_is_dutch_and_accessible(page, base_url, assert_accessible):
    response = page.goto(f"{base_url}/nl/deze-pagina-bestaat-niet/")
    assert response.status == 404
    expect(page.locator("h1")).to_have_text("Deze pagina bestaat niet (meer)")
    assert_accessible(page, "404")


PAGE_WEIGHT_BUDGET = 500 * 1024


def test_home_page_first_load_stays_under_the_weight_budget(browser, base_url):
    """Issue 6's budget: the home page, first load (empty cache), under 500 KB without the demo
    photos (uploaded media); HTML, styles, scripts and fonts all count. No render-blocking
    scripts either."""
    context = browser.new_context(locale="nl-NL", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    transferred = {}

    def record(response):
        if 300 <= response.status < 400:
            return  # redirects have no body
        transferred[response.url] = len(response.body())

    page.on("response", record)
    page.goto(f"{base_url}/nl/", wait_until="networkidle")
    blocking_scripts = page.eval_on_selector_all(
        "script[src]:not([defer]):not([async]):not([type=module])", "found => found.length"
    )
    context.close()

    assert blocking_scripts == 0, "render-blocking scripts on the home page"

    counted = {url: size for url, size in transferred.items() if "/media/" not in url.split("?")[0]}
    assert any(url.endswith(".css") for url in counted), "the stylesheets were not measured"
    total = sum(counted.values())
    largest = sorted(counted.items(), key=lambda item: -item[1])[:5]
    assert total < PAGE_WEIGHT_BUDGET, f"{total / 1024:.0f} KB on first load; largest: {largest}"
