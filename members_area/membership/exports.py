"""The coordinators' exports (CSV and XLSX) and the printable list of a binnenbuurt (PDF).

Every text cell goes through ``cms.spreadsheets.neutralise_formula`` — in the XLSX too: openpyxl
stores a string that starts with "=" as a formula. The printable list holds only what members agreed
to share with their binnenbuurt: name and phone with ``Member.listed_consent``, the address with
``Membership.share_address``; the others are only counted.
"""

import csv
import io

from openpyxl import Workbook
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from cms.spreadsheets import neutralise_formula

from . import contributions


def _yes_no(value):
    return _("ja") if value else _("nee")


def header():
    return [
        _("Voornaam"),
        _("Achternaam"),
        _("E-mailadres"),
        _("Telefoonnummer"),
        _("Straat en huisnummer"),
        _("Postcode"),
        _("Woonplaats"),
        _("Binnenbuurt"),
        _("Status"),
        _("Lid sinds"),
        _("Einddatum"),
        _("Reden van opzeggen"),
        _("Nieuwsbrief op papier"),
        _("Bel mij liever"),
        _("Naam en telefoon op de lijst"),
        _("Adres op de lijst"),
        pgettext("membership application", "Aangemeld"),
    ]


def row(member):
    user = member.user
    membership = getattr(member, "membership", None)
    cells = [
        user.first_name,
        user.last_name,
        user.email,
        member.phone,
        member.street_address,
        member.postcode_display,
        member.city,
        member.binnenbuurt.name if member.binnenbuurt_id else "",
        membership.get_status_display() if membership else _("lid"),
        (
            membership.member_since.strftime("%d-%m-%Y")
            if membership
            else timezone.localtime(member.joined_at).strftime("%d-%m-%Y")
        ),
        membership.ended_on.strftime("%d-%m-%Y") if membership and membership.ended_on else "",
        membership.end_reason if membership else "",
        _yes_no(membership.paper_newsletter if membership else not user.email),
        _yes_no(membership and membership.prefers_phone),
        _yes_no(member.listed_consent),
        _yes_no(membership and membership.share_address),
        membership.get_source_display() if membership else "",
    ]
    return [neutralise_formula(str(cell)) for cell in cells]


def csv_response(members, filename, header=header, row=row):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    response["Cache-Control"] = "private, no-store"
    response.write("\ufeff")  # so that Excel opens it as UTF-8
    writer = csv.writer(response, delimiter=";")
    writer.writerow(header())
    for member in members.iterator(chunk_size=1000):
        writer.writerow(row(member))
    return response


def xlsx_response(members, filename, header=header, row=row, sheet_name=None):
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_name or _("Leden"))
    sheet.append(header())
    for member in members.iterator(chunk_size=1000):
        sheet.append(row(member))
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    response["Cache-Control"] = "private, no-store"
    return response


CONTACT_COLUMNS = 2  # e-mail and phone, the third and fourth column


def contribution_header(contact_details=True):
    header = [
        _("Voornaam"),
        _("Achternaam"),
        _("E-mailadres"),
        _("Telefoonnummer"),
        _("Binnenbuurt"),
        _("Jaar"),
        _("Betaald?"),
        _("Bedrag"),
        _("Betaald op"),
        _("Hoe"),
        _("Herinnering gestuurd"),
    ]
    return header if contact_details else header[:2] + header[2 + CONTACT_COLUMNS :]


def contribution_row(year, contact_details=True):
    """A row of the treasurer's export, for members from ``contributions.overview``; without
    e-mail and phone for a treasurer (``permissions.may_see_contact_details``)."""

    def cells(member):
        values = [
            member.user.first_name,
            member.user.last_name,
            member.user.email,
            member.phone,
            member.binnenbuurt.name if member.binnenbuurt_id else "",
            year,
            contributions.status_label(member.c_status),
            f"{member.c_amount:.2f}".replace(".", ",") if member.c_amount is not None else "",
            member.c_paid_on.strftime("%d-%m-%Y") if member.c_paid_on else "",
            contributions.method_label(member.c_method),
            (
                timezone.localtime(member.c_reminded_at).strftime("%d-%m-%Y")
                if member.c_reminded_at
                else ""
            ),
        ]
        if not contact_details:
            values = values[:2] + values[2 + CONTACT_COLUMNS :]
        return [neutralise_formula(str(value)) for value in values]

    return cells


def contribution_response(members, year, filename, file_format, contact_details=True):
    def header():
        return contribution_header(contact_details)

    row = contribution_row(year, contact_details)
    if file_format == "xlsx":
        return xlsx_response(members, filename, header, row, _("Contributie"))
    return csv_response(members, filename, header, row)


# Large type: contact persons are often over 70 and read this list on paper.
TITLE_STYLE = ParagraphStyle("title", fontName="Helvetica-Bold", fontSize=20, leading=26)
TEXT_STYLE = ParagraphStyle("text", fontName="Helvetica", fontSize=14, leading=19)
CELL_STYLE = ParagraphStyle("cell", fontName="Helvetica", fontSize=14, leading=18)
HEAD_STYLE = ParagraphStyle("head", fontName="Helvetica-Bold", fontSize=14, leading=18)


def _escape(text):
    return (text or "").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def binnenbuurt_list_pdf(binnenbuurt, members):
    """The phone and address list of one binnenbuurt, consented fields only."""
    listed = [member for member in members if member.listed_consent]
    hidden = len(members) - len(listed)
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        title=_("Ledenlijst %(name)s") % {"name": binnenbuurt.name},
        lang="nl",
    )
    story = [
        Paragraph(_escape(_("Ledenlijst %(name)s") % {"name": binnenbuurt.name}), TITLE_STYLE),
        Spacer(1, 4 * mm),
        Paragraph(
            _escape(
                _(
                    "Alleen voor de leden van de binnenbuurt. Hierop staat alleen wat leden "
                    "wilden delen. Gemaakt op %(date)s."
                )
                % {"date": timezone.localdate().strftime("%d-%m-%Y")}
            ),
            TEXT_STYLE,
        ),
        Spacer(1, 6 * mm),
    ]
    rows = [
        [
            Paragraph(_escape(_("Naam")), HEAD_STYLE),
            Paragraph(_escape(_("Telefoon")), HEAD_STYLE),
            Paragraph(_escape(_("Adres")), HEAD_STYLE),
        ]
    ]
    for member in listed:
        membership = getattr(member, "membership", None)
        share_address = bool(membership and membership.share_address)
        phone = member.phone
        if membership and membership.prefers_phone:
            phone = f"{phone} ({_('belt liever')})" if phone else ""
        rows.append(
            [
                Paragraph(_escape(member.display_name), CELL_STYLE),
                Paragraph(_escape(phone), CELL_STYLE),
                Paragraph(_escape(member.address_line if share_address else ""), CELL_STYLE),
            ]
        )
    table = Table(rows, colWidths=[62 * mm, 45 * mm, 67 * mm], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.5, colors.black),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
            ]
        )
    )
    story.append(table)
    if hidden:
        story += [
            Spacer(1, 6 * mm),
            Paragraph(
                _escape(
                    _(
                        "%(count)s leden staan niet op deze lijst: zij gaven geen toestemming. "
                        "De coördinator van het stadsdorp weet hoe u hen bereikt."
                    )
                    % {"count": hidden}
                ),
                TEXT_STYLE,
            ),
        ]
    document.build(story)
    return buffer.getvalue()
