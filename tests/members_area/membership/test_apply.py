"""Applying online ("Lid worden") and on paper: one application per form, Dutch messages that
keep what was typed, the binnenbuurt suggested from the address, robots turned away quietly."""

import pytest

from django.core import mail
from django.urls import reverse

from members_area.membership.models import Application, Source

from .conftest import application_data, old_token

pytestmark = pytest.mark.django_db


def apply_url(world):
    return reverse("membership:apply", args=[world.stadsdorp.slug])


def test_form_is_shown_and_never_cached(client, membership_world):
    response = client.get(apply_url(membership_world))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    content = response.content.decode()
    assert "Lid worden van Stadsdorp Noord" in content
    assert "Zonnehof" in content and "Rivierbuurt" not in content  # only this stadsdorp's


def test_apply_creates_one_application_and_tells_the_coordinator(
    client, membership_world, django_capture_on_commit_callbacks
):
    world = membership_world
    data = application_data()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(apply_url(world), data)
    assert response.status_code == 302
    assert response["Location"] == reverse("membership:apply_done", args=[world.stadsdorp.slug])
    application = Application.objects.get()
    assert application.stadsdorp == world.stadsdorp
    assert application.postcode == "1097AB"
    assert application.email == "greet@example.org"
    assert application.suggested_binnenbuurt == world.a  # Ringdijk is on Zonnehof's list
    assert application.binnenbuurt is None
    assert application.share_phone and not application.share_address
    assert application.source == "online"
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == ["greet@example.org", "xandra@example.org"]
    # The coordinator's mail names no applicant: it may sit in a shared mailbox.
    coordinator_mail = next(m for m in mail.outbox if m.to == ["xandra@example.org"])
    assert "Greet" not in coordinator_mail.body
    assert "/nl/ledenadministratie/" in coordinator_mail.body

    # A double click or a reload posts the same form again: still one application.
    assert client.post(apply_url(world), data).status_code == 302
    assert Application.objects.count() == 1


def test_same_person_again_while_open_is_the_same_application(client, membership_world):
    client.post(apply_url(membership_world), application_data())
    client.post(apply_url(membership_world), application_data(email="GREET@example.org "))
    client.post(
        apply_url(membership_world),
        application_data(email="", first_name="Jan", last_name="Smit", phone="06 1"),
    )
    client.post(
        apply_url(membership_world),
        application_data(email="", first_name="jan", last_name="smit", phone="06 1"),
    )
    assert Application.objects.count() == 2


def test_bad_input_gives_dutch_messages_and_keeps_the_input(client, membership_world):
    response = client.post(
        apply_url(membership_world),
        application_data(postcode="10977", email="greet@", phone="", privacy_consent=None),
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "Een postcode is 4 cijfers en 2 letters" in content
    assert "Dit lijkt geen geldig e-mailadres" in content
    assert "Zet een vinkje als u het stadsdorp toestemming geeft." in content
    assert 'value="Ringdijk 12"' in content and 'value="de Vries"' in content
    assert Application.objects.count() == 0


def test_phone_or_email_is_needed(client, membership_world):
    response = client.post(apply_url(membership_world), application_data(phone="", email=""))
    assert "Vul een telefoonnummer of een e-mailadres in" in response.content.decode()
    assert Application.objects.count() == 0
    response = client.post(apply_url(membership_world), application_data(email=""))
    assert response.status_code == 302
    application = Application.objects.get()
    assert application.paper_newsletter  # no e-mail: the newsletter comes on paper


def test_robots_are_turned_away(client, membership_world):
    # The honeypot: a thank-you page, nothing stored, nobody mailed.
    response = client.post(apply_url(membership_world), application_data(hp_website="spam"))
    assert response.status_code == 302
    assert Application.objects.count() == 0
    assert mail.outbox == []
    # Too fast for a person: asked to look again, input kept.
    response = client.post(apply_url(membership_world), application_data(form_token=old_token(0)))
    assert response.status_code == 200
    assert "wel heel snel verstuurd" in response.content.decode()
    assert Application.objects.count() == 0


def test_suggest_button_fills_in_the_binnenbuurt_without_saving(client, membership_world):
    world = membership_world
    response = client.post(
        apply_url(world),
        application_data(action="suggest", street_address="Kerkstraat 1", postcode="1098 XY"),
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "Bij dit adres past binnenbuurt <strong>Lindengracht</strong>" in content
    assert f'<option value="{world.b.pk}" selected>' in content
    assert 'value="Greet"' in content
    assert "Let op:" not in content  # no errors shown for a suggestion
    assert Application.objects.count() == 0


def test_chosen_binnenbuurt_must_belong_to_the_stadsdorp(client, membership_world):
    response = client.post(
        apply_url(membership_world), application_data(binnenbuurt=str(membership_world.c.pk))
    )
    assert response.status_code == 200
    assert Application.objects.count() == 0


def test_unknown_stadsdorp_is_404(client, membership_world):
    assert client.get(reverse("membership:apply", args=["bestaat-niet"])).status_code == 404


def test_contact_person_enters_a_phone_application(client, membership_world):
    world = membership_world
    client.force_login(world.users["contact_a"])
    url = reverse("membership:enter")
    response = client.get(url)
    assert response.status_code == 200
    assert "Aanmelding invoeren voor Stadsdorp Noord" in response.content.decode()
    data = application_data(
        email="", source=Source.PHONE, binnenbuurt=str(world.a.pk), stadsdorp=world.stadsdorp.pk
    )
    response = client.post(url, data)
    assert response.status_code == 302
    application = Application.objects.get()
    assert application.source == Source.PHONE
    assert application.entered_by == world.users["contact_a"]
    assert application.binnenbuurt == world.a
    client.post(url, data)
    assert Application.objects.count() == 1


def test_contact_person_cannot_enter_for_another_stadsdorp(client, membership_world):
    world = membership_world
    client.force_login(world.users["contact_a"])
    response = client.post(
        reverse("membership:enter"),
        application_data(source=Source.PHONE, stadsdorp=world.zuid.pk),
    )
    # The other stadsdorp is not offered; the form is for their own one and nothing for Zuid.
    assert not Application.objects.filter(stadsdorp=world.zuid).exists()
    assert response.status_code in (200, 302)


def test_members_may_not_enter_applications(client, membership_world):
    client.force_login(membership_world.users["member_a"])
    response = client.get(reverse("membership:enter"))
    assert response.status_code == 403
    assert b"Geen toegang" in response.content
