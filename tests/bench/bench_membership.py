"""Issue 17's figures: importing a 5,000-row member list, importing it again, the coordinators'
member list at 5,000 members, the printable (paper) edition of the demo's newsletter issue.

The import is the real one (``importer.import_members``) on a generated CSV in the shape of a
volunteer's spreadsheet (Dutch headers, semicolons, a title row); the re-import must report 0
changes. The member list is fetched through Django's test client as the stadsdorp's coordinator;
its query count at 20 members and at 5,000 must be equal, and its times stand beside the
static-file rate of the production server measured just before and after them
(``bench_http.static_reference``). The paper edition is what its view does
(compose the issue for members, build the PDF) on the demo site (``load_demo``): the sent issue of
November.
"""

import io
import statistics
import time

from tests.bench.bench_http import static_reference

ROWS = 5_000
RUNS = 20


def make_csv(rows):
    lines = [
        "Ledenlijst Stadsdorp Bench;;;;;;;",
        "naam;adres;postcode;telefoon;e-mail;binnenbuurt;lid sinds;betaald",
    ]
    for number in range(rows):
        lines.append(
            f"Lid{number} Achternaam{number};Straat {number};{1000 + number % 9000}AB;"
            f"020 {number:07d};lid{number}@bench.example;Binnenbuurt {number % 20:02d};"
            f"{1 + number % 28:02d}-03-2019;{'ja' if number % 3 else 'nee'}"
        )
    return ("\n".join(lines) + "\n").encode()


def setup():
    from django.contrib.auth import get_user_model

    from members_area.membership.models import MembershipSettings
    from members_area.models import Binnenbuurt
    from members_area.services import setup_binnenbuurt
    from tests.bench.bench_members import setup_site

    stadsdorp, _members_area = setup_site()
    for number in range(20):
        setup_binnenbuurt(
            Binnenbuurt.objects.create(name=f"Binnenbuurt {number:02d}", stadsdorp=stadsdorp)
        )
    coordinator = get_user_model().objects.create_user(
        username="coordinator@bench.example", email="coordinator@bench.example"
    )
    MembershipSettings.objects.create(stadsdorp=stadsdorp).coordinators.add(coordinator)
    return stadsdorp, coordinator


def list_figures(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    url = reverse("membership:members")
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    # Count now: every request start clears the connection's query log (reset_queries).
    query_count = len(queries)
    timings, cpu = [], []
    for _run in range(RUNS):
        started, started_cpu = time.perf_counter(), time.process_time()
        client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    return query_count, statistics.median(timings), statistics.median(cpu)


def edition_figures():
    """(seconds, CPU seconds, pages) for the paper edition of the demo's November issue."""
    from pypdf import PdfReader

    from django.core.management import call_command

    from members_area.membership import paper
    from members_area.subscriptions.composition import paper_sections
    from members_area.subscriptions.emails import organisation_name
    from members_area.subscriptions.models import NewsletterPage

    call_command("load_demo", stdout=io.StringIO())
    issue = NewsletterPage.objects.get(slug="november-2026", locale__language_code="nl")
    paper.newsletter_edition_pdf(issue, paper_sections(issue), organisation_name())  # warm up
    timings, cpu = [], []
    for _run in range(5):
        started, started_cpu = time.perf_counter(), time.process_time()
        pdf = paper.newsletter_edition_pdf(issue, paper_sections(issue), organisation_name())
        timings.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    return statistics.median(timings), statistics.median(cpu), pages


def run(report):
    from django.db import connection
    from django.test import Client

    from members_area.membership.importer import import_members

    edition_seconds, edition_cpu, edition_pages = edition_figures()
    stadsdorp, coordinator = setup()
    vendor = connection.vendor
    client = Client()
    client.force_login(coordinator)

    small = make_csv(20)
    import_members(small, "klein.csv", stadsdorp)
    with static_reference(report, "member list"):
        small_queries, small_ms, small_cpu = list_figures(client)
        data = make_csv(ROWS)
        started = time.perf_counter()
        first = import_members(data, "leden.csv", stadsdorp)
        first_seconds = time.perf_counter() - started
        assert first.ok and first.count("new") == ROWS - 20, first.summary
        started = time.perf_counter()
        again = import_members(data, "leden.csv", stadsdorp)
        again_seconds = time.perf_counter() - started
        changes = again.count("new") + again.count("updated")
        large_queries, large_ms, large_cpu = list_figures(client)
    report(f"Import 5,000 rows ({vendor})", first_seconds, "s", target="< 60")
    report(f"Re-import of the same file ({vendor})", again_seconds, "s", target="< 20")
    report("Re-import: rows changed", changes, "rows", target="== 0")
    report("Member list: SQL queries at 20 members", small_queries, "queries")
    report(
        "Member list: SQL queries at 5,000 members",
        large_queries,
        "queries",
        target=f"== {small_queries}",
    )
    report(f"Member list at 5,000: median ({vendor})", large_ms, "ms", target="< 200")
    report("Member list at 5,000: CPU per request", large_cpu, "ms")
    report(f"Member list at 20: median ({vendor})", small_ms, "ms")
    report("Member list at 20: CPU per request", small_cpu, "ms")
    report(f"Paper edition of the demo issue ({vendor})", edition_seconds, "s", target="< 5")
    report("Paper edition: CPU", edition_cpu, "s")
    report("Paper edition: pages", edition_pages, "pages")
