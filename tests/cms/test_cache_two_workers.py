"""Two gunicorn worker processes sharing one Redis, as in production.

The anonymous page cache's invalidation (a generation counter in Redis) and the sessions must work
across processes: a publish in one process empties the cached pages of every worker, a member
logged in once is logged in on every worker, and Redis going away and coming back needs no
restart of anything. Which worker answered is read from gunicorn's access log (``%(p)s``).
"""

import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client

from wagtail.models import PageViewRestriction

from home.models import HomePage, SiteSettings
from tests.redis_server import free_port

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]

REPO_DIR = Path(__file__).resolve().parents[2]
PREFIX = "stadsdorpen"  # base.py's, which the workers use


def database_url():
    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{database['NAME']}"
    user = database.get("USER") or "postgres"
    host = database.get("HOST") or "127.0.0.1"
    port = database.get("PORT") or 5432
    return f"postgres://{user}@{host}:{port}/{database['NAME']}"


@pytest.fixture
def workers(tmp_path, redis_cache, settings):
    settings.CACHES = {
        **settings.CACHES,
        "default": {**settings.CACHES["default"], "KEY_PREFIX": PREFIX},
    }
    port = free_port()
    log = tmp_path / "access.log"
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "cms.settings.dev",
        "DEBUG": "false",
        # The session's auth hash is keyed with it: the same as this process's.
        "SECRET_KEY": settings.SECRET_KEY,
        "DATABASE_URL": database_url(),
        "REDIS_URL": redis_cache.url,
        "CACHE_BREAKER_SECONDS": "0.2",
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
    }
    process = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "-c",
            "cms/gunicorn.conf.py",
            "cms.wsgi:application",
            "--workers=2",
            f"--bind=127.0.0.1:{port}",
            f"--access-logfile={log}",
            "--access-logformat=%(p)s %(U)s %(s)s %({x-page-cache}o)s",
            "--log-level=warning",
        ],
        cwd=REPO_DIR,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(f"{base}/health/", timeout=2)
            break
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.terminate()
                raise RuntimeError("gunicorn did not start") from None
            time.sleep(0.3)
    yield base, log
    process.terminate()
    process.wait(timeout=30)


def fetch(url, cookie=None):
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def many(url, count=40, cookie=None):
    with ThreadPoolExecutor(8) as pool:
        return list(pool.map(lambda _: fetch(url, cookie), range(count)))


def log_lines(log, after=0):
    time.sleep(0.3)  # gunicorn writes the access log line after the response
    lines = log.read_text().splitlines()[after:]
    return [line.split() for line in lines], after + len(lines)


def by_worker(entries, path):
    seen = defaultdict(list)
    for pid, logged_path, status, *page_cache in entries:
        if logged_path == path:
            seen[pid].append((status, page_cache[0] if page_cache else "-"))
    return seen


def test_two_workers_share_page_cache_invalidation_and_sessions(
    workers, redis_cache, wagtail_roots, home_page
):
    base, log = workers
    SiteSettings.load()
    private = home_page.add_child(instance=HomePage(title="Alleen voor leden", slug="leden"))
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    # One worker renders the page, then both serve the copy in Redis.
    assert fetch(f"{base}/nl/")[0] == 200
    _, seen = log_lines(log)
    answers = many(f"{base}/nl/")
    assert all(status == 200 for status, _ in answers)
    entries, seen = log_lines(log, seen)
    workers_seen = by_worker(entries, "/nl/")
    assert len(workers_seen) == 2, "both workers must have answered"
    cached = [cached for answers_of in workers_seen.values() for _, cached in answers_of]
    assert set(cached) == {"hit"}, workers_seen

    # A publish in this process reaches both workers' cached pages.
    home_page.title = "Nieuw op het netwerk"
    home_page.save_revision().publish()
    answers = many(f"{base}/nl/")
    assert all("Nieuw op het netwerk" in body for _, body in answers)

    # A session made here is valid on both workers.
    member = User.objects.create_user("lid", "lid@example.org", "een-lang-wachtwoord")
    client = Client()
    client.force_login(member)
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    assert fetch(f"{base}/nl/leden/")[0] == 200  # follows the redirect to the login page
    answers = many(f"{base}/nl/leden/", cookie=cookie)
    assert all(status == 200 and "Alleen voor leden" in body for status, body in answers)
    entries, seen = log_lines(log, seen)
    assert len(by_worker(entries, "/nl/leden/")) == 2

    # Redis away: every page still 200, sessions still valid, health degraded.
    redis_cache.stop()
    answers = many(f"{base}/nl/") + many(f"{base}/nl/leden/", cookie=cookie)
    assert all(status == 200 for status, _ in answers)
    assert all("Alleen voor leden" in body for _, body in answers[40:])
    status, body = fetch(f"{base}/health/")
    assert status == 200 and '"degraded"' in body
    entries, seen = log_lines(log, seen)
    assert not [entry for entry in entries if entry[2].startswith("5")]

    # Redis back: cached speed again on both workers, without restarting them.
    redis_cache.start()
    time.sleep(0.5)
    for _ in range(3):
        many(f"{base}/nl/", count=16)
    entries, seen = log_lines(log, seen)
    hits = {
        pid for pid, cached in ((e[0], e[3]) for e in entries if e[1] == "/nl/") if cached == "hit"
    }
    assert len(hits) == 2
    status, body = fetch(f"{base}/health/")
    assert status == 200 and '"ok"' in body
