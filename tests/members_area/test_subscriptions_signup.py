"""Double opt-in, unsubscribe (page and RFC 8058 one-click), forged tokens, paper consent."""

import re
from unittest import mock

import pytest

from django.core import mail, signing
from django.db import IntegrityError
from django.http import HttpRequest
from django.test import Client
from django.urls import reverse

from members_area.subscriptions import services
from members_area.subscriptions.composition import Composer, subscribers_for_rendering
from members_area.subscriptions.emails import build_message
from members_area.subscriptions.models import Subscriber
from members_area.subscriptions.tokens import confirmation_token, unsubscribe_token
from members_area.subscriptions.views import SIGNUPS_PER_ADDRESS
from tests.conftest import login_with_second_factor

from . import test_subscriptions_fixtures as fixtures

globals().update(fixtures.FIXTURES)

pytestmark = pytest.mark.django_db

SIGNUP_URL = "/nl/nieuwsbrief/aanmelden/"


def post_signup(client, email="nieuw@example.org", **extra):
    data = {"email": email, "name": "Nieuwe Lezer", "consent": "on", "website": ""}
    data.update(extra)
    return client.post(SIGNUP_URL, data)


def link_in(message, kind):
    match = re.search(rf"http://testserver(/nl/nieuwsbrief/{kind}/[^\s\"<]+/)", message.body)
    assert match, message.body
    return match.group(1)


def test_signup_creates_pending_and_sends_confirmation(client):
    response = post_signup(client, email="Nieuw@Example.org")
    assert response.status_code == 302
    assert response["Location"].endswith("/nl/nieuwsbrief/aanmelden/verstuurd/")
    subscriber = Subscriber.objects.get()
    assert subscriber.email == "nieuw@example.org"
    assert subscriber.status == Subscriber.Status.PENDING
    assert subscriber.consent_source == Subscriber.Source.WEBSITE
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["nieuw@example.org"]
    assert "Bevestig" in mail.outbox[0].subject
    html = mail.outbox[0].alternatives[0][0]
    assert '<html lang="nl">' in html


def test_confirm_link_asks_then_activates_once(client):
    post_signup(client)
    url = link_in(mail.outbox[0], "bevestigen")
    page = client.get(url)
    assert page.status_code == 200
    assert Subscriber.objects.get().status == Subscriber.Status.PENDING  # GET changes nothing
    done = client.post(url)
    assert done.status_code == 200
    subscriber = Subscriber.objects.get()
    assert subscriber.status == Subscriber.Status.ACTIVE
    assert subscriber.consent_recorded_at is not None
    # The link is used up.
    assert client.get(url).status_code == 400


def test_english_signup_gets_english_confirmation(client):
    client.post(
        "/en/nieuwsbrief/aanmelden/",
        {"email": "expat@example.org", "consent": "on"},
    )
    subscriber = Subscriber.objects.get()
    assert subscriber.language == "en"
    assert "/en/nieuwsbrief/bevestigen/" in mail.outbox[0].body


@pytest.mark.parametrize(
    "email, message",
    [
        ("geen-adres", "geen geldig e-mailadres"),
        ("", "Vul uw e-mailadres in"),
        ("iemand@", "geen geldig e-mailadres"),
    ],
)
def test_invalid_address_is_refused_in_dutch(client, email, message):
    response = post_signup(client, email=email)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Subscriber.objects.exists()
    assert not mail.outbox


def test_consent_is_required(client):
    response = client.post(SIGNUP_URL, {"email": "a@example.org"})
    assert "Zet een vinkje" in response.content.decode()
    assert not Subscriber.objects.exists()


def test_honeypot_answers_the_same_but_stores_nothing(client):
    response = post_signup(client, website="http://spam.example")
    assert response.status_code == 302
    assert not Subscriber.objects.exists()


def test_existing_active_address_is_merged_silently(client, make_subscribers):
    (subscriber,) = make_subscribers(1, email="al@example.org")
    response = post_signup(client, email="AL@example.org")
    assert response.status_code == 302  # the same answer: nothing is revealed
    assert Subscriber.objects.count() == 1
    assert not mail.outbox
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.ACTIVE


def test_double_submit_makes_one_subscriber_and_one_email(client):
    post_signup(client)
    post_signup(client)
    assert Subscriber.objects.count() == 1
    assert len(mail.outbox) == 1


def test_race_on_insert_is_merged(db):
    """Two requests pass the lookup together; the other one inserts first, so our insert hits
    the unique index. The result is one subscriber and one confirmation e-mail."""
    Subscriber.objects.create(email="race@example.org", consent_source="website")

    with mock.patch.object(
        Subscriber.objects, "get_or_create", side_effect=IntegrityError("UNIQUE constraint failed")
    ):
        subscriber = services.subscribe("race@example.org", "Race", "nl")
    assert Subscriber.objects.filter(email="race@example.org").count() == 1
    assert subscriber.email == "race@example.org"
    assert len(mail.outbox) == 1


def test_unsubscribed_person_can_come_back_with_a_new_confirmation(client, make_subscribers):
    (subscriber,) = make_subscribers(1, email="terug@example.org", status="unsubscribed")
    post_signup(client, email="terug@example.org")
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.PENDING
    assert len(mail.outbox) == 1


def test_old_confirmation_link_stops_working_when_a_new_one_is_sent(client, make_subscribers):
    (subscriber,) = make_subscribers(1, email="p@example.org", status="pending")
    first = confirmation_token(subscriber, subscriber.new_confirmation_nonce())
    subscriber.save()
    services.send_confirmation(subscriber, force=True)
    assert client.get(f"/nl/nieuwsbrief/bevestigen/{first}/").status_code == 400


def _neutral(response):
    assert response.status_code == 400
    return response.content.decode()


def test_forged_tokens_get_the_same_neutral_page(client, make_subscribers):
    (subscriber,) = make_subscribers(1, email="echt@example.org")
    forged_unsubscribe = signing.dumps({"s": subscriber.pk, "e": subscriber.email}, salt="x")
    forged_confirm = signing.dumps({"s": subscriber.pk, "n": "raden"}, salt="subscriptions.confirm")
    pages = [
        _neutral(client.get(f"/nl/nieuwsbrief/afmelden/{forged_unsubscribe}/")),
        _neutral(client.get("/nl/nieuwsbrief/afmelden/onzin/")),
        _neutral(client.get(f"/nl/nieuwsbrief/bevestigen/{forged_confirm}/")),
        _neutral(client.get("/nl/nieuwsbrief/bevestigen/onzin/")),
    ]
    for content in pages:
        assert "Deze link werkt niet" in content
        assert "echt@example.org" not in content
    # Without the dynamic bits (CSRF tokens, request ids) the pages are identical.
    assert len({re.sub(r"\s+", " ", c.split("<main")[1].split("</main>")[0]) for c in pages}) == 1
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.ACTIVE


def test_unsubscribe_page_asks_then_unsubscribes_idempotently(client, make_subscribers):
    (subscriber,) = make_subscribers(1)
    url = f"/nl/nieuwsbrief/afmelden/{unsubscribe_token(subscriber)}/"
    page = client.get(url)
    assert page.status_code == 200 and subscriber.email in page.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.ACTIVE  # GET (a link scanner) changes nothing
    assert client.post(url).status_code == 200
    assert client.post(url).status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED
    assert "al afgemeld" in client.get(url).content.decode()


def test_one_click_post_works_without_csrf_and_is_idempotent(make_subscribers):
    (subscriber,) = make_subscribers(1)
    client = Client(enforce_csrf_checks=True)
    url = f"/nl/nieuwsbrief/afmelden/{unsubscribe_token(subscriber)}/een-klik/"
    for _ in range(2):
        response = client.post(
            url,
            "List-Unsubscribe=One-Click",
            content_type="application/x-www-form-urlencoded",
        )
        assert response.status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED
    # Opening the header's address in a browser shows the normal page instead.
    assert client.get(url)["Location"].endswith("/een-klik/") is False
    # The normal unsubscribe page keeps CSRF protection.
    normal = f"/nl/nieuwsbrief/afmelden/{unsubscribe_token(subscriber)}/"
    assert client.post(normal).status_code == 403


def test_one_click_with_forged_token_is_refused(make_subscribers):
    (subscriber,) = make_subscribers(1)
    client = Client(enforce_csrf_checks=True)
    response = client.post("/nl/nieuwsbrief/afmelden/vals:token:abc/een-klik/")
    assert response.status_code == 400
    subscriber.refresh_from_db()
    assert subscriber.is_active


def test_newsletter_message_has_list_unsubscribe_headers(make_issue, make_subscribers, client):
    issue = make_issue()
    (subscriber,) = make_subscribers(1)
    subscriber = subscribers_for_rendering(Subscriber.objects.filter(pk=subscriber.pk)).get()
    message = build_message(issue, subscriber, Composer(issue))
    parsed = message.message()
    header = parsed["List-Unsubscribe"]
    assert header.startswith("<http://testserver/nl/nieuwsbrief/afmelden/")
    assert header.endswith("/een-klik/>")
    assert parsed["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert parsed["Message-ID"] == f"<newsletter-{issue.pk}-{subscriber.pk}@testserver>"
    # The one-click address in the header really unsubscribes.
    path = header[1:-1].replace("http://testserver", "")
    assert Client(enforce_csrf_checks=True).post(path).status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED
    # And the body has a visible unsubscribe link too.
    assert "/nl/nieuwsbrief/afmelden/" in message.body


# --- Editors: consent on paper --------------------------------------------------------------------


@pytest.fixture
def admin_client(client, django_user_model):
    admin = django_user_model.objects.create_superuser(
        "beheer", "beheer@example.org", "x-Geheim-2026"
    )
    login_with_second_factor(client, admin)
    client.admin = admin
    return client


def test_editor_adds_paper_subscriber_with_consent_recorded(admin_client):
    url = reverse("wagtailsnippets_subscriptions_subscriber:add")
    response = admin_client.post(
        url,
        {
            "email": "Papier@Example.org",
            "name": "Mevrouw Papier",
            "language": "nl",
            "consent_source": "paper",
            "consent_note": "intekenlijst koffieochtend 4 maart",
            "status": "pending",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    subscriber = Subscriber.objects.get()
    assert subscriber.email == "papier@example.org"
    assert subscriber.status == Subscriber.Status.ACTIVE  # signed on paper: no e-mail round trip
    assert subscriber.consent_recorded_at is not None
    assert subscriber.recorded_by == admin_client.admin
    assert not mail.outbox


def test_editor_duplicate_or_missing_note_is_refused_in_dutch(admin_client, make_subscribers):
    make_subscribers(1, email="dubbel@example.org", status="unsubscribed")
    url = reverse("wagtailsnippets_subscriptions_subscriber:add")
    response = admin_client.post(
        url,
        {
            "email": "DUBBEL@example.org",
            "name": "",
            "language": "nl",
            "consent_source": "paper",
            "consent_note": "",
            "status": "active",
        },
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "staat al in de lijst (status: Afgemeld)" in content
    assert "Schrijf op waar en wanneer" in content
    assert Subscriber.objects.count() == 1


# --- Members ------------------------------------------------------------------------------------


def test_member_opts_out_and_back_in_on_their_page(client, world):
    from .conftest import PASSWORD

    user = world.users["member_a"]
    # django-axes needs the request that the login comes with.
    assert client.login(request=HttpRequest(), username=user.email, password=PASSWORD)
    assert "U krijgt de nieuwsbrief op" in client.get("/nl/mijn-nieuwsbrief/").content.decode()
    client.post("/nl/mijn-nieuwsbrief/", {})
    assert Subscriber.objects.get(user=user).status == Subscriber.Status.UNSUBSCRIBED
    client.post("/nl/mijn-nieuwsbrief/", {"receive": "on"})
    assert Subscriber.objects.get(user=user).status == Subscriber.Status.ACTIVE


def test_my_newsletter_needs_login(client):
    response = client.get("/nl/mijn-nieuwsbrief/")
    assert response.status_code == 302
    assert "/nl/login/" in response["Location"]


def test_many_signups_from_one_address_are_slowed_down(client):
    for number in range(SIGNUPS_PER_ADDRESS):
        assert post_signup(client, email=f"flood{number}@example.org").status_code == 302
    response = post_signup(client, email="nog-een@example.org")
    assert response.status_code == 429
    assert "Probeer het over een kwartier opnieuw" in response.content.decode()
    assert not Subscriber.objects.filter(email="nog-een@example.org").exists()


def _payload(token):
    """What anyone who sees the link can read from it (the signed part is base64 JSON)."""
    import base64

    value = token.split(":")[0]
    compressed = value.startswith(".")
    raw = base64.urlsafe_b64decode(value.lstrip(".") + "=" * (-len(value.lstrip(".")) % 4))
    if compressed:
        import zlib

        raw = zlib.decompress(raw)
    return raw.decode()


def test_unsubscribe_links_carry_no_personal_data(make_subscribers, make_issue):
    (subscriber,) = make_subscribers(1)
    token = unsubscribe_token(subscriber)
    local_part = subscriber.email.split("@")[0]
    for text in (token, _payload(token)):
        assert "@" not in text and local_part not in text
    # The same in the e-mail's links and headers.
    issue = make_issue()
    subscriber = subscribers_for_rendering(Subscriber.objects.filter(pk=subscriber.pk)).get()
    message = build_message(issue, subscriber, Composer(issue)).message()
    for url in re.findall(r"http://testserver(/\S+?/afmelden/\S+?/)", message.as_string()):
        assert local_part not in _payload(url.split("/afmelden/")[1].split("/")[0])


def _sent_days_ago(days, make_token):
    import time

    with mock.patch("django.core.signing.time.time", return_value=time.time() - days * 86400):
        return make_token()


def test_unsubscribe_links_expire_after_400_days_and_with_a_new_address(client, make_subscribers):
    (subscriber,) = make_subscribers(1)
    old = _sent_days_ago(399, lambda: unsubscribe_token(subscriber))
    assert client.get(f"/nl/nieuwsbrief/afmelden/{old}/").status_code == 200
    too_old = _sent_days_ago(401, lambda: unsubscribe_token(subscriber))
    response = client.get(f"/nl/nieuwsbrief/afmelden/{too_old}/")
    assert response.status_code == 400
    assert "Deze link werkt niet" in response.content.decode()
    assert "nieuwste nieuwsbrief" in response.content.decode()
    token = unsubscribe_token(subscriber)
    subscriber.email = "nieuw-adres@example.org"
    subscriber.save()
    assert client.get(f"/nl/nieuwsbrief/afmelden/{token}/").status_code == 400


def test_links_of_the_old_format_work_for_90_days_only(client, make_subscribers):
    from members_area.subscriptions.tokens import LEGACY_UNSUBSCRIBE_SALT

    (subscriber,) = make_subscribers(1)

    def legacy():
        return signing.dumps(
            {"s": subscriber.pk, "e": subscriber.email}, salt=LEGACY_UNSUBSCRIBE_SALT
        )

    recent = _sent_days_ago(89, legacy)
    assert client.get(f"/nl/nieuwsbrief/afmelden/{recent}/").status_code == 200
    stale = _sent_days_ago(91, legacy)
    assert client.get(f"/nl/nieuwsbrief/afmelden/{stale}/").status_code == 400
