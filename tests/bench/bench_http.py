"""Requests per second of the public pages and the member home, served as the README says.

The server is started exactly as "Production" documents it: ``gunicorn -c cms/gunicorn.conf.py
cms.wsgi:application`` with ``cms.settings.production`` and Redis (``BENCH_REDIS_URL``, default
``redis://127.0.0.1:6379/15``; the benchmark empties that database first, so give it a Redis or
database of its own). The only settings given are the ones production must be given (secret key,
hosts, public address, Redis, the static root of this run) plus ``SECURE_SSL_REDIRECT=false``,
because no TLS proxy sits in front here; every request still carries the proxy's
``X-Forwarded-Proto: https``.

Absolute numbers vary with the machine and with what else runs on it, so every figure stands
beside the static-file rate (WhiteNoise serving a CSS file, the limit of this stack) measured in the
same run: each pass measures the static file, then every page, and the figure is the median of
``BENCH_PASSES`` (3) interleaved passes. ``wrk`` with 16 connections on loopback,
``BENCH_HTTP_DURATION`` (10 s) per path and pass. Each run also reports the workers' CPU time per
request (from /proc): on a machine shared with other work, that is what a request costs, where
the rate only says how much CPU the server was given.

Pages: home, content page, kennisbank index, article, stappenplan, agenda, event page (a public
one without sign-up: pages with a sign-up form are never cached), each with the anonymous page
cache on and off; "Mijn stadsdorp" with each request as the next of 65 logged-in members (their
session and CSRF cookies, as a browser holds them after logging in). The
gunicorn log's "Booting worker" lines give the worker restarts during the run.
"""

import contextlib
import io
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from django.conf import settings
from django.core.management import call_command

REPO_DIR = Path(__file__).resolve().parents[2]
LUA_REPORT = Path(__file__).with_name("wrk_report.lua")
DURATION = os.environ.get("BENCH_HTTP_DURATION", "10s")
PASSES = int(os.environ.get("BENCH_PASSES", "3"))
CLIENTS = 16
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/15")
SECRET_KEY = "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz"
# What the TLS-terminating proxy in front adds to every request (SECURE_PROXY_SSL_HEADER).
PROXY_HEADERS = {"X-Forwarded-Proto": "https"}
STATIC_PATH = "css/print.css"
WARM_REQUESTS = 50  # per path before measuring: about ten per worker
# The static-file reference beside the in-process figures of other benchmarks (static_reference).
STATIC_DURATION = os.environ.get("BENCH_STATIC_DURATION", "5s")


def free_port():
    """``BENCH_PORT`` when given (a machine shared by several people hands each a range), else
    any free port."""
    if os.environ.get("BENCH_PORT"):
        return int(os.environ["BENCH_PORT"])
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def redis_available(url=REDIS_URL):
    parts = urllib.parse.urlsplit(url)
    try:
        with socket.create_connection((parts.hostname, parts.port or 6379), timeout=0.5) as conn:
            conn.sendall(b"PING\r\n")
            return conn.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def ensure_wrk():
    if shutil.which("wrk"):
        return "wrk"
    subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=False)
    return shutil.which("wrk")


def public_urls():
    """The pages the performance issue names, from the demo content."""
    from wagtail.models import Page

    from events.models import EventPage

    urls = {"home": "/nl/"}
    candidates = {
        "content page": "home.ContentPage",
        "kennisbank index": "kennisbank.KennisbankIndexPage",
        "article": "kennisbank.ArtikelPage",
        "stappenplan": "kennisbank.StappenplanPage",
        "agenda": "events.EventIndexPage",
    }
    for label, model_label in candidates.items():
        app_label, model_name = model_label.split(".")
        page = (
            Page.objects.live()
            .public()
            .filter(
                content_type__app_label=app_label,
                content_type__model=model_name.lower(),
                locale__language_code="nl",
            )
            .first()
        )
        if page:
            urls[label] = page.url
    event = (
        EventPage.objects.live()
        .public()
        .filter(signup_enabled=False, locale__language_code="nl")
        .order_by("start")
        .first()
    )
    if event:
        urls["event page"] = event.url
    return urls


def production_env(static_root, page_cache):
    env = dict(os.environ)
    for name in ("DB_CONN_MAX_AGE", "GUNICORN_MAX_REQUESTS", "WEB_CONCURRENCY", "REDIS_URL"):
        env.pop(name, None)  # the documented defaults, not whatever this shell has
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "cms.settings.production",
            "SECRET_KEY": SECRET_KEY,
            "SECURE_SSL_REDIRECT": "false",
            "ALLOWED_HOSTS": "127.0.0.1,localhost,.localhost",
            "WAGTAILADMIN_BASE_URL": "https://localhost",
            "STATIC_ROOT": str(static_root),
            "PAGE_CACHE_ENABLED": "true" if page_cache else "false",
        }
    )
    if redis_available():
        env["REDIS_URL"] = REDIS_URL
    return env


def collect_static(static_root):
    # With the production storage, so that the hashed names and manifest exist as in production.
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity=0"],
        cwd=REPO_DIR,
        env=production_env(static_root, page_cache=False),
        check=True,
    )


def static_url(static_root):
    """The hashed name production serves (CompressedManifestStaticFilesStorage)."""
    manifest = json.loads((Path(static_root) / "staticfiles.json").read_text())
    return settings.STATIC_URL + manifest["paths"].get(STATIC_PATH, STATIC_PATH)


def start_gunicorn(port, static_root, page_cache, log_path=None):
    """gunicorn as the README's "Production" runs it; its error log goes to ``log_path``."""
    from django.db import connection

    connection.close()  # the workers open their own connections
    env = production_env(static_root, page_cache)
    env["GUNICORN_BIND"] = f"127.0.0.1:{port}"
    if "REDIS_URL" in env:
        # Each benchmark has a database of its own: cached pages, fragments and Wagtail's site
        # root paths of an earlier run must not answer for it.
        import redis

        redis.Redis.from_url(env["REDIS_URL"]).flushdb()
    command = [
        str(Path(sys.executable).with_name("gunicorn")),
        "-c",
        "cms/gunicorn.conf.py",
        "cms.wsgi:application",
    ]
    log = open(log_path or os.devnull, "w")  # noqa: SIM115 (closed with the process)
    # The access log (stdout) is written as in production and thrown away.
    process = subprocess.Popen(
        command, cwd=REPO_DIR, env=env, stdout=subprocess.DEVNULL, stderr=log
    )
    process.log_file = log
    # Loading the application in the master and the workers' first request take over a minute
    # when the machine is shared with other test suites.
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/robots.txt", timeout=2)
            return process
        except OSError:
            time.sleep(0.5)
    stop_gunicorn(process)
    raise RuntimeError("gunicorn did not start")


def stop_gunicorn(process):
    process.terminate()
    # graceful_timeout is 30 s; the master needs a moment more.
    process.wait(timeout=90)
    process.log_file.close()


def worker_boots(log_path):
    return Path(log_path).read_text().count("Booting worker")


def workers_cpu_seconds(master_pid):
    """CPU time (user + system) the gunicorn workers have used so far, from /proc."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()
    for pid in children:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue  # a worker that just exited
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


def wrk_script(paths, cookies=None, headers=None):
    """A wrk Lua script that cycles through ``paths`` (and ``cookies``, one per request, when
    given: each request as another visitor) and prints the JSON summary line."""
    headers = {**PROXY_HEADERS, **(headers or {})}
    header_lines = "".join(
        f"wrk.headers[{json.dumps(name)}] = {json.dumps(value)}\n"
        for name, value in headers.items()
    )
    quoted = ", ".join(json.dumps(path) for path in paths)
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
        + LUA_REPORT.read_text()
    )
    handle = tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False)  # noqa: SIM115
    with handle:
        handle.write(script)
    return handle.name


def run_wrk(wrk, base, script, connections=CLIENTS, duration=DURATION):
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


def load(wrk, url, connections):
    """One path, warmed for 2 s, then measured (kept for the other benchmarks)."""
    parts = urllib.parse.urlsplit(url)
    script = wrk_script([parts.path + (f"?{parts.query}" if parts.query else "")])
    base = f"{parts.scheme}://{parts.netloc}"
    try:
        run_wrk(wrk, base, script, connections, "2s")
        return run_wrk(wrk, base, script, connections)
    finally:
        Path(script).unlink(missing_ok=True)


def interleaved(wrk, base, scripts, server):
    """``scripts`` (label -> script) measured ``PASSES`` times in turn; label -> median figures.

    Besides wrk's rate, each run's CPU time of the workers per request: on a machine that others
    share, the rate says how much of the CPU this server got, the CPU time what a request costs.
    """
    for script in scripts.values():
        # Warm every worker's caches (templates, translations, memos): on a busy machine a first
        # request takes seconds, so keep warming until each worker has served a few.
        served = 0
        for _attempt in range(10):
            served += run_wrk(wrk, base, script, duration="2s")["requests"]
            if served >= WARM_REQUESTS:
                break
    passes = {label: [] for label in scripts}
    for number in range(PASSES):
        for label, script in scripts.items():
            cpu_before = workers_cpu_seconds(server.pid)
            summary = run_wrk(wrk, base, script)
            cpu = workers_cpu_seconds(server.pid) - cpu_before
            summary["cpu_ms"] = cpu * 1000 / max(summary["requests"], 1)
            passes[label].append(summary)
            print(
                f"   pass {number + 1} {label}: {summary['rps']:.0f} req/s, "
                f"p95 {summary['p95_us'] / 1000:.1f} ms, p99 {summary['p99_us'] / 1000:.1f} ms, "
                f"{summary['errors']} errors, {summary['cpu_ms']:.2f} ms CPU per request",
                flush=True,
            )
    return {
        label: {
            "cpu_ms": statistics.median(s["cpu_ms"] for s in runs),
            "rps": statistics.median(s["rps"] for s in runs),
            "p95": statistics.median(s["p95_us"] for s in runs) / 1000,
            "p99": statistics.median(s["p99_us"] for s in runs) / 1000,
            "errors": sum(s["errors"] for s in runs),
            "rps_range": (min(s["rps"] for s in runs), max(s["rps"] for s in runs)),
        }
        for label, runs in passes.items()
    }


@contextlib.contextmanager
def static_reference(report, label):
    """The static-file rate of the production server, measured before and after the block.

    For the in-process figures of the other benchmarks: on a shared machine their milliseconds
    move with its load, and this rate (the limit of this stack, as in ``run``) says how much of
    the machine the run got. The server idles while the block runs.
    """
    wrk = ensure_wrk()
    if not wrk:
        print("   wrk is not available: no static-file rate")
        yield
        return
    static_root = Path(tempfile.mkdtemp(prefix="bench-static-"))
    collect_static(static_root)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_gunicorn(port, static_root, page_cache=False)
    script = wrk_script([static_url(static_root)])

    def measure(when):
        summary = run_wrk(wrk, base, script, duration=STATIC_DURATION)
        report(f"{label}: static file (WhiteNoise), 16 clients, {when}", summary["rps"], "req/s")

    try:
        run_wrk(wrk, base, script, duration="2s")
        report(f"{label}: machine load average (1 min)", os.getloadavg()[0], "")
        measure("before")
        yield
        measure("after")
    finally:
        stop_gunicorn(server)
        Path(script).unlink(missing_ok=True)
        shutil.rmtree(static_root, ignore_errors=True)


# --- logged-in members -------------------------------------------------------------------------

BENCH_MEMBERS = 60


def bench_members():
    """The demo members plus ``BENCH_MEMBERS`` more, spread over the demo binnenbuurten: a
    newsletter sends many different members to their home page at once."""
    from django.contrib.auth import get_user_model

    from members_area.models import Binnenbuurt, Member
    from members_area.services import sync_many_member_groups

    binnenbuurten = list(Binnenbuurt.objects.order_by("pk"))
    user_model = get_user_model()
    members = []
    for number in range(BENCH_MEMBERS):
        email = f"lid{number}@bench.example"
        user, _created = user_model.objects.get_or_create(
            username=email, defaults={"email": email, "first_name": f"Lid {number}"}
        )
        if binnenbuurten:
            member, _created = Member.objects.update_or_create(
                user=user, defaults={"binnenbuurt": binnenbuurten[number % len(binnenbuurten)]}
            )
            members.append(member)
    # In "Leden" and their binnenbuurt's group, as an import enrols them: without the groups the
    # bench would measure a member home with no binnenbuurt section.
    sync_many_member_groups(members)
    return list(user_model.objects.filter(email__endswith="@leden.example").order_by("pk")) + list(
        user_model.objects.filter(email__endswith="@bench.example").order_by("pk")
    )


def member_sessions(users=None):
    """The cookies of each member's browser: the session (made with Django's SessionStore, as a
    login would) and the CSRF cookie that the login form set."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH
    from django.test import override_settings
    from django.utils.crypto import get_random_string

    cookies = []
    # Signed and hashed with the key gunicorn runs with, or the server would reject the session.
    with override_settings(SECRET_KEY=SECRET_KEY):
        for user in users if users is not None else bench_members():
            session = SessionStore()
            session[SESSION_KEY] = str(user.pk)
            session[BACKEND_SESSION_KEY] = "members_area.backends.EmailBackend"
            session[HASH_SESSION_KEY] = user.get_session_auth_hash()
            session.create()
            csrf_secret = get_random_string(CSRF_SECRET_LENGTH, allowed_chars=CSRF_ALLOWED_CHARS)
            cookies.append(
                f"{settings.SESSION_COOKIE_NAME}={session.session_key}; "
                f"{settings.CSRF_COOKIE_NAME}={csrf_secret}"
            )
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


def fetch(base, path, cookie=None, headers=None):
    """(status, headers, body) without following redirects."""
    sent = {**PROXY_HEADERS, **(headers or {})}
    if cookie:
        sent["Cookie"] = cookie
    request = urllib.request.Request(base + path, headers=sent)

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    try:
        response = urllib.request.build_opener(NoRedirect).open(request, timeout=30)
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()
    return response.status, response.headers, response.read()


def check_member_page(base, path, cookie):
    """The cookie must really log the member in: a login redirect would measure nothing."""
    status, headers, body = fetch(base, path, cookie)
    if status != 200:
        raise RuntimeError(f"member home answered {status} for a bench member")
    if b"logout" not in body and b"uitloggen" not in body.lower():
        raise RuntimeError("member home did not show a logged-in page")
    if "X-Page-Cache" in headers:
        raise RuntimeError("a logged-in page went through the anonymous page cache")


def check_public_page(base, path, page_cache):
    status, headers, _body = fetch(base, path)
    fetch(base, path)
    status, headers, _body = fetch(base, path)
    if status != 200:
        raise RuntimeError(f"{path} answered {status}")
    if page_cache and headers.get("X-Page-Cache") != "hit":
        raise RuntimeError(f"{path} is not served from the page cache")
    if not page_cache and "X-Page-Cache" in headers:
        raise RuntimeError(f"{path} came from the page cache with the cache off")


def run(report):
    wrk = ensure_wrk()
    if not wrk:
        print("   wrk is not available: skipped")
        return
    # Other work on this machine changes absolute figures: say how busy it was.
    report("machine load average (1 min) before the run", os.getloadavg()[0], "")
    call_command("load_demo", stdout=io.StringIO())
    urls = public_urls()
    member_path = member_home_path()
    cookies = member_sessions() if member_path else []
    static_root = Path(tempfile.mkdtemp(prefix="bench-static-"))
    collect_static(static_root)
    static = static_url(static_root)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log_path = static_root / "gunicorn.log"
    for page_cache in (True, False):
        mode = "cached" if page_cache else "uncached"
        server = start_gunicorn(port, static_root, page_cache, log_path)
        scripts = {"static": wrk_script([static])}
        try:
            for label, path in urls.items():
                check_public_page(base, path, page_cache)
                scripts[label] = wrk_script([path])
            if cookies and page_cache:
                for cookie in cookies[:2] + cookies[-1:]:
                    check_member_page(base, member_path, cookie)
                scripts["member home"] = wrk_script([member_path], cookies=cookies)
            boots_before = worker_boots(log_path)
            figures = interleaved(wrk, base, scripts, server)
            boots = worker_boots(log_path) - boots_before
        finally:
            stop_gunicorn(server)
            for script in scripts.values():
                Path(script).unlink(missing_ok=True)
        static_rps = figures["static"]["rps"]
        static_cpu = figures["static"]["cpu_ms"]
        report(f"{mode} run: static file (WhiteNoise), 16 clients", static_rps, "req/s")
        report(f"{mode} run: static file p99", figures["static"]["p99"], "ms")
        report(f"{mode} run: static file, worker CPU per request", static_cpu, "ms")
        for label, figure in figures.items():
            if label == "static":
                continue
            cpu_name = "member home" if label == "member home" else f"{label}, {mode}"
            report(f"{cpu_name}: worker CPU per request", figure["cpu_ms"], "ms")
            # What the figure would be if the workers had the machine's CPUs to themselves,
            # against the static file's on the same terms.
            report(
                f"{cpu_name}: CPU share of static (static CPU / page CPU)",
                static_cpu / figure["cpu_ms"] if figure["cpu_ms"] else 0.0,
                "",
            )
            if label == "member home":
                name = f"member home, {len(cookies)} members rotating"
                report(f"{name}: requests/s", figure["rps"], "req/s", ">= 300")
                report(f"{name}: share of static", figure["rps"] / static_rps, "")
                report(f"{name}: p95", figure["p95"], "ms", "< 60")
                report(f"{name}: p99", figure["p99"], "ms")
                report(f"{name}: errors", figure["errors"], "", "== 0")
                continue
            name = f"{label}, {mode}"
            if page_cache:
                report(f"{name}: requests/s", figure["rps"], "req/s")
                report(f"{name}: share of static", figure["rps"] / static_rps, "", ">= 0.8")
                report(f"{name}: p99", figure["p99"], "ms", "< 50")
            else:
                report(f"{name}: requests/s", figure["rps"], "req/s", ">= 300")
                report(f"{name}: share of static", figure["rps"] / static_rps, "")
                report(f"{name}: p99", figure["p99"], "ms", "< 100")
            report(f"{name}: errors", figure["errors"], "", "== 0")
        report(f"{mode} run: worker restarts during the passes", boots, "", "== 0")
    shutil.rmtree(static_root, ignore_errors=True)
