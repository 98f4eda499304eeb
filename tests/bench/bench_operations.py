"""Issue 12's figures: a bad day in production, on the README's production configuration.

Everything runs as the README's "Production" section documents it: ``cms.settings.production``
under ``gunicorn -c cms/gunicorn.conf.py`` (its default worker count and access log), Redis as the
cache, page cache and session store, PostgreSQL with persistent connections (``DB_CONN_MAX_AGE``),
and beside gunicorn the README's three background processes (``db_worker --queue-name default``,
``db_worker --queue-name newsletters``, ``run_scheduler``). Only the plain-HTTP switches the README
names for a trial (``SECURE_SSL_REDIRECT=false``) differ from a real deployment.

PostgreSQL is a cluster of this benchmark's own (``tests/postgres_server.py``: the machine's server
is shared and must never be stopped), migrated and loaded with the demo content; Redis is a
``redis-server`` of its own. Both are really stopped and started again. Load is ``wrk`` in
consecutive one-second slices (16 clients), so every figure is known per second: the responses of
500 and up, the p99 and the rate, before, during and after each outage.

* Redis killed for 15 s under 16 clients, on the home page, the logged-in member home and the
  kennisbank search, one after the other: responses >= 500 (target 0), the worst one-second p99
  during the outage (< 1 s), and the seconds after Redis returns until the rate is back at 90 % of
  the rate before the outage (< 5 s).
* PostgreSQL stopped (``pg_ctl -m fast``: every connection cut) for 10 s under a mix of the three:
  every answer >= 500 while it is down must be the clean 503 page; the seconds until the site
  serves as before, with the same gunicorn (no restart).
* A page and a newsletter scheduled at T: seconds after T until the page answers 200 and the first
  newsletter e-mail reaches the SMTP server (aiosmtpd on loopback) — target T + 90 s.
* A 20 MB PDF: the admin upload request and the admin's publish of the page that holds it (each
  < 2 s), then the seconds until the kennisbank search finds a word of its text (< 60 s).
* ``backup_site`` → ``flush`` → ``restore_site``: 20 kennisbank searches over HTTP give the same
  results (the same items in the same order) before and after.
* The static-file rate (WhiteNoise, 8 clients) of the same run, for scale.

Run: ``make bench BENCH_ARGS="--only operations"``. Ports are free ones unless
``BENCH_HTTP_PORT``, ``BENCH_REDIS_PORT``, ``BENCH_POSTGRES_PORT`` or ``BENCH_SMTP_PORT`` are set.
"""

import http.client
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections import Counter
from pathlib import Path

from tests.bench.bench_http import ensure_wrk
from tests.postgres_server import PostgresServer, postgres_bin_dir
from tests.redis_server import RedisServer, free_port, redis_binary

REPO_DIR = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
CLIENTS = 16
REDIS_OUTAGE_SECONDS = 15
POSTGRES_OUTAGE_SECONDS = 10
WARM_SECONDS = 2
BEFORE_SECONDS = 8
AFTER_SECONDS = 12
SECRET_KEY = "bench-only-secret-key-operations-0123456789-abcdefghijklmnopqrstuvwxyz"
PDF_WORD = "kwartiermakersfestival"
SEARCHES = [
    "binnenbuurt",
    "koffieochtend",
    "vrijwilligers",
    "stadsdorp starten",
    "eenzaamheid",
    "subsidie",
    "buurtkamer",
    "nabuurschap",
    "ontmoeting",
    "lezing",
    "repair café",
    "contactpersoon",
    "wandelen",
    "nieuwsbrief",
    "leesclub",
    "vereniging",
    "mantelzorg",
    "duurzaamheid",
    "signaleringsfunctie",
    "burenhulp",
]


def port_from(variable):
    return int(os.environ.get(variable) or free_port())


class Site:
    """The processes of one production deployment on this machine, and how to reach them."""

    def __init__(self, workdir):
        self.workdir = workdir
        self.http_port = port_from("BENCH_HTTP_PORT")
        self.smtp_port = port_from("BENCH_SMTP_PORT")
        self.base = f"http://127.0.0.1:{self.http_port}"
        self.postgres = PostgresServer(
            workdir=tempfile.mkdtemp(prefix="bench-operations-postgres-"),
            port=port_from("BENCH_POSTGRES_PORT"),
        )
        self.redis = RedisServer(workdir, port=port_from("BENCH_REDIS_PORT"))
        self.gunicorn = None
        self.background = {}
        self.log = open(workdir / "site.log", "ab")  # noqa: SIM115

    def env(self):
        env = dict(os.environ)
        env.pop("DATABASE_URL", None)
        env.update(
            {
                "DJANGO_SETTINGS_MODULE": "cms.settings.production",
                "SECRET_KEY": SECRET_KEY,
                "ALLOWED_HOSTS": "127.0.0.1,localhost",
                "WAGTAILADMIN_BASE_URL": self.base,
                # The README's plain-HTTP trial: no TLS proxy in front of gunicorn here.
                "SECURE_SSL_REDIRECT": "false",
                "DATABASE_URL": self.postgres.url("ops_site"),
                "DB_CONN_MAX_AGE": "600",
                "REDIS_URL": self.redis.url,
                "STATIC_ROOT": str(self.workdir / "static"),
                "MEDIA_ROOT": str(self.workdir / "media"),
                "EMAIL_HOST": "127.0.0.1",
                "EMAIL_PORT": str(self.smtp_port),
                "DEFAULT_FROM_EMAIL": "nieuwsbrief@bench.example",
                "GUNICORN_BIND": f"127.0.0.1:{self.http_port}",
                "PYTHONPATH": str(REPO_DIR),
            }
        )
        return env

    def manage(self, *arguments):
        try:
            subprocess.run(
                [PYTHON, "manage.py", *arguments],
                cwd=REPO_DIR,
                env=self.env(),
                check=True,
                stdout=subprocess.DEVNULL,
                stderr=self.log,
            )
        except subprocess.CalledProcessError:
            # The log goes with the run's folder: show why before it does.
            self.log.flush()
            tail = (self.workdir / "site.log").read_text(errors="replace").splitlines()[-25:]
            print("\n".join(f"      | {line}" for line in tail), flush=True)
            raise

    def step(self, name, **arguments):
        """Runs one of this module's steps in a process with the site's settings and database."""
        output = subprocess.run(
            [PYTHON, "-m", "tests.bench.bench_operations", name, json.dumps(arguments)],
            cwd=REPO_DIR,
            env=self.env(),
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        return json.loads(output.strip().splitlines()[-1])

    def build(self):
        # Migrations and the demo content without waiting for the disk (several minutes less);
        # the server is then restarted with PostgreSQL's defaults for everything measured.
        self.postgres.settings = {"fsync": "off", "synchronous_commit": "off"}
        self.postgres.init()
        self.postgres.start()
        self.postgres.wait_ready()
        self.postgres.create_database("ops_site")
        self.redis.start()
        self.manage("migrate", "--noinput")
        self.manage("load_demo")
        self.manage("collectstatic", "--noinput")
        self.postgres.stop()
        self.postgres.settings = {}
        self.postgres.start()
        self.postgres.wait_ready()

    def start_gunicorn(self):
        self.gunicorn = subprocess.Popen(
            [
                str(Path(PYTHON).with_name("gunicorn")),
                "-c",
                "cms/gunicorn.conf.py",
                "cms.wsgi:application",
            ],
            cwd=REPO_DIR,
            env=self.env(),
            stdout=self.log,
            stderr=self.log,
        )
        deadline = time.monotonic() + 90
        while fetch(f"{self.base}/health/")[0] != 200:
            if time.monotonic() > deadline or self.gunicorn.poll() is not None:
                raise RuntimeError("gunicorn did not start")
            time.sleep(0.5)

    BACKGROUND = {
        "worker default": ["db_worker", "--queue-name", "default"],
        "worker newsletters": ["db_worker", "--queue-name", "newsletters"],
        "scheduler": ["run_scheduler"],
    }

    def start_background(self, names=None):
        for name in names or self.BACKGROUND:
            self.background[name] = subprocess.Popen(
                [PYTHON, "manage.py", *self.BACKGROUND[name]],
                cwd=REPO_DIR,
                env=self.env(),
                stdout=self.log,
                stderr=self.log,
            )

    def background_ended(self):
        return [name for name, process in self.background.items() if process.poll() is not None]

    def stop(self):
        for process in [self.gunicorn, *self.background.values()]:
            if process is not None and process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()
        self.redis.stop()
        self.postgres.destroy()
        self.log.close()


def fetch(url, cookie=None, data=None, headers=None, timeout=30):
    request = urllib.request.Request(url, data=data, headers=dict(headers or {}))
    if cookie:
        request.add_header("Cookie", cookie)

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    try:
        with urllib.request.build_opener(NoRedirect).open(request, timeout=timeout) as response:
            return response.status, response.read().decode(errors="replace"), response.headers
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(errors="replace"), error.headers
    except OSError:
        return None, "", {}


# --- Load: every request recorded ----------------------------------------------------------------


class Load:
    """``CLIENTS`` threads requesting ``entries`` (path, cookie or None) in turn, each request on
    a new connection (gunicorn's sync workers close it after each answer), every one recorded as
    (start, end, status, clean 503 page): the outage figures need each answer, also the slow ones
    that a fixed-duration tool drops when its time is up. The client costs some CPU on this
    machine's two cores; the rates are compared with the same client before and after."""

    def __init__(self, port, entries):
        self.port = port
        self.entries = entries
        self.records = []
        self.running = False
        self.threads = [threading.Thread(target=self.client, args=(n,)) for n in range(CLIENTS)]

    def client(self, number):
        counter = number
        while self.running:
            path, cookie = self.entries[counter % len(self.entries)]
            counter += CLIENTS
            headers = {"Cookie": cookie} if cookie else {}
            started = time.monotonic()
            status, clean = None, False
            connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
            try:
                connection.request("GET", path, headers=headers)
                response = connection.getresponse()
                body = response.read()
                status = response.status
                clean = status == 503 and b"niet bereikbaar" in body
            except OSError:
                pass
            finally:
                connection.close()
            self.records.append((started, time.monotonic(), status, clean))

    def __enter__(self):
        self.running = True
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.running = False
        for thread in self.threads:
            thread.join()

    def started_between(self, start, end):
        return [record for record in self.records if start <= record[0] < end]

    def rate(self, start, end):
        """Answers per second that ended in [start, end)."""
        done = sum(1 for record in self.records if start <= record[1] < end)
        return done / (end - start)


def percentile(values, fraction):
    ordered = sorted(values)
    if not ordered:
        return 0.0
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def recovery_seconds(load, returned_at, end, baseline, clean=lambda start, stop: True):
    """Seconds from ``returned_at`` to the end of the first whole second (sliding by 0.25 s)
    whose rate is at least 90 % of ``baseline`` (and ``clean``); None when that never came."""
    start = returned_at
    while start + 1 <= end:
        if load.rate(start, start + 1) >= 0.9 * baseline and clean(start, start + 1):
            return start + 1 - returned_at
        start += 0.25
    return None


def redis_outage(report, site, label, entries):
    with Load(site.http_port, entries) as load:
        time.sleep(WARM_SECONDS + BEFORE_SECONDS)
        killed_at = time.monotonic()
        site.redis.stop()
        time.sleep(REDIS_OUTAGE_SECONDS)
        returned_at = time.monotonic()
        site.redis.start()
        time.sleep(AFTER_SECONDS)
        ended_at = time.monotonic()
    begin = load.records[0][0] if load.records else killed_at
    baseline = load.rate(begin + WARM_SECONDS, killed_at)
    during = load.started_between(killed_at, returned_at)
    failed = [record for record in load.records if record[2] is None or record[2] >= 500]
    unanswered = sum(1 for record in failed if record[2] is None)
    recovered = recovery_seconds(load, returned_at, ended_at, baseline)
    prefix = f"Redis killed 15 s, 16 clients, {label}"
    report(f"{prefix}: rate before", baseline, "req/s")
    report(f"{prefix}: rate during the outage", load.rate(killed_at, returned_at), "req/s")
    report(f"{prefix}: answers >= 500 or failed (of {len(load.records)})", len(failed), "", "== 0")
    if failed:
        print(f"      of which no answer within the client's 10 s: {unanswered}")
    report(
        f"{prefix}: p99 during the outage",
        percentile([end - start for start, end, _s, _c in during], 0.99) * 1000,
        "ms",
        "< 1000",
    )
    report(
        f"{prefix}: back to 90 % of the rate before, after Redis returned",
        recovered if recovered is not None else 999.0,
        "s",
        "< 5",
    )


def postgres_restart(report, site, entries):
    master = site.gunicorn.pid
    with Load(site.http_port, entries) as load:
        time.sleep(WARM_SECONDS + BEFORE_SECONDS)
        stopped_at = time.monotonic()
        site.postgres.stop(mode="fast")
        time.sleep(POSTGRES_OUTAGE_SECONDS)
        started_at = time.monotonic()
        site.postgres.start()
        time.sleep(AFTER_SECONDS)
        ended_at = time.monotonic()
    begin = load.records[0][0] if load.records else stopped_at
    baseline = load.rate(begin + WARM_SECONDS, stopped_at)
    # Requests in flight at the stop or the start may see either state.
    down = [r for r in load.records if r[0] >= stopped_at and r[1] < started_at]
    up = [r for r in load.records if r[1] < stopped_at or r[0] >= started_at + 10]
    errors_down = [r for r in down if r[2] is None or (r[2] >= 500 and not r[3])]
    prefix = "PostgreSQL stopped 10 s, 16 clients, home / member home / search"
    report(f"{prefix}: rate before", baseline, "req/s")
    report(f"{prefix}: answers while it was down", len(down), "")
    report(f"{prefix}: of which the clean 503 page", sum(1 for r in down if r[3]), "")
    report(
        f"{prefix}: of which 200 (anonymous page cache)", sum(1 for r in down if r[2] == 200), ""
    )
    report(f"{prefix}: other answers >= 500 or failed while down", len(errors_down), "", "== 0")

    def clean(start, stop):
        return not any(
            r[2] is None or r[2] >= 500 for r in load.records if start <= r[0] and r[1] < stop
        )

    recovered = recovery_seconds(load, started_at, ended_at, baseline, clean)
    report(
        f"{prefix}: serving as before (no 503 for 1 s), after it started, same gunicorn",
        recovered if recovered is not None else 999.0,
        "s",
        "< 10",
    )
    report(
        f"{prefix}: answers >= 500 or failed from 10 s after the start",
        sum(1 for r in up if r[0] >= started_at and (r[2] is None or r[2] >= 500)),
        "",
        "== 0",
    )
    report(
        f"{prefix}: gunicorn restarted",
        int(site.gunicorn.poll() is not None or site.gunicorn.pid != master),
        "",
        "== 0",
    )


def static_rate(report, site, wrk):
    status, text, _headers = fetch(f"{site.base}/nl/")
    match = re.search(r'href="(/static/[^"]+\.css)"', text)
    path = match.group(1) if match else "/static/css/print.css"
    output = subprocess.run(
        [wrk, "-t2", "-c8", "-d5s", "-s", str(REPO_DIR / "tests/bench/wrk_report.lua")]
        + [site.base + path],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    summary = json.loads(output.strip().splitlines()[-1])
    rate = summary["requests"] / (summary["duration_us"] / 1_000_000)
    report("static file (WhiteNoise), 8 clients, same run", rate, "req/s")


# --- Scheduled work, the PDF, the restore ------------------------------------------------------


class Mailbox:
    """aiosmtpd on loopback: the time each message arrived."""

    def __init__(self, port):
        from aiosmtpd.controller import Controller

        mailbox = self
        self.arrivals = []

        class Handler:
            async def handle_DATA(self, server, session, envelope):
                mailbox.arrivals.append((time.monotonic(), envelope.rcpt_tos))
                return "250 OK"

        self.controller = Controller(Handler(), hostname="127.0.0.1", port=port)

    def __enter__(self):
        self.controller.start()
        return self

    def __exit__(self, *exc):
        self.controller.stop()


def wait_until(predicate, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return time.monotonic()
        time.sleep(0.25)
    return None


def scheduled_work(report, site, mailbox, subscriber):
    lead = 15
    plan = site.step("schedule", seconds=lead)
    at = time.monotonic() + lead - plan["elapsed"]
    page_live = wait_until(lambda: fetch(site.base + plan["page_path"])[0] == 200, lead + 180)
    sent = wait_until(lambda: any(subscriber in to for _when, to in mailbox.arrivals), lead + 180)
    report(
        "page scheduled at T: live after T",
        page_live - at if page_live else 999.0,
        "s",
        "< 90",
    )
    first = min((when for when, to in mailbox.arrivals if subscriber in to), default=None)
    report(
        "newsletter scheduled at T: first e-mail after T",
        first - at if sent and first else 999.0,
        "s",
        "< 90",
    )


def multipart(fields, file_field, filename, content, content_type):
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        disposition = f'Content-Disposition: form-data; name="{name}"'
        parts.append(f"--{boundary}\r\n{disposition}\r\n\r\n{value}\r\n".encode())
    parts.append(
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{file_field}"; '
            f'filename="{filename}"\r\nContent-Type: {content_type}\r\n\r\n'
        ).encode()
        + content
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def big_pdf(size):
    """A valid PDF of about ``size`` bytes: three pages of text (with ``PDF_WORD``) and, as in a
    scanned report, one large image (random bytes, so it cannot be compressed)."""
    text = (
        f"BT /F1 12 Tf 72 720 Td (Verslag van het {PDF_WORD} in de binnenbuurt) Tj ET\n"
        "BT /F1 12 Tf 72 700 Td (Buren ontmoeten elkaar in de huiskamer.) Tj ET\n"
    ).encode()
    image = os.urandom(size)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R 4 0 R 5 0 R] /Count 3 >>",
    ]
    page = (
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 6 0 R "
        b"/Resources << /Font << /F1 7 0 R >> /XObject << /Im1 8 0 R >> >> >>"
    )
    objects += [page, page, page]
    objects.append(b"<< /Length %d >>\nstream\n" % len(text) + text + b"\nendstream")
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    objects.append(
        b"<< /Type /XObject /Subtype /Image /Width 2000 /Height %d /ColorSpace /DeviceRGB "
        b"/BitsPerComponent 8 /Length %d >>\nstream\n"
        % (len(image) // 6000, len(image))
        + image
        + b"\nendstream"
    )
    output = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(output))
        output += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(output)
    output += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        output += b"%010d 00000 n \n" % offset
    output += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(output)


def csrf_form(site, path, cookie):
    status, text, headers = fetch(site.base + path, cookie=cookie)
    if status != 200:
        raise RuntimeError(f"{path} answered {status}: is the editor logged in?")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', text).group(1)
    csrf_cookie = re.search(r"csrftoken=([^;]+)", headers.get("Set-Cookie", "") or "")
    full_cookie = cookie + (f"; csrftoken={csrf_cookie.group(1)}" if csrf_cookie else "")
    return token, full_cookie, text


def pdf_upload(report, site, prepared):
    cookie = prepared["editor_cookie"]
    token, cookie, _text = csrf_form(site, "/admin/documents/add/", cookie)
    content = big_pdf(20_000_000 - 4_000)
    body, content_type = multipart(
        {
            "csrfmiddlewaretoken": token,
            "title": "Verslag kwartiermakers",
            "collection": prepared["collection_id"],
        },
        "file",
        "verslag-kwartiermakers.pdf",
        content,
        "application/pdf",
    )
    started = time.monotonic()
    status, text, _headers = fetch(
        site.base + "/admin/documents/add/",
        cookie=cookie,
        data=body,
        headers={"Content-Type": content_type, "Referer": site.base + "/admin/documents/add/"},
        timeout=60,
    )
    upload = time.monotonic() - started
    if status != 302:
        raise RuntimeError(f"the document upload answered {status}: {text[:1500]}")
    report("20 MB PDF: admin upload request", upload, "s", "< 2")
    attached = site.step("attach_document", title="Verslag kwartiermakers")
    publish_path = f"/admin/bulk/wagtailcore/page/publish/?id={attached['page_id']}"
    token, cookie, _text = csrf_form(site, publish_path, prepared["editor_cookie"])
    started = time.monotonic()
    status, text, _headers = fetch(
        site.base + publish_path,
        cookie=cookie,
        data=urllib.parse.urlencode({"csrfmiddlewaretoken": token}).encode(),
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Referer": site.base + publish_path,
        },
    )
    published = time.monotonic()
    if status not in (200, 302):
        raise RuntimeError(f"publishing answered {status}: {text[:1500]}")
    report("20 MB PDF: admin publish request of its page", published - started, "s", "< 2")
    search = f"{site.base}{prepared['search_path']}?q={PDF_WORD}"
    found = wait_until(lambda: attached["page_path"] in fetch(search)[1], 120)
    report(
        "20 MB PDF: searchable after the publish",
        found - published if found else 999.0,
        "s",
        "< 60",
    )


def search_results(site, search_path):
    results = {}
    for query in SEARCHES:
        url = f"{site.base}{search_path}?{urllib.parse.urlencode({'q': query})}"
        status, text, _headers = fetch(url)
        hits = re.findall(r'class="kb-result__title"><a href="([^"]+)"', text)
        results[query] = [status, hits]
    return results


def backup_restore(report, site, search_path):
    before = search_results(site, search_path)
    archive = site.workdir / "backups" / "site.tar.gz"
    archive.parent.mkdir(exist_ok=True)
    started = time.monotonic()
    site.manage("backup_site", str(archive))
    report("backup_site of the demo site", time.monotonic() - started, "s")
    site.manage("flush", "--noinput")
    shutil.rmtree(site.workdir / "media", ignore_errors=True)
    started = time.monotonic()
    site.manage("restore_site", str(archive))
    report("restore_site (with the index rebuilds)", time.monotonic() - started, "s")
    after = search_results(site, search_path)
    with_results = sum(1 for status, hits in before.values() if status == 200 and hits)
    same = sum(1 for query in SEARCHES if before[query] == after[query])
    report("backup → wipe → restore: searches with results before", with_results, "")
    report(f"backup → wipe → restore: of {len(SEARCHES)} searches identical", same, "", "== 20")
    for query in SEARCHES:
        if before[query] != after[query]:
            print(f"   differs: {query!r}: {before[query]} / {after[query]}")


# --- Steps run inside the site's own settings (python -m tests.bench.bench_operations STEP) -------


def step_prepare(arguments):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from django.conf import settings
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )
    from django.contrib.sessions.backends.db import SessionStore

    from wagtail.models import Collection

    from kennisbank.models import KennisbankIndexPage
    from members_area.subscriptions.models import Subscriber
    from tests.bench.bench_load_extra import bench_members, member_home_path

    cookies = []
    for user in bench_members()[:20]:
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "members_area.backends.EmailBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        cookies.append(f"{settings.SESSION_COOKIE_NAME}={session.session_key}")
    # An editor who has passed the second factor, as after a real admin login.
    editor, _created = get_user_model().objects.get_or_create(
        username="bench-editor",
        defaults={"email": "editor@bench.example", "is_staff": True, "is_superuser": True},
    )
    device, _created = TOTPDevice.objects.get_or_create(
        user=editor, name="bench", defaults={"confirmed": True}
    )
    session = SessionStore()
    session[SESSION_KEY] = str(editor.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = editor.get_session_auth_hash()
    session["otp_device_id"] = device.persistent_id
    session.create()
    subscriber = "abonnee@bench.example"
    Subscriber.objects.update_or_create(
        email=subscriber, defaults={"status": Subscriber.Status.ACTIVE}
    )
    index = KennisbankIndexPage.objects.live().filter(locale__language_code="nl").first()
    return {
        "member_path": member_home_path(),
        "member_cookies": cookies,
        "editor_cookie": f"{settings.SESSION_COOKIE_NAME}={session.session_key}",
        "search_path": index.get_url_parts()[2],
        "collection_id": Collection.get_first_root_node().pk,
        "subscriber": subscriber,
    }


def step_schedule(arguments):
    from datetime import timedelta

    from django.utils import timezone

    from home.models import ContentPage, HomePage
    from members_area.subscriptions import sending
    from members_area.subscriptions.models import NewsletterIndexPage, NewsletterPage

    started = time.monotonic()
    at = timezone.now() + timedelta(seconds=arguments["seconds"])
    home = HomePage.objects.filter(locale__language_code="nl").first()
    slug = f"gepland-{uuid.uuid4().hex[:8]}"
    page = home.add_child(
        instance=ContentPage(title="Gepland bericht", slug=slug, live=False, go_live_at=at)
    )
    page.save_revision().publish()  # with go_live_at ahead: approved, not live yet
    archive = NewsletterIndexPage.objects.first()
    if archive is None:
        archive = home.add_child(instance=NewsletterIndexPage(title="Nieuwsbrief", slug="nb"))
    issue = archive.add_child(instance=NewsletterPage(title="Nieuwsbrief gepland", slug=slug))
    issue.save_revision().publish()
    issue.refresh_from_db()
    sending.schedule(issue, at)
    page.refresh_from_db()
    assert not page.live
    return {
        "page_path": page.get_url_parts()[2],
        "elapsed": time.monotonic() - started,
    }


def step_attach_document(arguments):
    from wagtail.documents import get_document_model

    from kennisbank.models import KennisbankIndexPage, PublicatiePage

    document = get_document_model().objects.filter(title=arguments["title"]).latest("pk")
    index = KennisbankIndexPage.objects.live().filter(locale__language_code="nl").first()
    page = index.add_child(
        instance=PublicatiePage(
            title="Verslag kwartiermakers",
            slug=f"verslag-{uuid.uuid4().hex[:8]}",
            live=False,
            document=document,
        )
    )
    page.save_revision()
    return {"page_id": page.pk, "page_path": page.get_url_parts()[2]}


def traceback_loggers(log):
    """How many log entries carried a traceback, per logger (JSON lines; plain stderr counted
    apart)."""
    counts = Counter()
    for line in log.splitlines():
        if "Traceback" not in line and not line.startswith("Traceback"):
            continue
        if line.startswith("{"):
            try:
                counts[json.loads(line).get("logger", "?")] += 1
            except ValueError:
                counts["?"] += 1
        elif line.startswith("Traceback"):
            counts["(stderr, not JSON)"] += 1
    return counts


def plain_tracebacks(log):
    """The tracebacks written to stderr without the JSON formatter, each as its lines."""
    found, current = [], None
    for line in log.splitlines():
        if line.startswith("Traceback"):
            current = [line]
            found.append(current)
        elif current is not None and (line.startswith((" ", "\t")) or not line.startswith("{")):
            current.append(line)
            if not line.startswith((" ", "\t")):
                current = None  # the exception's own line ends it
    return found


def member_entries(prepared):
    return [(prepared["member_path"], cookie) for cookie in prepared["member_cookies"]]


def search_entries(prepared):
    return [
        (f"{prepared['search_path']}?{urllib.parse.urlencode({'q': query})}", None)
        for query in SEARCHES
    ]


def run(report):
    wrk = ensure_wrk()
    missing = [
        name
        for name, found in {
            "wrk": wrk,
            "redis-server": redis_binary(),
            "PostgreSQL": postgres_bin_dir(),
        }.items()
        if not found
    ]
    if missing:
        print(f"   {', '.join(missing)} not installed: skipped")
        return
    report("machine load average (1 min) before the run", os.getloadavg()[0], "")
    site = Site(Path(tempfile.mkdtemp(prefix="bench-operations-")))
    try:
        started = time.monotonic()
        site.build()
        print(f"   site built in {time.monotonic() - started:.0f} s", flush=True)
        prepared = site.step("prepare")
        site.start_gunicorn()
        site.start_background()
        # The demo's publishing enqueued index updates: let the worker finish them first, as
        # a deployment's worker would have long before a bad day.
        started = time.monotonic()
        while site.step("queue")["waiting"] and time.monotonic() - started < 300:
            time.sleep(5)
        print(f"   task queue worked off in {time.monotonic() - started:.0f} s", flush=True)
        static_rate(report, site, wrk)
        for path, cookie in member_entries(prepared)[:1]:
            status, text, _headers = fetch(site.base + path, cookie=cookie)
            if status != 200 or "uitloggen" not in text.lower():
                raise RuntimeError(f"the member home did not show a logged-in page ({status})")
        redis_outage(report, site, "home", [("/nl/", None)])
        redis_outage(report, site, "member home", member_entries(prepared))
        redis_outage(report, site, "kennisbank search", search_entries(prepared))
        mix = [("/nl/", None)] + member_entries(prepared)[:4] + search_entries(prepared)[:4]
        postgres_restart(report, site, mix)
        ended = site.background_ended()
        report("background processes that ended with the PostgreSQL restart", len(ended), "")
        if ended:
            print(f"   ended: {', '.join(ended)}; started again, as systemd's Restart=always does")
            site.start_background(ended)
        with Mailbox(site.smtp_port) as mailbox:
            scheduled_work(report, site, mailbox, prepared["subscriber"])
        pdf_upload(report, site, prepared)
        backup_restore(report, site, prepared["search_path"])
        static_rate(report, site, wrk)
        log = (site.workdir / "site.log").read_text(errors="replace")
        tracebacks = traceback_loggers(log)
        report("log entries with a traceback", sum(tracebacks.values()), "")
        for logger_name, count in tracebacks.most_common():
            print(f"      {count} from {logger_name}")
        # Plain stderr has no logger to name: show where each came from (its last lines).
        for traceback in plain_tracebacks(log)[:3]:
            print("\n".join(f"      | {line}" for line in traceback[-6:]))
    finally:
        site.stop()
        shutil.rmtree(site.workdir, ignore_errors=True)


def step_queue(arguments):
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    waiting = DBTaskResult.objects.filter(
        status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING]
    ).count()
    return {"waiting": waiting}


STEPS = {
    "queue": step_queue,
    "prepare": step_prepare,
    "schedule": step_schedule,
    "attach_document": step_attach_document,
}

if __name__ == "__main__":
    import django

    django.setup()
    print(json.dumps(STEPS[sys.argv[1]](json.loads(sys.argv[2]) if len(sys.argv) > 2 else {})))
