"""Issue 6's remaining load figures, over HTTP against gunicorn with the production settings.

* Kennisbank search, uncached: 5,000 items (the corpus of ``bench_kennisbank_search``), 16 wrk
  clients rotating over a list of real queries and filters (a ``?q=`` request always bypasses the
  page cache). Target: >= 50 requests/s, p95 < 300 ms, no errors.
* Logged-in member home ("Mijn stadsdorp"), 16 clients, each request as the next of the demo
  members and 60 bench members spread over the demo binnenbuurten (sessions made with Django's
  SessionStore, as a login would): what a newsletter does. Target: >= 100 requests/s, p95 < 150 ms,
  no errors. Never served from the anonymous page cache.
* ``BENCH_SOAK=1``: a soak of ``BENCH_SOAK_SECONDS`` (600; the issue asks for 3600) on the search,
  the member home and the public pages (served from the page cache), each paced to
  ``BENCH_SOAK_RATE`` requests/s (10) on ``BENCH_SOAK_CONNECTIONS`` connections (2; ``wrk -R`` is
  not in Debian's wrk, so each connection waits between requests, the Lua ``delay``, and the rate
  reached is below the one asked by the time the requests take: it is reported). It runs in
  one-minute windows: per window the rate, errors and p99 of every path and each gunicorn worker's
  resident memory from /proc. Reports the p99 of the first and last windows and the worst one, the
  memory of the largest worker at the start and the end, and the worker restarts from gunicorn's
  log (``max_requests``): how many, and the most that fell within one 10 s span (all at once
  would be five).

The shared helpers (free port, gunicorn with production settings, static files, wrk) come from
``bench_http``. Run: ``make bench BENCH_ARGS="--only load_extra"`` (``BENCH_SEARCH=0``: member
home only).
"""

import io
import json
import os
import runpy
import shutil
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

from django.core.management import call_command

from tests.bench.bench_http import (
    LUA_REPORT,
    REPO_DIR,
    collect_static,
    ensure_wrk,
    free_port,
    production_env,
    public_urls,
    start_gunicorn,
    static_url,
)

DURATION = os.environ.get("BENCH_HTTP_DURATION", "10s")
CLIENTS = 16
SOAK_SECONDS = int(os.environ.get("BENCH_SOAK_SECONDS", "600"))
SOAK_RATE = float(os.environ.get("BENCH_SOAK_RATE", "10"))
# Per path; each waits SOAK_CONNECTIONS / SOAK_RATE s between its requests.
SOAK_CONNECTIONS = int(os.environ.get("BENCH_SOAK_CONNECTIONS", "2"))
SOAK_WINDOW_SECONDS = 60
RESTART_SPAN_SECONDS = 10

SEARCHES = [
    "q=binnenbuurt",
    "q=koffieochtend",
    "q=vrijwilligers+werven",
    "q=stadsdorp+starten",
    "q=eenzaamheid",
    "q=subsidie+gemeente",
    "q=buurtkamer",
    "q=naoberschap",
    "q=ontmoeting&sort=date",
    "q=binnenbuurt&theme=thema-1",
    "q=flyer&year=2020",
    "q=verslag&type=verslag",
    "q=zorgzame+gemeenschap&audience=professionals",
    "q=kartrekker&page=2",
    "q=boekenclub",
    "q=wandelgroep",
]


def rotating_script(paths, headers=None, cookies=None, delay_ms=0):
    """A wrk Lua script that cycles through ``paths`` (and ``cookies``, one per request, when
    given: each request as another visitor) and prints the JSON summary line; with ``delay_ms``
    each connection waits that long before its next request."""
    quoted = ", ".join(json.dumps(path) for path in paths)
    header_lines = "".join(
        f"wrk.headers[{json.dumps(name)}] = {json.dumps(value)}\n"
        for name, value in (headers or {}).items()
    )
    cookie_list = ", ".join(json.dumps(cookie) for cookie in cookies or [])
    script = (
        header_lines
        + f"local paths = {{{quoted}}}\n"
        + f"local cookies = {{{cookie_list}}}\n"
        + "local counter = 0\n"
        + "request = function()\n"
        + "  counter = counter + 1\n"
        + "  if #cookies > 0 then wrk.headers['Cookie'] = cookies[(counter % #cookies) + 1] end\n"
        + "  return wrk.format(nil, paths[(counter % #paths) + 1])\n"
        + "end\n"
        + (f"delay = function() return {delay_ms:.0f} end\n" if delay_ms else "")
        + LUA_REPORT.read_text()
    )
    handle = tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False)  # noqa: SIM115
    with handle:
        handle.write(script)
    return handle.name


def run_wrk(wrk, base, script, connections, duration, warm=True):
    if warm:
        subprocess.run(
            [wrk, "-t2", f"-c{connections}", "-d2s", "-s", script, base],
            capture_output=True,
            check=False,
        )
    output = subprocess.run(
        [wrk, "-t2", f"-c{connections}", f"-d{duration}", "--timeout", "10s", "-s", script, base],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    summary = json.loads(output.strip().splitlines()[-1])
    summary["rps"] = summary["requests"] / (summary["duration_us"] / 1_000_000)
    summary["errors"] = summary["socket_errors"] + summary["non_2xx"]
    return summary


def report_summary(report, label, summary, rps_target, p95_target):
    report(f"{label}: requests/s", summary["rps"], "req/s", rps_target)
    report(f"{label}: p95", summary["p95_us"] / 1000, "ms", p95_target)
    report(f"{label}: p99", summary["p99_us"] / 1000, "ms")
    report(f"{label}: errors", summary["errors"], "", "== 0")


# Not "localhost": the demo site, the default site, already answers for that host name.
SEARCH_HOST = "zoekbenchmark.localhost"


def build_search_corpus():
    """The 5,000-item corpus of the search benchmark, indexed, as a second Wagtail site answering
    for ``Host: zoekbenchmark.localhost`` (the demo site stays the default site for the member
    home). Returns the search path, or None if the kennisbank search is missing."""
    try:
        from kennisbank.search import indexing
        from tests.bench.bench_kennisbank_search import build_corpus
    except ImportError as error:
        print(f"   kennisbank search not available ({error}): search load skipped")
        return None
    import random

    from wagtail.models import Site

    demo_site = Site.objects.get(is_default_site=True)
    demo_root_id = demo_site.root_page_id
    index = build_corpus(random.Random(20251121))  # points the default site at its own home
    bench_home = index.get_parent()
    demo_site.refresh_from_db()
    demo_site.root_page_id = demo_root_id
    demo_site.save()
    Site.objects.create(
        hostname=SEARCH_HOST, port=80, root_page=bench_home, site_name="Zoekbenchmark"
    )
    pages = (
        indexing.item_model()
        .objects.live()
        .specific()
        .select_related("locale")
        .prefetch_related("themes", "tags")
    )
    indexing.rebuild(pages)
    return f"/nl/{index.slug}/"


BENCH_MEMBERS = 60


def bench_members():
    """The demo members plus ``BENCH_MEMBERS`` more, spread over the demo binnenbuurten: a
    newsletter sends many different members to their home page at once."""
    from django.contrib.auth import get_user_model

    from members_area.models import Binnenbuurt, Member

    binnenbuurten = list(Binnenbuurt.objects.order_by("pk"))
    user_model = get_user_model()
    for number in range(BENCH_MEMBERS):
        email = f"lid{number}@bench.example"
        user, _created = user_model.objects.get_or_create(
            username=email, defaults={"email": email, "first_name": f"Lid {number}"}
        )
        if binnenbuurten:
            Member.objects.update_or_create(
                user=user, defaults={"binnenbuurt": binnenbuurten[number % len(binnenbuurten)]}
            )
    return list(user_model.objects.filter(email__endswith="@leden.example").order_by("pk")) + list(
        user_model.objects.filter(email__endswith="@bench.example").order_by("pk")
    )


def member_sessions():
    """One session cookie per bench member (made with Django's SessionStore, as a login would)."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.test import override_settings

    # Signed and hashed with the key gunicorn runs with, or the server would reject the session.
    server_key = production_env(Path(tempfile.gettempdir()), page_cache=True)["SECRET_KEY"]
    cookies = []
    with override_settings(SECRET_KEY=server_key):
        for user in bench_members():
            session = SessionStore()
            session[SESSION_KEY] = str(user.pk)
            session[BACKEND_SESSION_KEY] = "members_area.backends.EmailBackend"
            session[HASH_SESSION_KEY] = user.get_session_auth_hash()
            session.create()
            cookies.append(f"{settings.SESSION_COOKIE_NAME}={session.session_key}")
    return cookies


def member_home_path():
    from wagtail.models import Page

    page = (
        Page.objects.live()
        .filter(content_type__app_label="members_area", content_type__model="membersareapage")
        .filter(locale__language_code="nl")
        .first()
    )
    if page is None:
        return None
    # With two sites Wagtail gives absolute URLs; the path is what wrk needs.
    return page.get_url_parts()[2]


def worker_rss_kib(master_pid):
    """Resident memory (KiB) of each gunicorn worker: the master's children, from /proc."""
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children")
    sizes = {}
    for pid in children.read_text().split():
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except FileNotFoundError:
            continue  # a worker restarting (max_requests)
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                sizes[int(pid)] = int(line.split()[1])
    return sizes


def check_member_page(base, path, cookie):
    """The cookie must really log the member in: a login redirect would measure nothing."""
    request = urllib.request.Request(base + path, headers={"Cookie": cookie})

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        response = opener.open(request, timeout=10)
    except urllib.error.HTTPError as error:
        raise RuntimeError(f"member home answered {error.code} for the demo member") from error
    body = response.read()
    if response.status != 200 or b"logout" not in body and b"uitloggen" not in body.lower():
        raise RuntimeError("member home did not show a logged-in page")
    if "X-Page-Cache" in response.headers:
        raise RuntimeError("a logged-in page went through the anonymous page cache")


def check_search_page(base, path):
    """The search must answer from the 5,000-item site, with results."""
    request = urllib.request.Request(f"{base}{path}?q=binnenbuurt", headers={"Host": SEARCH_HOST})
    with urllib.request.urlopen(request, timeout=30) as response:
        body = response.read().decode()
    if "item-" not in body:
        raise RuntimeError(
            f"the search page did not list items of the benchmark corpus: {body[:2000]}"
        )


def soak(report, wrk, base, server, paths, log_path):
    """Every path of ``paths`` ({label: (path list, headers, cookies)}) paced to SOAK_RATE for
    SOAK_SECONDS, in windows of SOAK_WINDOW_SECONDS."""
    delay_ms = 1000 * SOAK_CONNECTIONS / SOAK_RATE
    scripts = {
        label: rotating_script(path_list, headers, cookies, delay_ms=delay_ms)
        for label, (path_list, headers, cookies) in paths.items()
    }
    windows = []  # [{label: wrk summary}]
    memory = []  # [{pid: KiB}]
    started = time.monotonic()
    try:
        while time.monotonic() - started < SOAK_SECONDS:
            processes = {
                label: subprocess.Popen(
                    [wrk, "-t1", f"-c{SOAK_CONNECTIONS}", f"-d{SOAK_WINDOW_SECONDS}s"]
                    + ["--timeout", "10s", "-s", script, base],
                    stdout=subprocess.PIPE,
                    text=True,
                )
                for label, script in scripts.items()
            }
            window = {}
            for label, process in processes.items():
                output, _ = process.communicate()
                window[label] = json.loads(output.strip().splitlines()[-1])
            windows.append(window)
            memory.append(worker_rss_kib(server.pid))
            print(
                f"   soak {time.monotonic() - started:5.0f} s: "
                + "; ".join(
                    f"{label} {summary['requests'] / SOAK_WINDOW_SECONDS:.1f} req/s "
                    f"p99 {summary['p99_us'] / 1000:.0f} ms"
                    for label, summary in window.items()
                )
                + " | worker RSS (MiB) "
                + ", ".join(f"{kib / 1024:.0f}" for kib in memory[-1].values()),
                flush=True,
            )
    finally:
        for script in scripts.values():
            Path(script).unlink(missing_ok=True)
    report("soak: minutes", len(windows) * SOAK_WINDOW_SECONDS / 60, "min")
    for label in scripts:
        requests = sum(window[label]["requests"] for window in windows)
        errors = sum(
            window[label]["socket_errors"] + window[label]["non_2xx"] for window in windows
        )
        p99s = [window[label]["p99_us"] / 1000 for window in windows]
        report(f"soak, {label}: requests/s", requests / (len(windows) * SOAK_WINDOW_SECONDS), "")
        report(f"soak, {label}: errors", errors, "", "== 0")
        report(f"soak, {label}: p99 first / last minute", f"{p99s[0]:.0f} / {p99s[-1]:.0f}", "ms")
        report(f"soak, {label}: p99 worst minute", max(p99s), "ms")
    largest_first, largest_last = max(memory[0].values()), max(memory[-1].values())
    report("soak: largest worker RSS, first minute", largest_first / 1024, "MiB")
    report("soak: largest worker RSS, last minute", largest_last / 1024, "MiB")
    growth = (largest_last - largest_first) / 1024
    report("soak: largest worker RSS, growth", growth, "MiB", "< 100")
    boots = restart_times(log_path)
    report("soak: worker restarts (max_requests)", len(boots), "")
    report(
        f"soak: most worker restarts within {RESTART_SPAN_SECONDS} s",
        most_within(boots, RESTART_SPAN_SECONDS),
        "",
        "<= 2",
    )


def restart_times(log_path):
    """When gunicorn booted a worker after its start: "[2026-12-02 06:25:00 +0000] [12] [INFO]
    Booting worker with pid: 34" lines, minus the first boot of each worker."""
    from datetime import datetime

    lines = [line for line in Path(log_path).read_text().splitlines() if "Booting worker" in line]
    workers = runpy.run_path(str(REPO_DIR / "cms" / "gunicorn.conf.py"))["workers"]
    times = [datetime.strptime(line[1:26], "%Y-%m-%d %H:%M:%S %z") for line in lines]
    return [moment.timestamp() for moment in times[workers:]]


def most_within(moments, span):
    return max(
        (sum(1 for other in moments if start <= other < start + span) for start in moments),
        default=0,
    )


def run(report):
    wrk = ensure_wrk()
    if not wrk:
        print("   wrk is not available: skipped")
        return
    # Five agents share this machine's two cores during development: say how busy it was.
    report("machine load average (1 min) before the run", os.getloadavg()[0], "")
    call_command("load_demo", stdout=io.StringIO())
    # BENCH_SEARCH=0 skips the 5,000-item corpus (a quicker run of the member figures only).
    search_path = build_search_corpus() if os.environ.get("BENCH_SEARCH", "1") != "0" else None
    member_path = member_home_path()
    cookies = member_sessions() if member_path else []
    if not cookies:
        print("   no demo member or member area: member home load skipped")

    static_root = Path(tempfile.mkdtemp(prefix="bench-static-"))
    collect_static(static_root)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    scripts = []
    soak_paths = {"public pages, page cache": (list(public_urls().values()), None, None)}
    log_path = static_root / "gunicorn.log"
    server = start_gunicorn(port, static_root, page_cache=True, log_path=log_path)
    try:
        if search_path:
            search_paths = [f"{search_path}?{query}" for query in SEARCHES]
            script = rotating_script(search_paths, {"Host": SEARCH_HOST})
            check_search_page(base, search_path)
            scripts.append(script)
            soak_paths["kennisbank search"] = (search_paths, {"Host": SEARCH_HOST}, None)
            summary = run_wrk(wrk, base, script, CLIENTS, DURATION)
            report_summary(
                report, "kennisbank search, 5,000 items, 16 clients", summary, ">= 50", "< 300"
            )
        if cookies:
            for cookie in cookies[:2] + cookies[-1:]:
                check_member_page(base, member_path, cookie)
            script = rotating_script([member_path], cookies=cookies)
            scripts.append(script)
            soak_paths["member home"] = ([member_path], None, cookies)
            summary = run_wrk(wrk, base, script, CLIENTS, DURATION)
            label = f"member home, {len(cookies)} members logged in, 16 clients"
            report_summary(report, label, summary, ">= 100", "< 150")
        if os.environ.get("BENCH_SOAK") == "1":
            static = rotating_script([static_url(static_root)])
            before = run_wrk(wrk, base, static, CLIENTS, "5s")
            soak(report, wrk, base, server, soak_paths, log_path)
            after = run_wrk(wrk, base, static, CLIENTS, "5s")
            Path(static).unlink(missing_ok=True)
            report(
                "soak: static file, 16 clients, before / after",
                f"{before['rps']:.0f} / {after['rps']:.0f}",
                "req/s",
            )
        else:
            print("   soak skipped (set BENCH_SOAK=1 for the soak)")
    finally:
        server.terminate()
        server.wait(timeout=30)
        for script in scripts:
            Path(script).unlink(missing_ok=True)
        shutil.rmtree(static_root, ignore_errors=True)
