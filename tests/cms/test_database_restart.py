"""A real PostgreSQL server stopped under gunicorn: clean 503 pages while it is down (or a page a
worker can serve from memory), then recovery without restarting anything.

``tests/cms/test_errors.py`` checks the 503 page with a refused connection simulated in-process;
this stops a real server. The test database (with a home page made by the fixtures) is copied into
a PostgreSQL cluster of the test's own (the machine's server is shared and must keep running),
gunicorn serves it with two workers and persistent connections (``DB_CONN_MAX_AGE``, as in
production), and the cluster is stopped with ``pg_ctl -m fast`` — every connection cut, as in a
restart or failover — and started again.

It needs a PostgreSQL test database to copy (running every migration into a new cluster takes
about 80 s), so it runs in ``.ci/run``'s PostgreSQL phase; on SQLite it is skipped, saying so.
"""

import json
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from django.conf import settings
from django.db import connection

from tests.postgres_server import PostgresServer, postgres_bin_dir
from tests.redis_server import free_port

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

REPO_DIR = Path(__file__).resolve().parents[2]
DOWN_TEXT = "De website is even niet bereikbaar"


@pytest.fixture
def own_postgres(wagtail_roots, home_page):
    if connection.vendor != "postgresql":
        pytest.skip(
            "copies the PostgreSQL test database into a server of its own: runs with "
            "DATABASE_URL=postgres://… (.ci/run's PostgreSQL phase)"
        )
    if postgres_bin_dir() is None:
        pytest.skip("PostgreSQL's initdb and pg_ctl are not installed (apt-get install postgresql)")
    server = PostgresServer(settings={"fsync": "off"})
    try:
        server.init()
        server.start()
        server.wait_ready()
        # The fixtures' rows are committed (transactional test), so the copy has the home page.
        url = server.copy_database(connection.settings_dict, "site")
        yield server, url
    finally:
        server.destroy()


@pytest.fixture
def gunicorn(own_postgres, tmp_path):
    server, database_url = own_postgres
    port = free_port()
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "cms.settings.dev",
        "DEBUG": "false",
        "SECRET_KEY": settings.SECRET_KEY,
        "DATABASE_URL": database_url,
        "DB_CONN_MAX_AGE": "600",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "WAGTAILADMIN_BASE_URL": "http://localhost",
    }
    process = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "-c",
            "cms/gunicorn.conf.py",
            "cms.wsgi:application",
            "--workers=2",
            f"--bind=127.0.0.1:{port}",
            "--access-logfile=/dev/null",
            "--log-level=warning",
        ],
        cwd=REPO_DIR,
        env=env,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while fetch(f"{base}/health/")[0] != 200:
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError("gunicorn did not start")
            time.sleep(0.3)
        yield server, base, process
    finally:
        process.terminate()
        process.wait(timeout=30)


def fetch(url):
    request = urllib.request.Request(url, headers={"Host": "localhost"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()
    except OSError:
        return None, ""


def worker_pids(process):
    children = Path(f"/proc/{process.pid}/task/{process.pid}/children").read_text()
    return sorted(int(pid) for pid in children.split())


def test_a_stopped_database_gives_clean_503_pages_and_recovery_needs_no_restart(gunicorn):
    server, base, process = gunicorn
    # Enough requests that both workers hold a persistent connection before the stop.
    before = [fetch(f"{base}/nl/") for _ in range(10)]
    assert {status for status, _ in before} == {200}
    assert "Netwerk Stadsdorpen" in before[0][1]
    workers = worker_pids(process)

    server.stop(mode="fast")
    # A worker that has the home page's routing, settings and lists in memory for the current
    # content generation serves it without the database (nothing can change while it is down);
    # everything else that needs the database answers the clean 503 page.
    down = [fetch(f"{base}/nl/") for _ in range(10)]
    down.append(fetch(f"{base}/nl/pagina-die-niet-in-het-geheugen-staat/"))
    assert {status for status, _ in down} <= {200, 503}
    assert down[-1][0] == 503
    for status, text in down:
        assert "Traceback" not in text
        assert "OperationalError" not in text
        assert (DOWN_TEXT if status == 503 else "Netwerk Stadsdorpen") in text
    status, text = fetch(f"{base}/health/")
    assert status == 503
    assert json.loads(text)["checks"]["database"] == "error"

    server.start()
    server.wait_ready()
    deadline = time.monotonic() + 10
    while fetch(f"{base}/nl/")[0] != 200:
        assert time.monotonic() < deadline, "the site did not recover within 10 s"
        time.sleep(0.2)
    after = [fetch(f"{base}/nl/") for _ in range(10)]
    assert {status for status, _ in after} == {200}
    assert fetch(f"{base}/health/")[0] == 200
    # Recovered by the same processes: gunicorn and its workers were not restarted.
    assert process.poll() is None
    assert worker_pids(process) == workers
