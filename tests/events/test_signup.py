"""Sign-up: the flow, e-mails with .ics and cancel link, refusals that keep input, waiting list."""

import re
from datetime import timedelta

import icalendar
import pytest

from django.core import mail, signing
from django.utils import timezone

from events import signup
from events.models import EventException, Registration
from tests.events.conftest import soon

pytestmark = pytest.mark.django_db


def day_of(event):
    return timezone.localtime(event.start).date()


def post_signup(client, event, **data):
    payload = {
        "datum": day_of(event).isoformat(),
        "name": "Marijke Jansen",
        "email": "marijke@example.org",
        "phone": "",
        "number_of_people": "1",
        "form_token": data.pop("form_token", ""),
    }
    payload.update(data)
    return client.post(f"{event.url}aanmelden/", payload)


def cancel_link(message):
    return re.search(r"http://testserver(/\S+/agenda-afmelden/\S+/)", message.body).group(1)


def test_signup_sends_confirmation_with_ics_and_cancel_link(make_event, client):
    event = make_event(title="Excursie", signup_enabled=True, capacity=12)
    response = post_signup(client, event, number_of_people="2")
    assert response.status_code == 200
    assert "U bent aangemeld" in response.content.decode()
    registration = Registration.objects.get()
    assert registration.status == "confirmed" and registration.number_of_people == 2
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["marijke@example.org"]
    assert "Excursie" in message.subject
    html = message.alternatives[0]
    assert html[1] == "text/html" and "Afmelden" in html[0]
    filename, content, mimetype = message.attachments[0]
    assert filename.endswith(".ics") and mimetype == "text/calendar"
    calendar = icalendar.Calendar.from_ical(content)
    assert str(calendar.walk("VEVENT")[0]["SUMMARY"]) == "Excursie"
    assert cancel_link(message)


def test_english_confirmation(make_event, client):
    event = make_event(title="Excursion", signup_enabled=True)
    client.post(
        f"/en{event.url[3:]}aanmelden/",
        {
            "datum": day_of(event).isoformat(),
            "name": "Jo",
            "email": "jo@example.org",
            "number_of_people": "1",
        },
    )
    assert Registration.objects.get().language == "en"
    message = mail.outbox[0]
    assert message.subject == "Registration confirmed: Excursion"
    assert "Dear Jo," in message.body and "Can't come after all?" in message.body


def test_cancel_asks_then_frees_places_and_promotes_waiting_list_in_order(
    make_event, client, django_capture_on_commit_callbacks
):
    event = make_event(
        title="Museum", signup_enabled=True, capacity=3, waitlist_enabled=True, max_per_signup=3
    )
    post_signup(client, event, name="Eerste", email="1@example.org", number_of_people="3")
    post_signup(client, event, name="Twee personen", email="2@example.org", number_of_people="2")
    post_signup(client, event, name="Derde", email="3@example.org", number_of_people="1")
    statuses = dict(Registration.objects.values_list("name", "status"))
    assert statuses == {"Eerste": "confirmed", "Twee personen": "waitlisted", "Derde": "waitlisted"}
    assert "wachtlijst" in mail.outbox[1].subject
    link = cancel_link(mail.outbox[0])
    mail.outbox.clear()
    page = client.get(link)
    assert page.status_code == 200 and "Ja, meld mij af" in page.content.decode()
    assert Registration.objects.get(name="Eerste").status == "confirmed"  # GET changes nothing
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(link)
    assert "U bent afgemeld" in done.content.decode()
    statuses = dict(Registration.objects.values_list("name", "status"))
    assert statuses == {"Eerste": "cancelled", "Twee personen": "confirmed", "Derde": "confirmed"}
    assert sorted(m.to[0] for m in mail.outbox) == ["2@example.org", "3@example.org"]
    assert all(m.attachments for m in mail.outbox)


def test_waiting_list_head_that_does_not_fit_is_not_skipped(make_event):
    event = make_event(signup_enabled=True, capacity=2, max_per_signup=2)
    day = day_of(event)
    single, _ = signup.register(event, day, name="Een", email="a@example.org", number_of_people=1)
    signup.register(event, day, name="Ander", email="b@example.org", number_of_people=1)
    couple, _ = signup.register(event, day, name="Stel", email="c@example.org", number_of_people=2)
    late, _ = signup.register(event, day, name="Laat", email="d@example.org", number_of_people=1)
    assert couple.status == late.status == "waitlisted"
    promoted = signup.cancel(single)
    assert promoted == []  # one place free, the couple first in line needs two
    late.refresh_from_db()
    assert late.status == "waitlisted"


@pytest.mark.parametrize("token", ["nonsense", "a:b:c"])
def test_forged_token_is_refused(token, client):
    response = client.get(f"/nl/agenda-afmelden/{token}/")
    assert response.status_code == 404
    assert "niet (meer) geldig" in response.content.decode()


def test_token_with_wrong_secret_or_expired_is_refused(make_event, client, monkeypatch):
    event = make_event(signup_enabled=True)
    registration, _ = signup.register(event, day_of(event), name="A", email="a@example.org")
    forged = signing.dumps(
        {"r": registration.pk, "s": "guess"}, salt=signup.TOKEN_SALT, compress=True
    )
    assert client.post(f"/nl/agenda-afmelden/{forged}/").status_code == 404
    monkeypatch.setattr(signup, "TOKEN_MAX_AGE", timedelta(seconds=-1))
    valid = signup.make_cancel_token(registration)
    assert client.post(f"/nl/agenda-afmelden/{valid}/").status_code == 404
    registration.refresh_from_db()
    assert registration.status == "confirmed"


def test_after_deadline_refused_and_input_kept(make_event, client):
    event = make_event(signup_enabled=True, signup_deadline=timezone.now() - timedelta(hours=1))
    response = post_signup(client, event, name="Hendrik Visser", email="hendrik@example.org")
    body = response.content.decode()
    assert "aanmeldtermijn is voorbij" in body
    assert 'value="Hendrik Visser"' in body and 'value="hendrik@example.org"' in body
    assert not Registration.objects.exists()


def test_cancelled_event_refused(make_event, client):
    event = make_event(signup_enabled=True, status="cancelled")
    body = post_signup(client, event, name="Piet").content.decode()
    assert "geannuleerd" in body and 'value="Piet"' in body
    assert not Registration.objects.exists()


def test_cancelled_occurrence_refused(make_event, client):
    event = make_event(signup_enabled=True, frequency="weekly", repeat_count=3)
    cancelled_day = day_of(event) + timedelta(weeks=1)
    EventException.objects.create(page=event, date=cancelled_day, kind="cancelled")
    body = post_signup(client, event, datum=cancelled_day.isoformat()).content.decode()
    assert "geannuleerd" in body
    assert not Registration.objects.exists()


@pytest.mark.parametrize(
    ("people", "message"),
    [("5", "hoogstens 2"), ("0", "minstens 1"), ("-1", "minstens 1"), ("x", "heel getal")],
)
def test_number_of_people_refused_with_input_kept(make_event, client, people, message):
    event = make_event(signup_enabled=True, max_per_signup=2)
    body = post_signup(client, event, number_of_people=people, name="Fatima").content.decode()
    assert message in body
    assert 'value="Fatima"' in body
    assert not Registration.objects.exists()


def test_full_without_waiting_list_refused(make_event, client):
    event = make_event(signup_enabled=True, capacity=1, waitlist_enabled=False)
    post_signup(client, event, email="a@example.org")
    body = post_signup(client, event, email="b@example.org", name="Te laat").content.decode()
    assert "vol" in body and 'value="Te laat"' in body
    assert Registration.objects.count() == 1


def test_double_submit_signs_up_once(make_event, client):
    event = make_event(signup_enabled=True, capacity=5)
    first = post_signup(client, event, form_token="abc123")
    second = post_signup(client, event, form_token="abc123")
    assert first.status_code == second.status_code == 200
    assert "U bent aangemeld" in second.content.decode()
    assert Registration.objects.count() == 1
    assert len(mail.outbox) == 1


def test_same_email_twice_is_told_already_signed_up(make_event, client):
    event = make_event(signup_enabled=True)
    post_signup(client, event, form_token="one")
    body = post_signup(client, event, form_token="two").content.decode()
    assert "al aangemeld" in body
    assert Registration.objects.count() == 1


def test_recurring_sign_up_is_per_occurrence(make_event):
    event = make_event(
        signup_enabled=True, capacity=1, waitlist_enabled=False, frequency="weekly", repeat_count=3
    )
    first_day = day_of(event)
    signup.register(event, first_day, name="A", email="a@example.org")
    registration, _ = signup.register(
        event, first_day + timedelta(weeks=1), name="B", email="b@example.org"
    )
    assert registration.status == "confirmed"
    with pytest.raises(signup.SignupRefused):
        signup.register(event, first_day, name="C", email="c@example.org")


def test_date_outside_the_series_is_refused(make_event):
    event = make_event(signup_enabled=True, frequency="weekly", repeat_count=3)
    with pytest.raises(signup.SignupRefused):
        signup.register(event, day_of(event) + timedelta(days=1), name="A", email="a@example.org")


def test_signup_form_page(make_event, client):
    event = make_event(signup_enabled=True, start=soon(5))
    body = client.get(f"{event.url}aanmelden/").content.decode()
    assert 'name="form_token"' in body and "<label" in body


def test_pages_with_a_personal_form_are_never_cached(make_event, client):
    event = make_event(signup_enabled=True)
    for url in (event.url, f"{event.url}aanmelden/"):
        cache_control = client.get(url)["Cache-Control"]
        assert "private" in cache_control and "no-store" in cache_control
    plain = make_event(signup_enabled=False)
    assert "no-store" not in client.get(plain.url).get("Cache-Control", "")


def test_reused_form_token_with_other_data_never_shows_someone_else(make_event, client):
    event = make_event(signup_enabled=True)
    post_signup(client, event, form_token="shared", email="eerste@example.org")
    body = post_signup(client, event, form_token="shared", email="tweede@example.org").content
    assert b"eerste@example.org" not in body and b"tweede@example.org" in body
    assert Registration.objects.count() == 2


def test_a_full_event_says_so_and_offers_the_waiting_list(make_event, client):
    event = make_event(signup_enabled=True, capacity=1, waitlist_enabled=True)
    post_signup(client, event, email="a@example.org", form_token="first")
    body = client.get(event.url).content.decode()
    assert "Nog 0 plaatsen" not in body
    assert "Vol: alle 1 plaatsen zijn bezet" in body
    assert "Vol — zet mij op de wachtlijst" in body

    waiting = post_signup(client, event, email="b@example.org", form_token="second")
    body = waiting.content.decode()
    assert "U staat op de wachtlijst" in body
    # Not a place yet: no calendar entry offered.
    assert "Zet in mijn agenda" not in body
    confirmed = post_signup(
        client, make_event(signup_enabled=True, capacity=5), form_token="third"
    ).content.decode()
    assert "Zet in mijn agenda" in confirmed


def test_a_logged_in_member_finds_name_and_email_filled_in(make_event, client, django_user_model):
    event = make_event(signup_enabled=True, capacity=5)
    member = django_user_model.objects.create_user(
        "anneke", email="anneke@example.org", first_name="Anneke", last_name="de Vries"
    )
    assert 'value="anneke@example.org"' not in client.get(event.url).content.decode()
    client.force_login(member)
    body = client.get(event.url).content.decode()
    assert 'value="Anneke de Vries"' in body
    assert 'value="anneke@example.org"' in body
