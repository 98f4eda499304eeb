"""Requests per second of the anonymous public pages, served as in production.

gunicorn with 2 workers and the production settings (WhiteNoise, the anonymous page cache on Redis
when Redis answers on loopback) on this machine's database copy with the demo content; ``wrk`` on
loopback drives it. Figures: issue 2 (home page, 8 clients) and issue 6 (public pages, 16 clients).
"""

import io
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from django.conf import settings
from django.core.management import call_command

REPO_DIR = Path(__file__).resolve().parents[2]
LUA_REPORT = Path(__file__).with_name("wrk_report.lua")
DURATION = os.environ.get("BENCH_HTTP_DURATION", "10s")


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def redis_available():
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5) as connection:
            connection.sendall(b"PING\r\n")
            return connection.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def ensure_wrk():
    if shutil.which("wrk"):
        return "wrk"
    subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=False)
    return shutil.which("wrk")


def public_urls():
    """The pages issue 6 names, from the demo content; apps that have no page yet are left out."""
    from wagtail.models import Page

    urls = {"home": "/nl/"}
    candidates = {
        "content page": "home.ContentPage",
        "kennisbank index": "kennisbank.KennisbankIndexPage",
        "article": "kennisbank.ArtikelPage",
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
    return urls


def production_env(static_root, page_cache):
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "cms.settings.production",
            "SECRET_KEY": "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
            "SECURE_SSL_REDIRECT": "false",
            "ALLOWED_HOSTS": "127.0.0.1,localhost,.localhost",
            "STATIC_ROOT": str(static_root),
            "DB_CONN_MAX_AGE": "600",
            "PAGE_CACHE_ENABLED": "true" if page_cache else "false",
            "LOG_LEVEL": "ERROR",
        }
    )
    if redis_available():
        env["REDIS_URL"] = "redis://127.0.0.1:6379/15"
    return env


def collect_static(static_root):
    # With the production storage, so that the hashed names and manifest exist as in production.
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity=0"],
        cwd=REPO_DIR,
        env=production_env(static_root, page_cache=False),
        check=True,
    )


def start_gunicorn(port, static_root, page_cache):
    env = production_env(static_root, page_cache)
    if "REDIS_URL" in env:
        # Each benchmark has a database of its own: cached pages, fragments and Wagtail's site
        # root paths of an earlier run must not answer for it.
        import redis

        redis.Redis.from_url(env["REDIS_URL"]).flushdb()
    command = [
        str(Path(sys.executable).with_name("gunicorn")),
        "cms.wsgi:application",
        "--workers=2",
        f"--bind=127.0.0.1:{port}",
        "--log-level=error",
    ]
    process = subprocess.Popen(command, cwd=REPO_DIR, env=env)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/robots.txt", timeout=2)
            return process
        except OSError:
            time.sleep(0.5)
    process.terminate()
    raise RuntimeError("gunicorn did not start")


def load(wrk, url, connections):
    # Warm the workers and caches first, then measure.
    subprocess.run([wrk, "-t2", f"-c{connections}", "-d2s", url], capture_output=True, check=False)
    output = subprocess.run(
        [wrk, "-t2", f"-c{connections}", f"-d{DURATION}", "-s", str(LUA_REPORT), url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    summary = json.loads(output.strip().splitlines()[-1])
    seconds = summary["duration_us"] / 1_000_000
    summary["rps"] = summary["requests"] / seconds
    return summary


def run(report):
    wrk = ensure_wrk()
    if not wrk:
        print("   wrk is not available: skipped")
        return
    call_command("load_demo", stdout=io.StringIO())
    static_root = Path(tempfile.mkdtemp(prefix="bench-static-"))
    collect_static(static_root)
    urls = public_urls()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    for page_cache in (True, False):
        server = start_gunicorn(port, static_root, page_cache)
        try:
            mode = "cache on" if page_cache else "cache off"
            summary = load(wrk, base + urls["home"], 8)
            report(f"home, 8 clients, {mode}: requests/s", summary["rps"], "req/s", ">= 300")
            report(f"home, 8 clients, {mode}: p95", summary["p95_us"] / 1000, "ms", "< 50")
            report(
                f"home, 8 clients, {mode}: errors",
                summary["socket_errors"] + summary["non_2xx"],
                "",
                "== 0",
            )
            if not page_cache:
                continue
            for label, path in urls.items():
                summary = load(wrk, base + path, 16)
                report(f"{label}, 16 clients: requests/s", summary["rps"], "req/s", ">= 500")
                report(f"{label}, 16 clients: p99", summary["p99_us"] / 1000, "ms", "< 100")
                report(
                    f"{label}, 16 clients: errors",
                    summary["socket_errors"] + summary["non_2xx"],
                    "",
                    "== 0",
                )
            static_path = settings.STATIC_URL + "css/print.css"
            summary = load(wrk, base + static_path, 8)
            report("static file (WhiteNoise), 8 clients", summary["rps"], "req/s")
        finally:
            server.terminate()
            server.wait(timeout=30)
    shutil.rmtree(static_root, ignore_errors=True)
