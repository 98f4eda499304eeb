"""The import_kennisbank command on generated txt, md, pdf and docx files, one of them broken."""

import datetime
import json
from io import StringIO

import pytest

from django.core.management import CommandError, call_command

from wagtail.documents.models import Document

from kennisbank.models import KennisbankItemPage, PublicatiePage, VerslagPage

from .samples import BROKEN_PDF, make_docx, make_pdf

pytestmark = pytest.mark.django_db

FRONT_MATTER_MD = """---
title: Buurtavond over binnenbuurten
type: verslag
themes: [ontmoeting, sociale-cohesie]
tags:
  - buurtavond
  - koffie
date: 2019-03-04
audience: coordinatoren
summary: Wat we leerden op de buurtavond.
---
# Een kop die geen titel wordt

Eerste alinea over **binnenbuurten**.

## Conclusies

We gaan door met de [koffieochtend](https://example.org).
"""


@pytest.fixture
def corpus(tmp_path):
    folder = tmp_path / "archief"
    (folder / "verslagen").mkdir(parents=True)
    (folder / "buurtavond.md").write_text(FRONT_MATTER_MD)
    (folder / "verslagen" / "notulen-2014-06-12.txt").write_text(
        "Verslag van de netwerkbijeenkomst.\n\nWe spraken over binnenbuurten."
    )
    (folder / "flyer-tips.txt").write_text("Grote letters.\n\nWeinig tekst.")
    (folder / "flyer-tips.txt.meta.json").write_text(
        json.dumps({"type": "stappenplan", "tags": ["flyer"], "date": "2020-01-31"})
    )
    (folder / "onderzoek.pdf").write_bytes(
        make_pdf(["Zestien stadsdorpen noemen communicatie."], title="Stadsdorpen in beeld")
    )
    (folder / "werkwijze.docx").write_bytes(make_docx(["Zo werken wij."], title="Onze werkwijze"))
    (folder / "kapot.pdf").write_bytes(BROKEN_PDF)
    (folder / "plaatje.png").write_bytes(b"\x89PNG")
    return folder


def run(*args):
    out, err = StringIO(), StringIO()
    call_command("import_kennisbank", *map(str, args), "--no-progress", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_import_creates_drafts_with_derived_metadata(corpus, kennisbank, themes):
    out, err = run(corpus)
    assert "Klaar: 5 aangemaakt, 1 overgeslagen, 1 mislukt." in out
    assert "mislukt: kapot.pdf" in err and "niet leesbaar" in err
    assert "overgeslagen: plaatje.png — bestandstype .png wordt niet ondersteund" in out
    pages = {page.import_source: page.specific for page in KennisbankItemPage.objects.all()}
    assert set(pages) == {
        "buurtavond.md",
        "verslagen/notulen-2014-06-12.txt",
        "flyer-tips.txt",
        "onderzoek.pdf",
        "werkwijze.docx",
    }
    assert not any(page.live for page in pages.values())  # drafts by default

    report = pages["buurtavond.md"]
    assert isinstance(report, VerslagPage)
    assert report.title == "Buurtavond over binnenbuurten"
    assert report.publication_date == datetime.date(2019, 3, 4)
    assert report.audience == "coordinatoren"
    assert report.summary_text == "Wat we leerden op de buurtavond."
    assert {theme.slug for theme in report.themes.all()} == {"ontmoeting", "sociale-cohesie"}
    assert {tag.name for tag in report.tags.all()} == {"buurtavond", "koffie"}
    text = " ".join(report.get_search_text())
    assert "Eerste alinea over binnenbuurten." in text and "koffieochtend" in text
    assert [block.value["heading"] for block in report.body][-1] == "Conclusies"

    minutes = pages["verslagen/notulen-2014-06-12.txt"]
    assert minutes.kind == "verslag"  # guessed from "notulen"
    assert minutes.publication_date == datetime.date(2014, 6, 12)  # date in the file name
    assert minutes.title == "Notulen"

    guide = pages["flyer-tips.txt"]
    assert guide.kind == "stappenplan"  # side-car wins over the guess
    assert guide.publication_date == datetime.date(2020, 1, 31)
    assert "Grote letters." in guide.introduction

    publication = pages["onderzoek.pdf"]
    assert isinstance(publication, PublicatiePage)
    assert publication.title == "Stadsdorpen in beeld"  # PDF metadata title
    assert "Zestien stadsdorpen" in publication.document_text
    assert publication.document.collection.name == "Kennisbank"
    assert pages["werkwijze.docx"].title == "Onze werkwijze"
    assert Document.objects.count() == 5


def test_reimport_is_idempotent_and_updates_changed_files(corpus, kennisbank, themes):
    run(corpus)
    out, _err = run(corpus)
    assert "Klaar: 5 ongewijzigd, 1 overgeslagen, 1 mislukt." in out
    (corpus / "flyer-tips.txt").write_text("Grote letters.\n\nNieuwe alinea.")
    out, _err = run(corpus)
    assert "bijgewerkt: flyer-tips.txt" in out
    assert KennisbankItemPage.objects.count() == 5
    assert Document.objects.count() == 5
    guide = KennisbankItemPage.objects.get(import_source="flyer-tips.txt").specific
    latest = guide.get_latest_revision_as_object()
    assert "Nieuwe alinea." in latest.introduction
    out, _err = run(corpus)
    assert "Klaar: 5 ongewijzigd, 1 overgeslagen, 1 mislukt." in out


def test_dry_run_writes_nothing(corpus, kennisbank):
    out, _err = run(corpus, "--dry-run")
    assert "(proefdraai) aangemaakt: buurtavond.md" in out
    assert KennisbankItemPage.objects.count() == 0
    assert Document.objects.count() == 0


def test_publish_option_publishes_and_options_apply(corpus, kennisbank, themes):
    run(corpus / "verslagen", "--publish", "--theme", "cultuur", "--tag", "archief")
    page = KennisbankItemPage.objects.get()
    assert page.live
    assert [theme.slug for theme in page.themes.all()] == ["cultuur"]
    assert [tag.name for tag in page.tags.all()] == ["archief"]


def test_type_option_and_unknown_theme_note(corpus, kennisbank, themes):
    out, _err = run(
        corpus / "flyer-tips.txt.meta.json",
        corpus / "werkwijze.docx",
        "--type",
        "artikel",
        "--theme",
        "bestaat-niet",
    )
    assert "onbekend thema 'bestaat-niet' genegeerd" in out
    assert KennisbankItemPage.objects.get().kind == "artikel"


def test_exit_code_non_zero_only_when_every_file_fails(corpus, kennisbank):
    with pytest.raises(CommandError, match="Geen enkel bestand"):
        run(corpus / "kapot.pdf")
    with pytest.raises(CommandError, match="Geen bestanden"):
        run(corpus / "bestaat-niet")


def test_without_a_kennisbank_the_command_explains(corpus, home_page):
    with pytest.raises(CommandError, match="nog geen kennisbankpagina"):
        run(corpus)
