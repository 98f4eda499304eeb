"""Text extraction from real PDF, DOCX and ODT files, plain text, and broken files."""

import io
import re
import time
import zipfile

import pytest
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from django.contrib.auth.models import AnonymousUser
from django.core.files.base import ContentFile

from wagtail.documents.models import Document

from kennisbank import extraction
from kennisbank.extraction import extract, extract_document_text
from kennisbank.factories import KennisbankIndexPageFactory, PublicatiePageFactory
from kennisbank.search import service as search_service

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


def test_publication_text_is_extracted_by_the_worker_and_survives_broken_files(
    task_worker, home_page
):
    kennisbank = KennisbankIndexPageFactory(parent=home_page)
    good = Document.objects.create(
        title="Onderzoek", file=ContentFile(make_pdf(["Woorden in het bestand."]), "o.pdf")
    )
    good._set_file_hash()
    good.save()
    page = PublicatiePageFactory(parent=kennisbank, document=good)
    page.save_revision().publish()
    page.refresh_from_db()
    # The editor's publish only enqueued the work.
    assert page.document_text == ""
    assert DBTaskResult.objects.filter(
        task_path="kennisbank.tasks.extract_publication_text", status=TaskResultStatus.READY
    ).exists()
    task_worker()
    page.refresh_from_db()
    assert "Woorden in het bestand." in page.document_text
    assert "Woorden in het bestand." in " ".join(page.get_search_text())
    assert search_titles("woorden bestand") == [page.title]
    # Publishing again without a new file enqueues nothing.
    before = DBTaskResult.objects.filter(task_path__startswith="kennisbank.").count()
    page.save_revision().publish()
    assert DBTaskResult.objects.filter(task_path__startswith="kennisbank.").count() == before

    broken = Document.objects.create(title="Kapot", file=ContentFile(BROKEN_PDF, "kapot.pdf"))
    page.document = broken
    page.save_revision().publish()
    task_worker()
    page.refresh_from_db()
    assert page.document_text == ""
    assert extract_document_text(broken) == ""
    assert DBTaskResult.objects.filter(status=TaskResultStatus.FAILED).count() == 0

    page.document = None
    page.save_revision().publish()
    task_worker()
    page.refresh_from_db()
    assert page.document_text == ""


def search_titles(text):
    results = search_service.search(
        search_service.SearchQuery(text=text, filters={}, language="nl", user=AnonymousUser())
    )
    return [re.sub(r"</?mark>", "", hit.title) for hit in results.hits]


def test_only_the_first_pages_of_a_very_long_pdf_are_read(monkeypatch):
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    for number in range(1, 306):
        pdf.drawString(50, 800, f"pagina{number}")
        pdf.showPage()
    pdf.save()
    result = extract(buffer.getvalue(), "lang.pdf")
    assert "pagina300" in result.text
    assert "pagina301" not in result.text
    assert any("300 pages" in error for error in result.errors)


def test_a_zip_bomb_is_refused_before_it_is_unpacked():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"\0" * (300 * 1024 * 1024))
    assert len(buffer.getvalue()) < 1024 * 1024  # under a megabyte on disk
    started = time.monotonic()
    result = extract(buffer.getvalue(), "bom.docx")
    assert result.text == ""
    assert any("unpacks to more than the limit" in error for error in result.errors)
    assert time.monotonic() - started < 10


def test_a_parser_that_takes_too_long_is_stopped(monkeypatch):
    monkeypatch.setattr(extraction, "TIME_BUDGET_SECONDS", 0.05)
    started = time.monotonic()
    result = extract(make_pdf(["Woorden"]), "traag.pdf")
    assert result.text == ""
    assert any("took longer" in error for error in result.errors)
    assert time.monotonic() - started < 5


def test_files_over_the_size_limit_are_not_parsed(monkeypatch):
    monkeypatch.setattr(extraction, "MAX_INPUT_BYTES", 100)
    result = extract(make_pdf(["Woorden"]), "groot.pdf")
    assert result.text == ""
    assert any("larger than" in error for error in result.errors)


def test_parsing_runs_in_another_process(monkeypatch):
    calls = []
    original = extraction.subprocess.run

    def recording(*args, **kwargs):
        calls.append(args[0])
        return original(*args, **kwargs)

    monkeypatch.setattr(extraction.subprocess, "run", recording)
    assert "Woorden" in extract(make_pdf(["Woorden"]), "a.pdf").text
    assert calls and calls[0][1:3] == ["-m", "kennisbank.extraction"]
