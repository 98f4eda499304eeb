"""The contact form: validation in Dutch, spam protection without puzzles, one submission."""

import re
import time

import pytest

from django.core import mail, signing

from wagtail.contrib.forms.models import FormSubmission

from home import form_protection
from home.factories import FormFieldFactory
from home.models import FormSubmissionToken
from tests.conftest import login_with_second_factor

pytestmark = pytest.mark.django_db


def shown_seconds_ago(seconds):
    import uuid

    return signing.dumps(
        {"id": uuid.uuid4().hex, "ts": time.time() - seconds}, salt=form_protection.TOKEN_SALT
    )


def post(client, page, token=None, **data):
    payload = {
        "naam": "Els de Vries",
        "e_mailadres": "els@example.org",
        "bericht": "Ik wil graag meedoen.",
        "form_token": token or shown_seconds_ago(30),
        "hp_website": "",
    }
    payload.update(data)
    return client.post(page.url, payload)


def test_form_renders_with_token_and_hidden_honeypot(client, contact_form):
    response = client.get(contact_form.url)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="form_token"' in html
    assert 'class="hp-field" aria-hidden="true"' in html
    assert 'tabindex="-1"' in html
    assert "no-store" in response["Cache-Control"]


def test_valid_submission_is_stored_and_mailed_to_the_settings_address(client, contact_form):
    response = post(client, contact_form)
    assert response.status_code == 200
    assert "Bedankt voor uw bericht" in response.content.decode()
    submission = FormSubmission.objects.get(page=contact_form)
    assert submission.get_data()["naam"] == "Els de Vries"
    assert "form_token" not in submission.form_data and "hp_website" not in submission.form_data
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["info@stadsdorpen.example"]
    assert "Els de Vries" in mail.outbox[0].body


def test_to_address_overrides_the_settings_address(client, contact_form):
    contact_form.to_address = "secretaris@example.org"
    contact_form.save_revision().publish()
    post(client, contact_form)
    assert mail.outbox[0].to == ["secretaris@example.org"]


def test_invalid_email_keeps_input_with_dutch_message(client, contact_form):
    response = post(client, contact_form, e_mailadres="els-at-example")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Dit lijkt geen geldig e-mailadres." in html
    assert 'value="els-at-example"' in html
    assert 'value="Els de Vries"' in html
    assert "Ik wil graag meedoen." in html
    assert 'aria-invalid="true"' in html
    assert FormSubmission.objects.count() == 0


def test_overlong_fields_are_refused_in_dutch(client, contact_form):
    long_name = "x" * 300
    response = post(client, contact_form, naam=long_name, bericht="y" * 5001)
    html = response.content.decode()
    assert "Dit is te lang: gebruik hoogstens 255 tekens (nu zijn het er 300)." in html
    assert "hoogstens 5000 tekens" in html
    assert long_name in html
    assert FormSubmission.objects.count() == 0


def test_honeypot_pretends_success_but_stores_nothing(client, contact_form):
    response = post(client, contact_form, hp_website="https://spam.example")
    assert response.status_code == 200
    assert "Bedankt voor uw bericht" in response.content.decode()
    assert FormSubmission.objects.count() == 0
    assert len(mail.outbox) == 0


def test_too_fast_submission_is_refused_and_input_kept(client, contact_form):
    response = post(client, contact_form, token=shown_seconds_ago(0.2))
    html = response.content.decode()
    assert "wel heel snel verstuurd" in html
    assert 'value="Els de Vries"' in html
    assert FormSubmission.objects.count() == 0


def test_tampered_token_asks_to_send_again_with_a_new_token(client, contact_form):
    response = post(client, contact_form, token="nep")
    html = response.content.decode()
    assert "Het formulier was verlopen" in html
    assert 'value="nep"' not in html
    assert FormSubmission.objects.count() == 0


def test_double_submit_creates_one_submission(client, contact_form):
    token = shown_seconds_ago(10)
    first = post(client, contact_form, token=token)
    second = post(client, contact_form, token=token)
    assert first.status_code == second.status_code == 200
    assert "Bedankt voor uw bericht" in second.content.decode()
    assert FormSubmission.objects.filter(page=contact_form).count() == 1
    assert FormSubmissionToken.objects.count() == 1
    assert len(mail.outbox) == 1


def test_english_landing_page(client, contact_form, english_home, locales):
    _dutch, english = locales
    contact_en = contact_form.copy_for_translation(english)
    contact_en.save_revision().publish()
    response = post(client, contact_en)
    assert response.status_code == 200
    assert FormSubmission.objects.filter(page=contact_en).count() == 1


FORMULAS = ["=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1)", "\tTAB", "\rCR"]


def test_submission_export_cannot_run_spreadsheet_formulas(client, contact_form, django_user_model):
    import csv
    import io

    from django.urls import reverse

    for value in FORMULAS + ["Els de Vries"]:
        FormSubmission.objects.create(
            page=contact_form,
            form_data={"naam": value, "e_mailadres": "els@example.org", "bericht": value},
        )
    admin = django_user_model.objects.create_superuser("beheer", "beheer@example.org", "x")
    login_with_second_factor(client, admin)
    url = reverse("wagtailforms:list_submissions", args=[contact_form.pk])
    response = client.get(url, {"export": "csv"})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    cells = [cell for row in rows[1:] for cell in row]
    for value in FORMULAS:
        assert "'" + value in cells
        assert value not in cells
    assert "Els de Vries" in cells


def test_office_can_reply_to_the_sender_directly(client, contact_form):
    post(client, contact_form)
    assert mail.outbox[0].reply_to == ["els@example.org"]


@pytest.fixture
def call_me_form(contact_form):
    """The demo's contact form: e-mail and phone both optional, one of them needed."""
    email_field = contact_form.form_fields.get(clean_name="e_mailadres")
    email_field.required = False
    email_field.save()
    FormFieldFactory(page=contact_form, label="Telefoonnummer", field_type="phone", required=False)
    return contact_form


def test_phone_field_opens_the_phone_keypad_and_fields_autofill(client, call_me_form):
    html = client.get(call_me_form.url).content.decode()
    assert re.search(r'<input type="tel" name="telefoonnummer"[^>]*autocomplete="tel"', html)
    assert re.search(r'<input type="email" name="e_mailadres"[^>]*autocomplete="email"', html)
    assert re.search(r'<input type="text" name="naam"[^>]*autocomplete="name"', html)


def test_someone_who_would_rather_be_called_leaves_only_a_phone_number(client, call_me_form):
    response = post(client, call_me_form, e_mailadres="", telefoonnummer="020 555 12 34")
    assert "Bedankt voor uw bericht" in response.content.decode()
    assert FormSubmission.objects.get(page=call_me_form).get_data()["telefoonnummer"] == (
        "020 555 12 34"
    )
    assert mail.outbox[0].reply_to == []


def test_without_email_or_phone_the_form_asks_for_one_and_stores_nothing(client, call_me_form):
    response = post(client, call_me_form, e_mailadres="", telefoonnummer="")
    assert "Vul uw e-mailadres of uw telefoonnummer in" in response.content.decode()
    assert not FormSubmission.objects.exists()
    assert not mail.outbox
