"""Contributions: amount and period per stadsdorp, paid / not paid / exempt per member and year,
the coordinators' overview with filters and exports, reminders through the task queue or on paper,
the import's "betaald" column, and the seam for a payment provider."""

import csv
import io
import smtplib
from datetime import date, timedelta
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from django.core import mail
from django.core.mail.backends import locmem
from django.urls import reverse
from django.utils import timezone

from members_area.membership import contributions, payments, services
from members_area.membership.importer import import_members
from members_area.membership.models import Contribution, Membership, MembershipSettings
from tests.conftest import login_with_second_factor
from tests.members_area.membership.test_administration import add_member

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year


@pytest.fixture
def treasury(membership_world):
    world = membership_world
    MembershipSettings.objects.filter(stadsdorp=world.stadsdorp).update(
        contribution_amount=Decimal("5.00"),
        contribution_period="month",
        payment_instructions="Maak het over op NL00 TEST 0123 4567 89.",
    )
    world.paid = add_member(world, world.a, "Betaald", email="betaald@example.org")
    world.unpaid = add_member(world, world.a, "Open", email="open@example.org")
    world.paper = add_member(
        world,
        world.b,
        "Papier",
        street_address="Lindengracht 40",
        postcode="1098AB",
        city="Amsterdam",
    )
    world.exempt = add_member(world, world.b, "Vrij", email="vrij@example.org")
    contributions.record(world.paid, YEAR, status="paid", method="cash")
    contributions.record(world.exempt, YEAR, status="exempt")
    return world


def overview(client, **params):
    return client.get(reverse("membership:contributions"), params)


def test_yearly_amount_follows_the_period(treasury):
    row = MembershipSettings.objects.get(stadsdorp=treasury.stadsdorp)
    assert row.yearly_contribution == Decimal("60.00")
    row.contribution_period = "quarter"
    assert row.yearly_contribution == Decimal("20.00")
    row.contribution_amount = None
    assert row.yearly_contribution is None


def test_overview_filters_and_totals(client, treasury):
    world = treasury
    client.force_login(world.users["coordinator_x"])
    content = overview(client).content.decode()
    assert "€ 5,00 per maand: € 60,00 per jaar" in content
    assert "Betaald: 1. Niet betaald: 5. Vrijgesteld: 1." in content  # 3 world members + 2
    content = overview(client, status="open", binnenbuurt=world.b.pk).content.decode()
    assert "Papier" in content and "Bert" in content
    assert "Betaald Test" not in content and "Vrij Test" not in content
    content = overview(client, status="paid").content.decode()
    assert "Betaald Test" in content and "contant" in content and "Open Test" not in content
    # Another year: nobody paid yet.
    content = overview(client, jaar=YEAR - 1, status="paid").content.decode()
    assert "0 leden gevonden" in content
    # Bad filter values are ignored, never a 500.
    for params in ({"jaar": "abc"}, {"jaar": "1800"}, {"status": "x"}, {"stadsdorp": "9999"}):
        assert overview(client, **params).status_code == 200


def test_only_the_stadsdorps_coordinators_see_it(client, treasury):
    world = treasury
    zuid = add_member(world, world.c, "Zuidlid", email="zuid@example.org")
    urls = [
        reverse("membership:contributions"),
        reverse("membership:contribution", args=[world.unpaid.pk, YEAR]),
        reverse("membership:contributions_csv"),
        reverse("membership:contributions_xlsx"),
        reverse("membership:contribution_letters"),
    ]
    for role in ("member_a", "contact_a", "editor"):
        if role == "editor":
            login_with_second_factor(client, world.users[role])
        else:
            client.force_login(world.users[role])
        for url in urls:
            assert client.get(url).status_code == 403, (role, url)
    client.force_login(world.users["coordinator_y"])
    content = overview(client).content.decode()
    assert "Zuidlid" in content and "Open Test" not in content
    assert overview(client, stadsdorp=world.stadsdorp.pk).content.decode().count("Open Test") == 0
    response = client.get(reverse("membership:contribution", args=[world.unpaid.pk, YEAR]))
    assert response.status_code == 403
    response = client.post(
        reverse("membership:contribution", args=[world.unpaid.pk, YEAR]), {"status": "paid"}
    )
    assert response.status_code == 403
    assert not Contribution.objects.filter(membership__member=world.unpaid).exists()
    client.force_login(world.users["coordinator_x"])
    assert client.get(reverse("membership:contribution", args=[zuid.pk, YEAR])).status_code == 403
    assert (
        client.get(reverse("membership:contribution", args=[world.unpaid.pk, 1990])).status_code
        == 403
    )


def test_recording_a_payment_twice_is_one_payment(client, treasury):
    world = treasury
    client.force_login(world.users["coordinator_x"])
    url = reverse("membership:contribution", args=[world.unpaid.pk, YEAR])
    data = {"status": "paid", "paid_on": "02-01-" + str(YEAR), "method": "transfer", "amount": ""}
    for _attempt in range(2):
        assert client.post(url, data).status_code == 302
    (row,) = Contribution.objects.filter(membership__member=world.unpaid)
    assert (row.status, row.paid_on, row.method, row.amount) == (
        "paid",
        date(YEAR, 1, 2),
        "transfer",
        Decimal("60.00"),
    )
    assert row.recorded_by == world.users["coordinator_x"]
    # Bad input: a Dutch summary, nothing saved.
    future = (timezone.localdate() + timedelta(days=3)).strftime("%d-%m-%Y")
    for bad in (
        {"status": "paid", "paid_on": "31-02-2026"},
        {"status": "paid", "paid_on": future},
        {"status": "weet niet"},
        {"status": "paid", "amount": "veel"},
        {},
    ):
        response = client.post(url, bad)
        assert response.status_code == 200, bad
        assert 'class="error-summary' in response.content.decode(), bad
    row.refresh_from_db()
    assert row.paid_on == date(YEAR, 1, 2)


def test_settings_are_kept_by_coordinators(client, treasury):
    world = treasury
    client.force_login(world.users["coordinator_x"])
    data = {
        "stadsdorp": world.stadsdorp.pk,
        "action": "settings",
        "instellingen-contribution_amount": "10,00",
        "instellingen-contribution_period": "month",
        "instellingen-payment_instructions": "Contant bij de penningmeester.",
    }
    assert client.post(reverse("membership:contributions"), data).status_code == 302
    row = MembershipSettings.objects.get(stadsdorp=world.stadsdorp)
    assert row.contribution_amount == Decimal("10.00")
    data["instellingen-contribution_amount"] = "-3"
    response = client.post(reverse("membership:contributions"), data)
    assert response.status_code == 200 and 'class="error-summary' in response.content.decode()


def test_exports_are_formula_safe(client, treasury):
    world = treasury
    world.unpaid.user.first_name = "=HYPERLINK(1)"
    world.unpaid.user.save()
    client.force_login(world.users["coordinator_x"])
    response = client.get(reverse("membership:contributions_csv"), {"status": "open"})
    assert response["Cache-Control"].startswith("private")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["Voornaam", "Achternaam", "E-mailadres"]
    unpaid = next(row for row in rows if "open@example.org" in row)
    assert unpaid[0] == "'=HYPERLINK(1)"
    assert unpaid[6] == "niet betaald" and unpaid[7] == ""
    assert not any("betaald@example.org" in row for row in rows)
    response = client.get(reverse("membership:contributions_xlsx"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    paid = next(row for row in values if row[2] == "betaald@example.org")
    assert paid[6:8] == ["betaald", "60,00"]
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_reminders_go_through_the_queue_once(client, treasury, django_capture_on_commit_callbacks):
    world = treasury
    client.force_login(world.users["coordinator_x"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("membership:contributions") + "?status=open",
            {"action": "remind", "stadsdorp": world.stadsdorp.pk},
        )
    assert response.status_code == 302
    recipients = sorted(message.to[0] for message in mail.outbox)
    # Everyone unpaid with an address; not the payer, the exempt member or the paper member.
    assert recipients == sorted(
        ["anna@example.org", "bert@example.org", "carla@example.org", "open@example.org"]
    )
    message = next(m for m in mail.outbox if m.to == ["open@example.org"])
    assert "€ 60,00" in message.body and "NL00 TEST 0123 4567 89" in message.body
    # A double click (or the next day) sends nothing again.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("membership:contributions") + "?status=open",
            {"action": "remind", "stadsdorp": world.stadsdorp.pk},
        )
    assert len(mail.outbox) == 4
    # Someone who paid in the meantime is not reminded by a queued task.
    row = Contribution.objects.get(membership__member=world.unpaid, year=YEAR)
    contributions.record(world.unpaid, YEAR, status="paid")
    assert contributions.send_reminders([row.pk]) == 0


class FlakyMailBackend(locmem.EmailBackend):
    """The tests' outbox, but the mail server goes away once: at the second message."""

    calls = 0

    def send_messages(self, messages):
        FlakyMailBackend.calls += 1
        if FlakyMailBackend.calls == 2:
            raise smtplib.SMTPServerDisconnected("De mailserver is even weg.")
        return super().send_messages(messages)


def test_a_retried_reminder_batch_sends_each_reminder_once(
    client, treasury, settings, django_capture_on_commit_callbacks
):
    world = treasury
    settings.EMAIL_BACKEND = f"{__name__}.FlakyMailBackend"
    FlakyMailBackend.calls = 0
    client.force_login(world.users["coordinator_x"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("membership:contributions") + "?status=open",
            {"action": "remind", "stadsdorp": world.stadsdorp.pk},
        )
    recipients = [message.to[0] for message in mail.outbox]
    # The first attempt sent one and failed at the second; the retry sent the other three.
    assert FlakyMailBackend.calls == 5
    assert sorted(recipients) == sorted(
        ["anna@example.org", "bert@example.org", "carla@example.org", "open@example.org"]
    )
    rows = Contribution.objects.filter(year=YEAR, reminded_at__isnull=False)
    assert all(row.reminder_sent_at >= row.reminded_at for row in rows)


def test_the_year_shown_is_the_year_chosen_in_the_filter(client, treasury):
    client.force_login(treasury.users["coordinator_x"])
    page = overview(client).content.decode()
    # Unfiltered, the overview is this year's, and so is the filter's choice ("Toon" keeps it).
    assert f'<option value="{YEAR}" selected>' in page
    page = overview(client, jaar=YEAR - 1).content.decode()
    assert f'<option value="{YEAR - 1}" selected>' in page


def test_letters_for_members_without_email(client, treasury):
    world = treasury
    client.force_login(world.users["coordinator_x"])
    response = client.get(reverse("membership:contribution_letters"))
    assert response["Content-Type"] == "application/pdf"
    pages = PdfReader(io.BytesIO(response.content)).pages
    assert len(pages) == 1  # only the paper member: the others have e-mail
    text = pages[0].extract_text()
    assert "Papier Test" in text and "Lindengracht 40" in text and "1098 AB Amsterdam" in text
    assert "€ 60,00" in text
    contributions.record(world.paper, YEAR, status="paid")
    response = client.get(reverse("membership:contribution_letters"))
    assert "geen leden zonder e-mail" in PdfReader(io.BytesIO(response.content)).pages[
        0
    ].extract_text().replace("\n", " ")


def test_import_reads_betaald_into_this_year(membership_world):
    world = membership_world
    lines = [
        "naam;postcode;e-mail;binnenbuurt;betaald",
        "Greet de Vries;1097 AB;greet@example.org;Zonnehof;ja",
        "Jan Smit;1098 XY;;;nee",
        "Fatima El Amrani;1097 AC;fatima@example.org;;vrijgesteld",
        "Piet Post;1097 AD;piet@example.org;;12-01-2026",
        "Kees Kort;1097 AE;kees@example.org;;misschien",
    ]
    data = ("\n".join(lines) + "\n").encode()
    result = import_members(data, "leden.csv", world.stadsdorp)
    assert result.ok, [r.messages for r in result.rows]
    statuses = dict(
        Contribution.objects.filter(year=YEAR).values_list(
            "membership__member__user__first_name", "status"
        )
    )
    assert statuses == {"Greet": "paid", "Jan": "open", "Fatima": "exempt", "Piet": "paid"}
    kees = next(row for row in result.rows if row.name == "Kees Kort")
    assert any("begrijpen we niet" in message for message in kees.messages)
    again = import_members(data, "leden.csv", world.stadsdorp)
    assert again.count("new") + again.count("updated") == 0
    # The treasurer recorded Jan's cash; an old list saying "nee" does not undo it.
    jan = Membership.objects.get(member__user__first_name="Jan").member
    contributions.record(jan, YEAR, status="paid", method="cash")
    import_members(data, "leden.csv", world.stadsdorp)
    assert Contribution.objects.get(membership__member=jan).status == "paid"
    # A later list that says Greet... is exempt now: updated.
    data2 = data.replace(b"Zonnehof;ja", b"Zonnehof;vrijgesteld")
    report = import_members(data2, "leden.csv", world.stadsdorp)
    greet = next(row for row in report.rows if row.name == "Greet de Vries")
    assert greet.outcome == "updated" and "betaald" in greet.messages[0]


def test_payment_provider_seam_is_idempotent(treasury):
    world = treasury
    assert payments.provider() is None
    (row,) = contributions.open_rows(world.stadsdorp, YEAR, [world.unpaid])
    for _notification in range(2):
        paid = payments.record_payment(row, reference="tr_123", amount=Decimal("60.00"))
    assert (paid.status, paid.method, paid.reference) == ("paid", "online", "tr_123")
    assert Contribution.objects.filter(membership__member=world.unpaid).count() == 1


def test_record_refuses_an_unknown_status(treasury):
    with pytest.raises(services.MembershipError):
        contributions.record(treasury.unpaid, YEAR, status="half")
