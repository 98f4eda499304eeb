"""A resident who wants to start a stadsdorp: finds the start-up guide from the home page, prints
it for the first meeting, downloads the flyer template and asks the network for help by phone."""

import re
import time
import uuid

from playwright.sync_api import expect

from wagtail.contrib.forms.models import FormSubmission
from wagtail.models import Site

from kennisbank.models import StappenplanPage
from tests.browser.journeys.conftest import PHONE


def test_new_initiator_reads_prints_and_finds_contact(journey, live_server):
    walk = journey("new initiator", viewport=PHONE)
    name = f"Joke Initiatief {uuid.uuid4().hex[:6]}"
    page = walk.page

    page.goto(f"{live_server.url}/nl/")
    walk.step("home")
    expect(page.get_by_role("heading", name="Start een stadsdorp")).to_be_visible()

    walk.click(page.get_by_role("link", name="Lees het stappenplan"))
    walk.step("the guide")
    expect(page.get_by_role("heading", level=1)).to_have_text("Een stadsdorp starten")
    expect(page.get_by_role("heading", name=re.compile("Stap 1"))).to_be_visible()
    expect(page.get_by_role("heading", name="Randvoorwaarden")).to_be_visible()

    walk.click(page.get_by_role("link", name=re.compile("^Printversie")))
    walk.step("the print version")
    expect(page).to_have_url(re.compile(r"\?print=1$"))
    expect(page.get_by_text("Gebruik de printopdracht van uw browser")).to_be_visible()
    page.emulate_media(media="print")
    # On paper: large letters (the guide itself advises them), the full address of the flyer
    # template to download and of the page itself.
    body_size = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    assert body_size >= 16, f"printed body text is {body_size} px"
    flyer_link = page.get_by_role("link", name=re.compile("^Sjabloon voor de flyer"))
    printed_address = flyer_link.evaluate("a => getComputedStyle(a, '::after').content")
    site_root = Site.objects.get(is_default_site=True).root_url
    assert f"({site_root}/documents/" in printed_address, printed_address
    guide = StappenplanPage.objects.get(slug="een-stadsdorp-starten", locale__language_code="nl")
    expect(page.locator(".kb-print-footer")).to_contain_text(guide.full_url)
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF") and len(re.findall(rb"/Type\s*/Page\b", pdf)) >= 2
    page.emulate_media(media="screen")

    walk.click(page.get_by_role("link", name="Terug naar de gewone versie"))
    walk.step("the guide again")
    with page.expect_download() as download_info:
        walk.click(page.get_by_role("link", name=re.compile("^Sjabloon voor de flyer")))
    download = download_info.value
    assert download.suggested_filename.endswith(".docx")
    assert download.path().read_bytes()[:2] == b"PK"  # a Word file is a zip archive

    # Contact: the footer, on every page; on a phone the phone number is a link that calls.
    footer = page.get_by_role("contentinfo")
    expect(footer.get_by_role("link", name="020 555 00 00")).to_have_attribute(
        "href", re.compile(r"^tel:")
    )
    walk.click(footer.get_by_role("link", name="Contact en vragen"))
    walk.step("contact")
    expect(page.get_by_role("heading", level=1)).to_have_text("Contact")
    started = time.monotonic()
    walk.fill(page.get_by_label(re.compile(r"^Naam")), name)
    walk.fill(page.get_by_label(re.compile(r"^Telefoonnummer")), "06 1234 5678")
    walk.fill(
        page.get_by_label(re.compile(r"^Uw vraag of bericht")),
        "Wij willen in onze buurt een stadsdorp beginnen. Kunt u mij bellen?",
    )
    # The form refuses what is sent within two seconds of opening it (a robot's speed).
    time.sleep(max(0, 2.1 - (time.monotonic() - started)))
    walk.click(page.get_by_role("button", name="Versturen"))
    walk.step("thank you")
    expect(page.get_by_role("heading", level=1)).to_have_text("Bedankt voor uw bericht")
    assert FormSubmission.objects.filter(form_data__icontains=name).exists()
