"""Importing 500 text files (``import_kennisbank``) must take under 2 minutes.

Run by ``make bench``, which gives this module a fresh migrated database. The corpus is generated
in a temporary folder: 250 .txt and 250 .md files (half of the Markdown with front matter setting
type, themes and tags), a few paragraphs each, in sub-folders. Documents are written to a
temporary MEDIA_ROOT. Figures: the first import (drafts), a re-import of the unchanged files,
and the number of SQL queries per imported file.
"""

import random
import tempfile
import time
from pathlib import Path

FILES = 500
WORDS = str.split(
    """binnenbuurt stadsdorp vrijwilligers bijeenkomst buurthuis koffieochtend coöperatie
    vereniging café flyer nieuwsbrief werkgroep leesclub lezing ontmoeting buren subsidie
    gemeente jongeren expats communicatie website ruimte vervoer boodschappen nabuurschap"""
)
THEMES = [
    ("ontmoeting", "Ontmoeting"),
    ("cultuur", "Cultuur"),
    ("sociale-cohesie", "Sociale cohesie"),
]


def sentence(rng, words=12):
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def write_corpus(folder: Path, rng):
    for number in range(FILES):
        sub = folder / f"jaar-{2010 + number % 15}"
        sub.mkdir(exist_ok=True)
        paragraphs = "\n\n".join(" ".join(sentence(rng) for _ in range(4)) for _ in range(5))
        if number % 2:
            (sub / f"notulen-{number:04d}.txt").write_text(paragraphs)
        elif number % 4 == 0:
            front = (
                f"---\ntitle: Artikel {number}\ntype: artikel\n"
                f"themes: [ontmoeting, cultuur]\ntags: [buren, flyer]\n---\n"
            )
            (sub / f"artikel-{number:04d}.md").write_text(front + f"# Kop\n\n{paragraphs}")
        else:
            (sub / f"stappenplan-{number:04d}.md").write_text(
                f"# Stappenplan {number}\n\n{paragraphs}"
            )


def setup_site():
    from wagtail.models import Locale, Page, Site

    from home.models import HomePage, Theme
    from kennisbank.models import KennisbankIndexPage

    dutch, _ = Locale.objects.get_or_create(language_code="nl")
    root = Page.get_first_root_node()
    home = root.add_child(instance=HomePage(title="Home", slug="home-bench", locale=dutch))
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "port": 80, "root_page": home, "site_name": "Bench"},
    )
    for slug, name in THEMES:
        Theme.objects.create(slug=slug, name=name, locale=dutch)
    return home.add_child(instance=KennisbankIndexPage(title="Kennisbank", slug="kennisbank"))


def run(report):
    from io import StringIO

    from django.core.management import call_command
    from django.db import connection
    from django.test import override_settings

    from kennisbank.models import KennisbankItemPage

    rng = random.Random(2014)
    setup_site()
    with tempfile.TemporaryDirectory() as corpus, tempfile.TemporaryDirectory() as media:
        write_corpus(Path(corpus), rng)
        with override_settings(MEDIA_ROOT=media):
            args = ["import_kennisbank", corpus, "--no-progress", "--verbosity", "0"]
            queries = 0

            def count(execute, sql, params, many, context):
                nonlocal queries
                queries += 1
                return execute(sql, params, many, context)

            with connection.execute_wrapper(count):
                started = time.perf_counter()
                call_command(*args, stdout=StringIO(), stderr=StringIO())
                first = time.perf_counter() - started
            imported = KennisbankItemPage.objects.count()
            started = time.perf_counter()
            call_command(*args, stdout=StringIO(), stderr=StringIO())
            again = time.perf_counter() - started
    assert imported == FILES, f"only {imported} of {FILES} files were imported"
    report("import 500 text files (drafts)", first, "s", target="< 120")
    report("per file", first / FILES * 1000, "ms")
    report("SQL queries per imported file", queries / FILES, "queries")
    report("re-import 500 unchanged files", again, "s")
