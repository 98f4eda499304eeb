"""One address per page type of the demo site, per person who sees it, and how each person logs in.

Shared by the accessibility, layout and HTML-validity tests, so that a page type added here is
checked by all of them. Addresses that depend on database ids (a member's news item, the admin's
edit pages) are looked up in the demo site, never hard-coded.
"""

import re
import time

from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from django.contrib.auth import get_user_model

from events.models import EventPage
from kennisbank.models import VerslagPage
from members_area.models import BinnenbuurtNewsPage
from tests.demo_accounts import PASSWORD

EDITOR_USERNAME = "redacteur"
EDITOR_PASSWORD = "Stadsdorp-redactie-2026"

ANONYMOUS_DUTCH = {
    "home": "/nl/",
    "content page": "/nl/over-het-netwerk/",
    "content page with questions": "/nl/nieuw-hier/",
    "become a member": "/nl/lid-worden/",
    "directory": "/nl/stadsdorpen/",
    "directory filtered": "/nl/stadsdorpen/?thema=cultuur",
    "stadsdorp": "/nl/stadsdorpen/rivierenbuurt-noord/",
    "contact form": "/nl/contact/",
    "kennisbank": "/nl/kennisbank/",
    "kennisbank theme": "/nl/kennisbank/?theme=ontmoeting",
    "search results": "/nl/kennisbank/?q=binnenbuurt",
    "search without results": "/nl/kennisbank/?q=xyzzyquux",
    "stappenplan": "/nl/kennisbank/een-stadsdorp-starten/",
    "verslag": "/nl/kennisbank/netwerkbijeenkomst-juni-2014-binnenbuurten/",
    "publicatie": "/nl/kennisbank/stadsdorpen-in-beeld/",
    "artikel": "/nl/kennisbank/tien-tips-voor-buurtprofessionals/",
    "glossary": "/nl/kennisbank/begrippen/",
    "agenda": "/nl/agenda/",
    "agenda month": "/nl/agenda/maand/",
    "agenda archive": "/nl/agenda/archief/",
    "event": "/nl/agenda/koffieochtend/",
    "event with sign-up": "/nl/agenda/lezing-levenstestament/",
    "sign-up form": "/nl/agenda/lezing-levenstestament/aanmelden/",
    "newsletter archive": "/nl/nieuwsbrief/",
    "newsletter issue": "/nl/nieuwsbrief/november-2026/",
    "newsletter sign-up": "/nl/nieuwsbrief/aanmelden/",
    "login": "/nl/login/",
    "login with a code": "/nl/login/code/",
    "forgotten password": "/nl/wachtwoord-vergeten/",
    "not found": "/nl/deze-pagina-bestaat-niet/",
}

ANONYMOUS_ENGLISH = {
    "home (en)": "/en/",
    "content page (en)": "/en/about-the-network/",
    "directory (en)": "/en/stadsdorpen/",
    "contact form (en)": "/en/contact/",
    "kennisbank (en)": "/en/kennisbank/",
    "search results (en)": "/en/kennisbank/?q=stadsdorp",
    "stappenplan (en)": "/en/kennisbank/starting-a-stadsdorp/",
    "untranslated page (en)": "/en/stadsdorpen/spaarndammerhout/",
    "glossary (en)": "/en/kennisbank/glossary/",
    "agenda (en)": "/en/events/",
    "login (en)": "/en/login/",
}

MEMBER = {
    "member home": "/nl/mijn-stadsdorp/",
    "binnenbuurt": "/nl/mijn-stadsdorp/zonnehof/",
    "binnenbuurt news item": "news:koffie-in-maart",
    "members-only event": "/nl/mijn-stadsdorp/zonnehof/buurtborrel/",
    "profile": "/nl/mijn-profiel/",
    "my sign-ups": "/nl/mijn-aanmeldingen/",
    "my calendar": "/nl/mijn-agenda/",
    "my newsletter": "/nl/mijn-nieuwsbrief/",
    "burenhulp": "/nl/burenhulp/",
    "ask for help": "/nl/burenhulp/hulp-vragen/",
    "sign-up form, logged in": "/nl/agenda/lezing-levenstestament/aanmelden/",
    "no access": "/nl/mijn-stadsdorp/lindengracht/",
    "member home (en)": "/en/my-stadsdorp/",
}

CONTACT_PERSON = {
    "binnenbuurt with posting": "/nl/mijn-stadsdorp/zonnehof/",
    "post news": "/nl/mijn-stadsdorp/zonnehof/nieuw/nieuws/",
    "post an activity": "/nl/mijn-stadsdorp/zonnehof/nieuw/activiteit/",
    "edit a post": "edit:koffie-in-maart",
    "contact person's burenhulp": "/nl/burenhulp/contactpersoon/",
}

EDITOR = {
    "dashboard": "/admin/",
    "page explorer": "explorer:kennisbank",
    "edit a verslag": "edit-page:verslag",
    "edit an event": "edit-page:event",
    "snippet list": "/admin/snippets/home/theme/",
}


def resolve(path):
    """The address of ``path``, looking up the demo pages that ``kind:slug`` names."""
    if ":" not in path:
        return path
    kind, name = path.split(":", 1)
    if kind == "news":
        return BinnenbuurtNewsPage.objects.get(slug=name, locale__language_code="nl").url
    if kind == "edit":
        news = BinnenbuurtNewsPage.objects.get(slug=name, locale__language_code="nl")
        return f"{news.get_parent().url}bericht/{news.pk}/bewerken/"
    if kind == "explorer":
        index = VerslagPage.objects.filter(locale__language_code="nl").first().get_parent()
        return f"/admin/pages/{index.pk}/"
    if kind == "edit-page":
        model = {"verslag": VerslagPage, "event": EventPage}[name]
        found = model.objects.filter(locale__language_code="nl", live=True).first()
        return f"/admin/pages/{found.pk}/edit/"
    raise ValueError(path)


def log_in_member(browser_page, base_url, email, language="nl"):
    browser_page.goto(f"{base_url}/{language}/login/")
    browser_page.get_by_label(re.compile(r"^(E-mailadres|E-mail address)")).fill(email)
    browser_page.get_by_label(re.compile(r"^(Wachtwoord|Password)")).fill(PASSWORD)
    browser_page.get_by_role("button", name=re.compile(r"^(Inloggen|Log in)$")).click()
    expect(
        browser_page.get_by_role("button", name=re.compile("Uitloggen|Log out")).first
    ).to_be_attached()


def editor_device():
    """The editor's authenticator app: editors must use two-factor authentication."""
    editor = get_user_model().objects.get(username=EDITOR_USERNAME)
    device, _created = TOTPDevice.objects.get_or_create(
        user=editor, confirmed=True, defaults={"name": "Authenticator-app"}
    )
    return device


def log_in_editor(browser_page, base_url):
    """Both steps of the admin login, the second with a code from the editor's app."""
    device = editor_device()
    browser_page.goto(f"{base_url}/admin/login/")
    browser_page.locator("#id_username").fill(EDITOR_USERNAME)
    browser_page.locator("#id_password").fill(EDITOR_PASSWORD)
    browser_page.locator("button[type=submit]").click()
    expect(browser_page.get_by_role("heading", level=1)).to_have_text(
        re.compile("Tweede stap|Second step")
    )
    # A code is accepted once: after a login in this time step, wait for the next one.
    device.refresh_from_db()
    while int(time.time()) // device.step <= device.last_t:
        time.sleep(1)
    code = f"{totp(device.bin_key, step=device.step):06d}"
    browser_page.get_by_role("textbox", name=re.compile(r"^Code")).fill(code)
    browser_page.get_by_role("button", name="Inloggen").click()
    expect(browser_page).to_have_url(re.compile(r"/admin/$"))
