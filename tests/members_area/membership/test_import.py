"""Reading a stadsdorp's member list: the spreadsheets volunteers really have, all or nothing,
idempotent, and a report per row."""

import io
from datetime import date

import pytest
from openpyxl import Workbook

from django.core import mail
from django.core.management import CommandError, call_command

from members_area.membership.importer import ImportFileError, import_members, parse_date
from members_area.membership.models import Membership
from members_area.models import Member

pytestmark = pytest.mark.django_db

HEADER = "naam;adres;postcode;telefoon;e-mail;binnenbuurt;lid sinds;betaald"
ROWS = [
    "Greet de Vries;Ringdijk 12;1097 ab;020 555 12 12;greet@example.org;Zonnehof;12-03-2019;ja",
    "Vries, Jan de;Kerkstraat 1;1098XY;06 12345678;;;2021-01-05;nee",
    "Fatima El Amrani;Middenweg 3;1097 AC;;fatima@example.org;;;",
]


def csv_bytes(lines, encoding="utf-8"):
    return ("\n".join(lines) + "\n").encode(encoding)


def run(world, data, filename="leden.csv", **kwargs):
    return import_members(data, filename, world.stadsdorp, **kwargs)


def imported(world):
    return Member.objects.filter(membership__stadsdorp=world.stadsdorp, membership__source="import")


def test_import_then_reimport_changes_nothing(membership_world):
    world = membership_world
    data = csv_bytes([HEADER, *ROWS])
    result = run(world, data)
    assert result.ok and result.applied, [(r.line, r.messages) for r in result.rows]
    assert [row.outcome for row in result.rows] == ["new", "new", "new"]
    assert "De kolom 'betaald' geldt voor de contributie van" in " ".join(result.notes)
    greet = Member.objects.get(user__email="greet@example.org")
    assert greet.binnenbuurt == world.a
    assert greet.user.first_name == "Greet" and greet.user.last_name == "de Vries"
    assert greet.membership.member_since == date(2019, 3, 12)
    assert greet.postcode == "1097AB"
    assert not greet.user.has_usable_password()
    assert greet.user.groups.filter(pk=world.a.members_group_id).exists()
    assert greet.user.groups.filter(name="Leden").exists()
    jan = Member.objects.get(user__first_name="Jan")
    assert jan.user.last_name == "de Vries"
    assert jan.user.email == "" and jan.membership.paper_newsletter
    assert jan.binnenbuurt == world.b  # 1098 is Lindengracht's range
    fatima = Member.objects.get(user__email="fatima@example.org")
    assert fatima.binnenbuurt == world.a  # Middenweg is on Zonnehof's street list
    assert mail.outbox == []  # no e-mail unless asked

    again = run(world, data)
    assert again.ok and [row.outcome for row in again.rows] == ["unchanged"] * 3
    assert imported(world).count() == 3

    changed = csv_bytes([HEADER, ROWS[0].replace("020 555 12 12", "020 999 99 99"), *ROWS[1:]])
    third = run(world, changed)
    assert [row.outcome for row in third.rows] == ["updated", "unchanged", "unchanged"]
    assert "telefoon" in third.rows[0].messages[0]
    greet.refresh_from_db()
    assert greet.phone == "020 999 99 99"


def test_one_bad_row_and_nothing_is_saved(membership_world):
    world = membership_world
    data = csv_bytes([HEADER, *ROWS, ";Zonder naam 1;1097AB;;;;;", "Piet;X 1;;;piet@;;;"])
    result = run(world, data)
    assert not result.ok and not result.applied
    errors = {row.line: row.messages for row in result.rows if row.outcome == "error"}
    assert errors == {5: ["geen naam"], 6: ["'piet@' is geen e-mailadres"]}
    assert imported(world).count() == 0


def test_dry_run_saves_nothing(membership_world):
    result = run(membership_world, csv_bytes([HEADER, *ROWS]), dry_run=True)
    assert result.ok and not result.applied
    assert [row.outcome for row in result.rows] == ["new"] * 3
    assert imported(membership_world).count() == 0


def test_latin1_commas_title_rows_empty_lines_duplicates_extra_columns(membership_world):
    world = membership_world
    lines = [
        "Ledenlijst Stadsdorp Noord 2025,,,,",
        ",,,,",
        "Naam,Adres,Postcode,E-mailadres,Opmerkingen,Lid sinds",
        "José Müller,Ringdijk 2,1097 AB,jose@example.org,houdt van tuinieren,1-2-2020",
        ",,,,,",
        "José Müller,Ringdijk 2,1097 AB,JOSE@example.org,dubbel,1-2-2020",
        "Anneke Jansen,Ringdijk 4,1097 AB,,,gisteren",
    ]
    result = run(world, csv_bytes(lines, "latin-1"))
    assert result.ok, [(r.line, r.messages) for r in result.rows]
    assert any("eerste 2 regel(s)" in note for note in result.notes)
    assert any("Opmerkingen" in note for note in result.notes)
    outcomes = {row.line: row.outcome for row in result.rows}
    assert outcomes == {4: "new", 6: "skipped", 7: "new"}
    assert "'lid sinds' (gisteren) is geen datum" in " ".join(result.rows[2].messages)
    assert Member.objects.get(user__email="jose@example.org").user.first_name == "José"


def test_xlsx_with_a_merged_title_and_excel_dates(membership_world):
    world = membership_world
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Ledenlijst 2025"])
    sheet.merge_cells("A1:E1")
    sheet.append(["Voornaam", "Achternaam", "Postcode", "Telefoon", "Lid sinds", "Buurt"])
    sheet.append(["Greet", "de Vries", "1097AB", 205551212, 43536, "zonnehof"])
    sheet.append(["Kees", "Bakker", "1097 AB", "06-1", date(2018, 5, 1), "Lindengracht"])
    sheet.append(["=HYPERLINK(1)", "Bakker", "1097 AB", None, "2018", None])
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = run(world, buffer.getvalue(), "leden.xlsx")
    assert result.ok, [(r.line, r.messages) for r in result.rows]
    greet = Member.objects.get(user__first_name="Greet")
    assert greet.membership.member_since == date(2019, 3, 12)  # Excel day 43536
    assert greet.phone == "205551212" and greet.binnenbuurt == world.a
    kees = Member.objects.get(user__first_name="Kees")
    assert kees.membership.member_since == date(2018, 5, 1) and kees.binnenbuurt == world.b


def test_files_we_cannot_read_give_a_clear_message(membership_world):
    world = membership_world
    with pytest.raises(ImportFileError, match="kolomnamen niet"):
        run(world, csv_bytes(["a;b;c", "1;2;3"]))
    with pytest.raises(ImportFileError, match="geen kolom 'naam'"):
        run(world, csv_bytes(["postcode;telefoon", "1097AB;020"]))
    with pytest.raises(ImportFileError, match="Excel-bestand kunnen we niet openen"):
        run(world, b"PK\x03\x04 kapot", "leden.xlsx")
    with pytest.raises(ImportFileError, match="groter dan"):
        run(world, b"naam\n" + b"x" * (21 * 1024 * 1024))
    with pytest.raises(ImportFileError, match=".csv- of .xlsx"):
        run(world, b"naam", "leden.pdf")


def test_ten_megabytes_is_read(membership_world):
    row = "Lid {n} Achternaam{n};Straat {n};1097AB;020 {n};lid{n}@example.org;;01-01-2020;" + (
        "x" * 2100
    )
    lines = [HEADER] + [row.format(n=n) for n in range(5000)]
    data = csv_bytes(lines)
    assert len(data) > 10 * 1024 * 1024
    result = run(membership_world, data, dry_run=True)
    assert result.ok and result.count("new") == 5000


def test_dates():
    assert parse_date("12-03-2019") == date(2019, 3, 12)
    assert parse_date("2019-03-12") == date(2019, 3, 12)
    assert parse_date("12/3/19") == date(2019, 3, 12)
    assert parse_date(43536) == date(2019, 3, 12)
    assert parse_date("43536") == date(2019, 3, 12)
    assert parse_date("2019") == date(2019, 1, 1)
    assert parse_date("") is None
    with pytest.raises(ValueError):
        parse_date("ooit")


def test_command_report_dry_run_and_invite(membership_world, tmp_path, capsys):
    world = membership_world
    path = tmp_path / "leden.csv"
    path.write_bytes(csv_bytes(["Naam;E-mail;Wijk", "Greet de Vries;greet@example.org;Zonnehof"]))
    call_command(
        "import_members",
        str(path),
        "--stadsdorp",
        world.stadsdorp.slug,
        "--dry-run",
        "--binnenbuurt-column",
        "Wijk",
    )
    out = capsys.readouterr().out
    assert "regel 2 (Greet de Vries): nieuw" in out
    assert "Proefrun: er is niets opgeslagen." in out
    assert not Membership.objects.filter(source="import").exists()
    call_command(
        "import_members",
        str(path),
        "--stadsdorp",
        world.stadsdorp.slug,
        "--invite",
        "--binnenbuurt-column",
        "Wijk",
    )
    member = Member.objects.get(user__email="greet@example.org")
    assert member.binnenbuurt == world.a
    assert [m.to for m in mail.outbox] == [["greet@example.org"]]
    assert "/nl/welkom/" in mail.outbox[0].body
    bad = tmp_path / "fout.csv"
    bad.write_bytes(csv_bytes(["Naam;E-mail", "Piet;piet@"]))
    with pytest.raises(CommandError, match="niets opgeslagen"):
        call_command("import_members", str(bad), "--stadsdorp", world.stadsdorp.slug)
    with pytest.raises(CommandError, match="geen stadsdorp"):
        call_command("import_members", str(path), "--stadsdorp", "bestaat-niet")


def test_upload_screen_previews_then_reads_in(client, membership_world):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from members_area.membership.models import MemberImport

    world = membership_world
    url = reverse("membership:import")
    client.force_login(world.users["contact_a"])
    assert client.get(url).status_code == 403  # contact persons do not import
    client.force_login(world.users["coordinator_x"])
    response = client.post(
        url, {"file": SimpleUploadedFile("leden.csv", csv_bytes([HEADER, *ROWS]))}
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "3 nieuw, 0 bijgewerkt" in content
    assert imported(world).count() == 0  # a preview saves nothing
    member_import = MemberImport.objects.get()
    client.force_login(world.users["coordinator_y"])
    response = client.post(reverse("membership:import_apply", args=[member_import.pk]))
    assert response.status_code == 403 and imported(world).count() == 0
    client.force_login(world.users["coordinator_x"])
    response = client.post(reverse("membership:import_apply", args=[member_import.pk]))
    assert response.status_code == 302
    assert imported(world).count() == 3
    member_import.refresh_from_db()
    assert member_import.applied_at is not None
    # Bad files: a Dutch message on the form, never a 500.
    response = client.post(url, {"file": SimpleUploadedFile("leden.xlsx", b"PK kapot")})
    assert "Excel-bestand kunnen we niet openen" in response.content.decode()
    response = client.post(url, {"file": SimpleUploadedFile("leden.pdf", b"%PDF")})
    assert "Kies een .csv- of .xlsx-bestand." in response.content.decode()
    response = client.post(
        url, {"file": SimpleUploadedFile("leden.csv", csv_bytes([HEADER, "Piet;;;;piet@;;;"]))}
    )
    assert "Er zijn fouten. Er is niets opgeslagen." in response.content.decode()
