"""The figures of issue 11: guessing against the login limits, getting back in, private images.

1. 1,000 wrong passwords (or codes) for one member through each way in, from one address: how
   many were really checked (calls of ``check_password`` / ``LoginCode.verify``) before the lock
   refused the rest, and how long the 1,000 requests took.
2. A member locked out by those guesses gets back in with an e-mailed code: the steps, and the
   seconds the server needs for them (what the member reads and types is not counted).
3. A private image through the checked view, against a static file from the same gunicorn
   (WhiteNoise; in production a public image comes straight from the web server, which is at
   least as fast): requests per second and median latency, 8 clients, and the difference per
   request in milliseconds.
"""

import io
import json
import logging
import os
import re
import subprocess
import tempfile
import time
from pathlib import Path
from unittest import mock

from axes.models import AccessAttempt

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.sessions.backends.db import SessionStore
from django.core.management import call_command
from django.test import Client, override_settings

from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file

from cms.accounts.models import RequestCounter
from members_area.models import Binnenbuurt, LoginCode
from tests.bench.bench_http import (
    DURATION,
    collect_static,
    ensure_wrk,
    free_port,
    load,
    production_env,
    start_gunicorn,
)
from tests.demo_accounts import PASSWORD
from tests.members_area.test_subscriptions_fixtures import SMTPServer

GUESSES = 1000
MEMBER = "anna@leden.example"


def reset_limits():
    AccessAttempt.objects.all().delete()
    RequestCounter.objects.all().delete()


def count_calls(target, attribute):
    calls = []
    original = getattr(target, attribute)

    def counting(*args, **kwargs):
        calls.append(1)
        return original(*args, **kwargs)

    return calls, mock.patch.object(target, attribute, counting)


def guess_passwords(url):
    reset_limits()
    client = Client(REMOTE_ADDR="198.51.100.9")
    calls, patch = count_calls(AbstractBaseUser, "check_password")
    started = time.perf_counter()
    evaluated = 0
    statuses = []
    with patch:
        for number in range(GUESSES):
            before = len(calls)
            data = {"username": MEMBER, "password": f"raden-{number}"}
            statuses.append(client.post(url, data).status_code)
            evaluated += len(calls) > before
    seconds = time.perf_counter() - started
    return evaluated, len(calls), seconds, statuses.count(429)


def guess_codes():
    reset_limits()
    client = Client(REMOTE_ADDR="198.51.100.9")
    client.post("/nl/login/code/", {"email": MEMBER})
    calls, patch = count_calls(LoginCode, "verify")
    started = time.perf_counter()
    with patch:
        statuses = []
        for number in range(GUESSES):
            # Keep the code itself fresh, so that only the lockout stops the guessing.
            LoginCode.objects.update(attempts=0)
            code = f"{number:06d}"
            statuses.append(client.post("/nl/login/code/invoeren/", {"code": code}).status_code)
    return len(calls), time.perf_counter() - started, statuses.count(429)


def back_in_with_a_code(smtp_server):
    """Steps of a member whose password is locked: code page, request a code, type it."""
    reset_limits()
    attacker = Client(REMOTE_ADDR="198.51.100.9")
    for number in range(10):
        attacker.post("/nl/login/", {"username": MEMBER, "password": f"raden-{number}"})
    member = Client(REMOTE_ADDR="203.0.113.50")
    assert member.post("/nl/login/", {"username": MEMBER, "password": PASSWORD}).status_code == 429
    received = len(smtp_server.handler.messages)
    timings = []
    started = time.perf_counter()
    assert member.get("/nl/login/code/").status_code == 200
    timings.append(time.perf_counter() - started)
    started = time.perf_counter()
    assert member.post("/nl/login/code/", {"email": MEMBER}).status_code == 302
    timings.append(time.perf_counter() - started)
    assert len(smtp_server.handler.messages) == received + 1
    _recipients, message = smtp_server.handler.messages[-1]
    text = next(part for part in message.walk() if part.get_content_type() == "text/plain")
    code = re.search(r"\b(\d{6})\b", text.get_payload(decode=True).decode()).group(1)
    started = time.perf_counter()
    response = member.post("/nl/login/code/invoeren/", {"code": code})
    timings.append(time.perf_counter() - started)
    assert response.status_code == 302 and "_auth_user_id" in member.session
    return len(timings), sum(timings)


def private_image_url():
    zonnehof = Binnenbuurt.objects.get(name="Zonnehof")
    image_model = get_image_model()
    private = image_model.objects.create(
        title="Bench privé",
        file=get_test_image_file(filename="bench.png", size=(800, 600)),
        collection=zonnehof.collection,
    )
    rendition = private.get_rendition("width-400")
    assert rendition.url.startswith("/afbeeldingen/")
    return rendition.url


def member_cookie():
    # Signed and hashed with the key gunicorn runs with, or the server would reject the session.
    server_key = production_env(Path(tempfile.gettempdir()), page_cache=True)["SECRET_KEY"]
    user = get_user_model().objects.get(email=MEMBER)
    with override_settings(SECRET_KEY=server_key):
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "members_area.backends.EmailBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def measure_guessing(report, smtp_server):
    for label, url in (("member login", "/nl/login/"), ("admin login", "/admin/login/")):
        evaluated, hashes, seconds, refused = guess_passwords(url)
        report(f"{GUESSES} password guesses, {label}: guesses evaluated", evaluated, "", "<= 5")
        # Members' usernames are their addresses, so both backends check the password.
        report(f"{GUESSES} password guesses, {label}: password hashes computed", hashes, "")
        report(f"{GUESSES} password guesses, {label}: refused as locked", refused, "")
        report(f"{GUESSES} password guesses, {label}: time", seconds, "s")
    checked, seconds, refused = guess_codes()
    report(f"{GUESSES} code guesses, e-mailed code: codes checked", checked, "", "<= 5")
    report(f"{GUESSES} code guesses, e-mailed code: time", seconds, "s")
    steps, seconds = back_in_with_a_code(smtp_server)
    report(
        f"locked member back in with an e-mailed code ({steps} steps): server time", seconds, "s"
    )


def run(report):
    # A thousand refused logins would print a thousand warnings.
    for name in ("axes", "cms.accounts.lockout", "django.request"):
        logging.getLogger(name).setLevel(logging.ERROR)
    call_command("load_demo", stdout=io.StringIO())
    # Login codes go out by SMTP as in production: to a real SMTP server on loopback, which is
    # where the production settings' EMAIL_HOST and EMAIL_PORT point here.
    smtp_server = SMTPServer().start()
    try:
        with override_settings(EMAIL_HOST="127.0.0.1", EMAIL_PORT=smtp_server.port):
            measure_guessing(report, smtp_server)
    finally:
        smtp_server.stop()

    wrk = ensure_wrk()
    if not wrk:
        print("   wrk is not available: image figures skipped")
        return
    private_url = private_image_url()
    cookie = member_cookie()
    # gunicorn must find the files this process wrote.
    os.environ["MEDIA_ROOT"] = str(settings.MEDIA_ROOT)
    static_root = Path(tempfile.mkdtemp(prefix="bench-static-"))
    collect_static(static_root)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_gunicorn(port, static_root, page_cache=True)
    try:
        private = load_with_cookie(wrk, base + private_url, cookie)
        static = load(wrk, base + settings.STATIC_URL + "css/print.css", 8)
    finally:
        server.terminate()
        server.wait(timeout=30)
    report("private image, checked view, 8 clients", private["rps"], "req/s")
    report("private image, checked view: median", private["p50_us"] / 1000, "ms")
    report("private image: errors", private["socket_errors"] + private["non_2xx"], "", "== 0")
    report("static file (WhiteNoise), same run, 8 clients", static["rps"], "req/s")
    report("static file: median", static["p50_us"] / 1000, "ms")
    report(
        "checked image view: extra per request (median)",
        (private["p50_us"] - static["p50_us"]) / 1000,
        "ms",
    )
    report(
        "checked image view: extra worker time per request (2 workers, from req/s)",
        2000 / private["rps"] - 2000 / static["rps"],
        "ms",
    )


def load_with_cookie(wrk, url, cookie):
    """``load`` with the member's session cookie on every request."""
    script = Path(tempfile.mkstemp(suffix=".lua")[1])
    report_lua = Path(__file__).with_name("wrk_report.lua").read_text()
    script.write_text(f'wrk.headers["Cookie"] = "{cookie}"\n' + report_lua)
    try:
        subprocess.run(
            [wrk, "-t2", "-c8", "-d2s", "-s", str(script), url], capture_output=True, check=False
        )
        output = subprocess.run(
            [wrk, "-t2", "-c8", f"-d{DURATION}", "-s", str(script), url],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        summary = json.loads(output.strip().splitlines()[-1])
        summary["rps"] = summary["requests"] / (summary["duration_us"] / 1_000_000)
        return summary
    finally:
        script.unlink()
