"""Asking and offering in three plain steps, and every kind of bad input."""

from datetime import timedelta

import pytest

from django.urls import reverse
from django.utils import timezone

from members_area.burenhulp.models import HelpOffer, HelpPost, HelpRequest, Kind, Status
from members_area.models import Member
from members_area.services import enrol_member
from tests.conftest import login_with_second_factor
from tests.members_area.conftest import make_user

from .conftest import in_days

pytestmark = pytest.mark.django_db

ASK = reverse("burenhulp:ask")
OFFER = reverse("burenhulp:offer")


def form_data(client, url, **values):
    response = client.get(url)
    assert response.status_code == 200
    data = {
        "form_token": response.context["form"]["form_token"].value(),
        "category": "boodschappen",
        "title": "Wie haalt zaterdag mijn boodschappen?",
        "description": "Een tas met wat boodschappen van de supermarkt om de hoek.",
        "timing": "flexibel",
        "date_from": "",
        "date_until": "",
        "reach": "binnenbuurt",
    }
    data.update(values)
    return data


@pytest.fixture
def anna(client, world):
    client.force_login(world.users["member_a"])
    return client


def test_the_form_has_three_steps_and_the_care_note(anna):
    response = anna.get(ASK)
    html = response.content.decode()
    for step in ("Stap 1: wat", "Stap 2: wanneer", "Stap 3: voor wie"):
        assert step in html
    assert "Niet voor persoonlijke verzorging, verpleging of mantelzorg" in html
    assert "huisarts" in html and "112" in html
    assert "<script" not in html.split("</header>")[-1]  # nothing needs JavaScript
    assert response["Cache-Control"].startswith("private")


def test_a_member_asks_and_the_request_is_in_her_binnenbuurt(anna, world):
    response = anna.post(ASK, form_data(anna, ASK, timing="datum", date_from=in_days(3)))
    post = HelpPost.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("burenhulp:detail", args=[post.pk])
    assert (post.kind, post.author, post.binnenbuurt, post.stadsdorp_id) == (
        Kind.REQUEST,
        world.users["member_a"],
        world.a,
        world.stadsdorp.pk,
    )
    assert post.status == Status.OPEN
    # It ends the day after its date.
    assert timezone.localtime(post.expires_at).date() == in_days(4)
    page = anna.get(response["Location"])
    assert "Uw hulpvraag staat erop" in page.content.decode()
    assert (
        "Wie haalt zaterdag mijn boodschappen?"
        in anna.get(reverse("burenhulp:index")).content.decode()
    )


def test_an_offer_is_posted_the_same_way_and_lasts_90_days(anna):
    response = anna.post(
        OFFER, form_data(anna, OFFER, title="Ik kan op dinsdag boodschappen meenemen")
    )
    assert response.status_code == 302
    offer = HelpOffer.objects.get()
    assert offer.kind == Kind.OFFER
    assert not HelpRequest.objects.exists()
    assert offer.expires_at - offer.created_at == timedelta(days=90)


def test_a_flexible_request_lasts_30_days_and_ignores_stray_dates(anna):
    anna.post(ASK, form_data(anna, ASK, date_from=in_days(-5)))
    post = HelpPost.objects.get()
    assert post.date_from is None
    assert post.expires_at - post.created_at == timedelta(days=30)


def test_a_double_submit_posts_once(anna):
    data = form_data(anna, ASK)
    first = anna.post(ASK, data)
    second = anna.post(ASK, data, follow=True)
    assert HelpPost.objects.count() == 1
    assert second.redirect_chain[-1][0] == first["Location"]
    assert "Dit was al geplaatst" in second.content.decode()


def test_someone_else_cannot_reuse_a_form_token(anna, client, world, neighbour):
    data = form_data(anna, ASK)
    anna.post(ASK, data)
    client.force_login(neighbour)
    response = client.post(ASK, data)
    assert response.status_code == 200
    assert "Dit formulier is al gebruikt" in response.content.decode()
    assert HelpPost.objects.count() == 1


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"title": "   "}, "title", "Schrijf in een paar woorden wat u vraagt."),
        ({"title": "x" * 81}, "title", "hoogstens 80 tekens (nu 81)"),
        ({"description": "x" * 5000}, "description", "hoogstens 1000 tekens (nu 5000)"),
        ({"timing": "datum"}, "date_from", "Vul de datum in"),
        ({"timing": "datum", "date_from": "gisteren"}, "date_from", "dag-maand-jaar"),
        ({"timing": "datum", "date_from": "31-02-2027"}, "date_from", "dag-maand-jaar"),
        ({"timing": "datum", "date_from": in_days(-1)}, "date_from", "al voorbij"),
        ({"timing": "datum", "date_from": in_days(400)}, "date_from", "binnen een jaar"),
        (
            {"timing": "periode", "date_from": in_days(5), "date_until": in_days(2)},
            "date_until",
            "vóór de eerste dag",
        ),
        ({"timing": "periode", "date_from": in_days(5)}, "date_until", "laatste dag"),
        (
            {"timing": "periode", "date_from": in_days(1), "date_until": in_days(120)},
            "date_until",
            "drie maanden",
        ),
        ({"category": "verpleging"}, "category", "Selecteer een geldige keuze"),
        ({"reach": "iedereen"}, "reach", "Selecteer een geldige keuze"),
        ({"title": "Hallo\x00daar"}, "title", ""),
    ],
)
def test_bad_input_gets_a_dutch_message_and_keeps_what_was_typed(anna, values, field, message):
    data = form_data(anna, ASK, **values)
    response = anna.post(ASK, data)
    assert response.status_code == 200
    assert not HelpPost.objects.exists()
    html = response.content.decode()
    assert "Niet alles is goed ingevuld" in html
    errors = " ".join(response.context["form"].errors[field])
    assert message in errors
    # What was typed stays in the form.
    if field != "description":
        assert "Een tas met wat boodschappen" in html


@pytest.mark.parametrize("who", ["without_binnenbuurt", "editor"])
def test_a_member_without_binnenbuurt_is_told_why(client, world, who):
    if who == "editor":
        login_with_second_factor(client, world.users["editor"])
    else:
        user = make_user("zonder@example.org", "Zeger")
        enrol_member(Member.objects.create(user=user))
        client.force_login(user)
    for url in (ASK, OFFER, reverse("burenhulp:index")):
        response = client.get(url)
        assert response.status_code == 403
        assert "U zit nog niet in een binnenbuurt" in response.content.decode()


def test_anonymous_visitors_are_sent_to_the_login(client, world):
    response = client.get(ASK)
    assert response.status_code == 302
    assert response["Location"].startswith("/nl/login/?next=")
    response = client.post(ASK, {"title": "x"})
    assert response.status_code == 302
    assert not HelpPost.objects.exists()


def test_the_english_version(anna):
    response = anna.get(reverse("burenhulp:ask").replace("/nl/", "/en/"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Step 1: what" in html
    assert "personal care" in html
