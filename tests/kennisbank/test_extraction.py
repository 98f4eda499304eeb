"""Text extraction from real PDF, DOCX and ODT files, plain text, and broken files."""

import pytest

from django.core.files.base import ContentFile

from wagtail.documents.models import Document

from kennisbank.extraction import extract, extract_document_text
from kennisbank.factories import PublicatiePageFactory

from .samples import BROKEN_DOCX, BROKEN_PDF, make_docx, make_odt, make_pdf


def test_pdf_text_and_title():
    data = make_pdf(
        ["Zestien stadsdorpen noemen communicatie.", "Binnenbuurten werken."], "Onderzoek"
    )
    result = extract(data, "onderzoek.pdf")
    assert "Zestien stadsdorpen noemen communicatie." in result.text
    assert "Binnenbuurten werken." in result.text
    assert result.title == "Onderzoek"
    assert result.errors == []


def test_docx_paragraphs_tables_and_core_title():
    result = extract(make_docx(["Eerste alinea over de coöperatie."], "Verslag"), "v.docx")
    assert "Eerste alinea over de coöperatie." in result.text
    assert "vrijwilligers" in result.text  # table cells are included
    assert result.title == "Verslag"
    assert result.date is not None


def test_odt_headings_paragraphs_and_lists():
    result = extract(make_odt(["Een alinea in ODT."], "Titel ODT"), "stuk.odt")
    assert "Kop van het document" in result.text
    assert "Een alinea in ODT." in result.text
    assert "lijstpunt in een opsomming" in result.text
    assert result.title == "Titel ODT"


def test_plain_text_and_markdown_in_any_common_encoding():
    assert extract("café\n\nbuurt".encode(), "a.txt").text == "café\n\nbuurt"
    assert extract("café".encode("cp1252"), "b.md").text == "café"


@pytest.mark.parametrize(
    ("data", "name"),
    [(BROKEN_PDF, "kapot.pdf"), (BROKEN_DOCX, "kapot.docx"), (b"\x00\x01", "kapot.odt")],
)
def test_broken_files_give_empty_text_and_an_error(data, name):
    result = extract(data, name)
    assert result.text == ""
    assert result.errors


def test_unsupported_type_is_an_error_not_an_exception():
    assert extract(b"x", "plaatje.png").errors


@pytest.mark.django_db
def test_publication_extracts_document_text_on_save_and_survives_broken_files(kennisbank):
    good = Document.objects.create(
        title="Onderzoek", file=ContentFile(make_pdf(["Woorden in het bestand."]), "o.pdf")
    )
    good._set_file_hash()
    good.save()
    page = PublicatiePageFactory(parent=kennisbank, document=good)
    page.refresh_from_db()
    assert "Woorden in het bestand." in page.document_text
    assert "Woorden in het bestand." in " ".join(page.get_search_text())

    broken = Document.objects.create(title="Kapot", file=ContentFile(BROKEN_PDF, "kapot.pdf"))
    page.document = broken
    page.save()  # must not raise
    page.refresh_from_db()
    assert page.document_text == ""
    assert extract_document_text(broken) == ""

    page.document = None
    page.save()
    assert page.document_text == ""
