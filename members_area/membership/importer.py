"""Reading a stadsdorp's own member list (CSV or XLSX) into members, all or nothing.

What volunteers' spreadsheets look like, and what we do about it:
* a title row above the header (often merged cells): the header is the first of the first 10 rows
  that names at least two known columns; everything above it is skipped;
* Dutch column names in many spellings ("E-mailadres", "email", "Tel.", "Lid sinds"); extra columns
  are reported and ignored; ``--column veld=Kop`` maps a column by hand;
* CSV in UTF-8 (with or without BOM) or Latin-1/Windows-1252, with semicolons, commas or tabs;
* dates as real dates, Excel day numbers (45123) or text ("12-03-2019", "2019-03-12", "12/3/19");
* empty lines and duplicate rows (the second is skipped and reported).

Each row gets a line in the report: new, updated (which fields), unchanged, skipped, or an error.
One error and nothing is saved (``ImportResult.ok`` is False). Existing members are matched on
e-mail address, else on first name + last name + postcode, so running the same file again changes
nothing. Members are written in bulk (a few queries per 1,000 rows), not one by one.
"""

import csv
import io
import re
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from openpyxl import load_workbook

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from members_area.models import Member
from members_area.services import sync_many_member_groups

from . import contributions
from .models import Contribution, Membership, Source
from .permissions import binnenbuurten_of
from .postcodes import is_valid_postcode, normalise_postcode, suggest_binnenbuurt

MAX_BYTES = 20 * 1024 * 1024
HEADER_SEARCH_ROWS = 10
BATCH = 1000

# Field -> the column names it is known by (after ``normalise_header``).
COLUMN_NAMES = {
    "name": ["naam", "volledige naam", "naam lid", "name"],
    "first_name": ["voornaam", "roepnaam", "first name"],
    "last_name": ["achternaam", "familienaam", "last name", "surname"],
    "address": ["adres", "straat en huisnummer", "straat", "address"],
    "postcode": ["postcode", "post code", "pc", "zip"],
    "city": ["woonplaats", "plaats", "city"],
    "phone": ["telefoon", "telefoonnummer", "tel", "telnr", "mobiel", "phone"],
    "email": ["e-mail", "email", "e-mailadres", "emailadres", "mail", "mailadres"],
    "binnenbuurt": ["binnenbuurt", "buurt"],
    "member_since": ["lid sinds", "lid vanaf", "sinds", "ingangsdatum", "member since"],
    "paid": ["betaald", "contributie betaald", "paid"],
}
FIELD_LABELS = {
    "name": "naam",
    "first_name": "voornaam",
    "last_name": "achternaam",
    "address": "adres",
    "postcode": "postcode",
    "city": "woonplaats",
    "phone": "telefoon",
    "email": "e-mail",
    "binnenbuurt": "binnenbuurt",
    "member_since": "lid sinds",
    "paid": "betaald",
}
DATE_FORMATS = ["%d-%m-%Y", "%Y-%m-%d", "%d/%m/%Y", "%d-%m-%y", "%d/%m/%y", "%d.%m.%Y"]
EXCEL_EPOCH = date(1899, 12, 30)
# "Vries, Jan de": the particles after the first name belong to the last name.
NAME_PARTICLES = {"de", "van", "der", "den", "het", "'t", "te", "ter", "ten", "in", "op", "el"}


class ImportFileError(Exception):
    """The file as a whole cannot be read; the message is Dutch and meant for the coordinator."""


@dataclass
class RowReport:
    line: int
    name: str
    outcome: str  # "new", "updated", "unchanged", "skipped", "error"
    messages: list = field(default_factory=list)


@dataclass
class ImportResult:
    rows: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    applied: bool = False
    new_members: list = field(default_factory=list)

    @property
    def ok(self):
        return not any(row.outcome == "error" for row in self.rows)

    def count(self, outcome):
        return sum(1 for row in self.rows if row.outcome == outcome)

    @property
    def summary(self):
        return _(
            "%(new)s nieuw, %(updated)s bijgewerkt, %(unchanged)s ongewijzigd, "
            "%(skipped)s overgeslagen, %(errors)s met een fout"
        ) % {
            "new": self.count("new"),
            "updated": self.count("updated"),
            "unchanged": self.count("unchanged"),
            "skipped": self.count("skipped"),
            "errors": self.count("error"),
        }


def normalise_header(value):
    value = str(value or "").strip().lower().replace("_", " ")
    value = re.sub(r"[.:*]", "", value)
    return re.sub(r"\s+", " ", value).strip()


# --- Reading the file --------------------------------------------------------------------------


def _decode(data):
    for encoding in ("utf-8-sig", "cp1252", "latin-1"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFileError(_("Dit bestand is geen leesbare tekst."))


def _csv_rows(data):
    text = _decode(data)
    sample = "\n".join(text.splitlines()[:20])
    counts = {delimiter: sample.count(delimiter) for delimiter in (";", ",", "\t")}
    delimiter = max(counts, key=counts.get)
    return list(csv.reader(io.StringIO(text), delimiter=delimiter))


def _xlsx_rows(data):
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged or wrong file
        raise ImportFileError(
            _("Dit Excel-bestand kunnen we niet openen. Sla het opnieuw op als .xlsx of .csv.")
        ) from error
    sheet = workbook.worksheets[0]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    workbook.close()
    return rows


def read_table(data, filename):
    """The rows of the file as lists of cell values."""
    if len(data) > MAX_BYTES:
        raise ImportFileError(
            _("Dit bestand is groter dan %(size)s MB. Splits het in delen.")
            % {"size": MAX_BYTES // (1024 * 1024)}
        )
    name = (filename or "").lower()
    if name.endswith(".xlsx") or data[:2] == b"PK":
        return _xlsx_rows(data)
    if name.endswith((".csv", ".txt")) or not name:
        return _csv_rows(data)
    raise ImportFileError(_("Kies een .csv- of .xlsx-bestand."))


def find_columns(rows, overrides=None):
    """(header row index, {field: column index}, [ignored column names])."""
    known = {}
    for field_name, names in COLUMN_NAMES.items():
        for name in names:
            known[name] = field_name
    for field_name, header in (overrides or {}).items():
        known[normalise_header(header)] = field_name
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        headers = [normalise_header(cell) for cell in row]
        mapping = {}
        for column, header in enumerate(headers):
            field_name = known.get(header)
            if field_name and field_name not in mapping:
                mapping[field_name] = column
        if len(mapping) >= 2:
            ignored = [
                str(row[column]).strip()
                for column, header in enumerate(headers)
                if header and column not in mapping.values()
            ]
            return index, mapping, ignored
    raise ImportFileError(
        _(
            "We vinden de kolomnamen niet. Zet in de eerste regels een regel met kolomnamen, "
            "bijvoorbeeld: naam, adres, postcode, telefoon, e-mail, binnenbuurt, lid sinds."
        )
    )


# --- Reading one row ---------------------------------------------------------------------------


def _text(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return re.sub(r"\s+", " ", str(value)).strip()


def parse_date(value):
    """A date from a real date, an Excel day number or text; None if empty; ValueError if bad."""
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 1 <= value < 2958466:
            return EXCEL_EPOCH + timedelta(days=int(value))
        raise ValueError
    text = _text(value)
    if text.isdigit() and len(text) == 4:  # only a year
        return date(int(text), 1, 1)
    if text.isdigit():
        return parse_date(int(text))
    for date_format in DATE_FORMATS:
        try:
            return datetime.strptime(text, date_format).date()
        except ValueError:
            continue
    raise ValueError


def split_name(full_name):
    """("Greet", "de Vries") from "Greet de Vries" or "Vries, Greet de" / "de Vries, Greet"."""
    full_name = _text(full_name)
    if "," in full_name:
        last, _comma, first = full_name.partition(",")
        first_words = first.split()
        particles = []
        while len(first_words) > 1 and first_words[-1].lower() in NAME_PARTICLES:
            particles.insert(0, first_words.pop())
        return " ".join(first_words), " ".join([*particles, last.strip()])
    first, _space, last = full_name.partition(" ")
    return first, last.strip()


@dataclass
class Row:
    line: int
    first_name: str
    last_name: str
    email: str
    phone: str
    address: str
    postcode: str
    city: str
    binnenbuurt_name: str
    member_since: date | None
    paid: str | None = None  # a Contribution status for this year, None when the cell is empty

    @property
    def full_name(self):
        return f"{self.first_name} {self.last_name}".strip()


def parse_row(cells, mapping, line, report):
    def cell(field_name):
        column = mapping.get(field_name)
        return cells[column] if column is not None and column < len(cells) else None

    first_name, last_name = _text(cell("first_name")), _text(cell("last_name"))
    if not (first_name or last_name) and cell("name") is not None:
        first_name, last_name = split_name(cell("name"))
    email = _text(cell("email")).lower()
    postcode_raw = _text(cell("postcode"))
    postcode = normalise_postcode(postcode_raw)
    if not (first_name or last_name):
        report.outcome = "error"
        report.messages.append(_("geen naam"))
    if email:
        try:
            validate_email(email)
        except ValidationError:
            report.outcome = "error"
            report.messages.append(_("'%(value)s' is geen e-mailadres") % {"value": email})
    if postcode_raw and not is_valid_postcode(postcode):
        report.messages.append(
            _("postcode '%(value)s' klopt niet, niet overgenomen") % {"value": postcode_raw}
        )
        postcode = ""
    try:
        member_since = parse_date(cell("member_since"))
    except (ValueError, OverflowError):
        member_since = None
        report.messages.append(
            _("'lid sinds' (%(value)s) is geen datum, niet overgenomen")
            % {"value": _text(cell("member_since"))}
        )
    try:
        paid = contributions.parse_paid(cell("paid"))
    except ValueError:
        paid = None
        report.messages.append(
            _("'betaald' (%(value)s) begrijpen we niet, niet overgenomen")
            % {"value": _text(cell("paid"))}
        )
    return Row(
        line=line,
        first_name=first_name[:150],
        last_name=last_name[:150],
        email=email,
        phone=_text(cell("phone"))[:30],
        address=_text(cell("address"))[:200],
        postcode=postcode,
        city=_text(cell("city"))[:100],
        binnenbuurt_name=_text(cell("binnenbuurt")),
        member_since=member_since,
        paid=paid,
    )


# --- Importing ---------------------------------------------------------------------------------


def _name_key(first_name, last_name, postcode):
    return (first_name.strip().lower(), last_name.strip().lower(), postcode)


class _Rollback(Exception):
    pass


def import_members(data, filename, stadsdorp, *, dry_run=False, overrides=None, progress=None):
    """Read the file and, unless ``dry_run`` or any row has an error, save it; an ImportResult."""
    result = ImportResult()
    rows = read_table(data, filename)
    header_index, mapping, ignored = find_columns(rows, overrides)
    if header_index:
        result.notes.append(
            _("De eerste %(count)s regel(s) boven de kolomnamen zijn overgeslagen.")
            % {"count": header_index}
        )
    if ignored:
        result.notes.append(
            _("Deze kolommen lezen we niet in: %(columns)s.") % {"columns": ", ".join(ignored)}
        )
    if "name" not in mapping and not ({"first_name", "last_name"} & set(mapping)):
        raise ImportFileError(
            _(
                "Er is geen kolom 'naam' (of 'voornaam' en 'achternaam'). Zonder namen lezen we "
                "niets in."
            )
        )
    if "paid" in mapping:
        result.notes.append(
            _(
                "De kolom 'betaald' geldt voor de contributie van %(year)s. Een betaling die al "
                "is genoteerd, zet het bestand nooit terug op 'niet betaald'."
            )
            % {"year": timezone.localdate().year}
        )
    try:
        with transaction.atomic():
            _import_rows(
                rows[header_index + 1 :], header_index, mapping, stadsdorp, result, progress
            )
            if dry_run or not result.ok:
                raise _Rollback
            result.applied = True
    except _Rollback:
        result.new_members = []
    return result


def _import_rows(rows, header_index, mapping, stadsdorp, result, progress):
    User = get_user_model()
    binnenbuurten = list(binnenbuurten_of(stadsdorp))
    by_name = {binnenbuurt.name.lower(): binnenbuurt for binnenbuurt in binnenbuurten}
    existing = list(
        Member.objects.filter(membership__stadsdorp=stadsdorp).select_related("user", "membership")
    )
    by_email = {member.user.email.lower(): member for member in existing if member.user.email}
    by_key = {
        _name_key(member.user.first_name, member.user.last_name, member.postcode): member
        for member in existing
    }
    year = timezone.localdate().year
    paid_before = dict(
        Contribution.objects.filter(membership__stadsdorp=stadsdorp, year=year).values_list(
            "membership_id", "status"
        )
    )
    seen_email, seen_key = set(), set()
    parsed = []
    for offset, cells in enumerate(rows):
        line = header_index + 2 + offset
        if progress:
            progress(offset + 1, len(rows))
        if not any(_text(cell) for cell in cells):
            continue  # an empty line
        report = RowReport(line=line, name="", outcome="")
        row = parse_row(cells, mapping, line, report)
        report.name = row.full_name
        result.rows.append(report)
        if report.outcome == "error":
            continue
        key = _name_key(row.first_name, row.last_name, row.postcode)
        if (row.email and row.email in seen_email) or (not row.email and key in seen_key):
            report.outcome = "skipped"
            report.messages.append(_("staat al eerder in het bestand"))
            continue
        seen_email.add(row.email)
        seen_key.add(key)
        binnenbuurt = None
        if row.binnenbuurt_name:
            binnenbuurt = by_name.get(row.binnenbuurt_name.lower())
            if binnenbuurt is None:
                report.messages.append(
                    _("binnenbuurt '%(name)s' bestaat niet in dit stadsdorp")
                    % {"name": row.binnenbuurt_name}
                )
        if binnenbuurt is None:
            binnenbuurt = suggest_binnenbuurt(binnenbuurten, row.address, row.postcode)
            if binnenbuurt is not None and not row.binnenbuurt_name:
                report.messages.append(
                    _("binnenbuurt %(name)s bij het adres gekozen") % {"name": binnenbuurt.name}
                )
        member = by_email.get(row.email) if row.email else None
        if member is None:
            member = by_key.get(key)
        parsed.append((row, report, binnenbuurt, member))

    if not result.ok:
        return
    # Addresses already in use by someone who is not a member of this stadsdorp.
    new_emails = {row.email for row, _r, _b, member in parsed if member is None and row.email}
    taken = {}
    for user in User.objects.filter(email__in=new_emails).select_related("member"):
        taken[user.email.lower()] = user
    to_create = []
    changed_members = []
    paid_wanted = {}
    for row, report, binnenbuurt, member in parsed:
        if member is None:
            user = taken.get(row.email)
            if user is not None and hasattr(user, "member"):
                report.outcome = "skipped"
                report.messages.append(_("dit e-mailadres is al lid van een ander stadsdorp"))
                continue
            report.outcome = "new"
            to_create.append((row, binnenbuurt, user))
            continue
        changes = _apply_changes(member, row, binnenbuurt)
        if row.paid is not None:
            before = paid_before.get(member.membership.pk)
            if before is None or (before != row.paid and row.paid != Contribution.Status.OPEN):
                paid_wanted[member.membership.pk] = row.paid
                changes.append(_("betaald"))
        if changes:
            report.outcome = "updated"
            report.messages.append(_("bijgewerkt: %(fields)s") % {"fields": ", ".join(changes)})
            changed_members.append(member)
        else:
            report.outcome = "unchanged"
    memberships = _create(to_create, stadsdorp, result)
    for membership, (row, _b, _u) in zip(memberships, to_create, strict=True):
        if row.paid is not None:
            paid_wanted[membership.pk] = row.paid
    if paid_wanted:
        contributions.import_statuses(paid_wanted, year, contributions.yearly_amount(stadsdorp))
    Member.objects.bulk_update(
        changed_members, ["phone", "street_address", "postcode", "city", "binnenbuurt"], BATCH
    )
    sync_many_member_groups(changed_members, BATCH)


def _apply_changes(member, row, binnenbuurt):
    """Fill in what the file says and differs; an empty cell never erases what we have."""
    changes = []
    pairs = [
        ("phone", row.phone, _("telefoon")),
        ("street_address", row.address, _("adres")),
        ("postcode", row.postcode, _("postcode")),
        ("city", row.city, _("woonplaats")),
    ]
    for attribute, value, label in pairs:
        if value and getattr(member, attribute) != value:
            setattr(member, attribute, value)
            changes.append(label)
    if binnenbuurt is not None and member.binnenbuurt_id != binnenbuurt.pk:
        member.binnenbuurt = binnenbuurt
        changes.append(_("binnenbuurt"))
    return changes


def _create(to_create, stadsdorp, result):
    User = get_user_model()
    unusable = make_password(None)
    new_users = []
    for row, _binnenbuurt, user in to_create:
        if user is None:
            user = User(
                username=row.email or f"lid-{uuid.uuid4().hex[:12]}",
                email=row.email,
                first_name=row.first_name,
                last_name=row.last_name,
                password=unusable,
            )
            new_users.append(user)
    User.objects.bulk_create(new_users, BATCH)
    if new_users and new_users[0].pk is None:  # a database that does not return ids
        saved = User.objects.in_bulk([u.username for u in new_users], field_name="username")
        for user in new_users:
            user.pk = saved[user.username].pk
    users = iter(new_users)
    members = []
    now = timezone.now()
    for row, binnenbuurt, user in to_create:
        user = user or next(users)
        joined = (
            timezone.make_aware(datetime.combine(row.member_since, datetime.min.time()))
            if row.member_since
            else now
        )
        members.append(
            Member(
                user=user,
                binnenbuurt=binnenbuurt,
                phone=row.phone,
                street_address=row.address,
                postcode=row.postcode,
                city=row.city,
                joined_at=joined,
            )
        )
    Member.objects.bulk_create(members, BATCH)
    if members and members[0].pk is None:
        saved = {m.user_id: m for m in Member.objects.filter(user__in=[m.user for m in members])}
        for member in members:
            member.pk = saved[member.user.pk].pk
    memberships = Membership.objects.bulk_create(
        [
            Membership(
                member=member,
                stadsdorp=stadsdorp,
                paper_newsletter=not row.email,
                source=Source.IMPORT,
                member_since=row.member_since or timezone.localdate(),
            )
            for member, (row, _b, _u) in zip(members, to_create, strict=True)
        ],
        BATCH,
    )
    if memberships and memberships[0].pk is None:
        saved = dict(Membership.objects.filter(member__in=members).values_list("member_id", "pk"))
        for membership in memberships:
            membership.pk = saved[membership.member.pk]
    sync_many_member_groups(members, BATCH)
    result.new_members = members
    return memberships
