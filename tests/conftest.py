"""Fixtures shared by the whole suite."""

import os

import pytest

from django.utils import translation

from wagtail.models import Locale, Page, Site

from cms.cache import reset_breakers
from home import fragments
from kennisbank.search import service as search_service
from tests.redis_server import RedisServer, redis_binary

REDIS_TEST_BREAKER_SECONDS = 0.2
REDIS_TEST_OUTAGE_SECONDS = 1.0


def login_with_second_factor(client, user):
    """Log ``user`` in as after both steps: password, then a code from an enrolled app.

    What ``django_otp.login`` does at the end of the real code step (tests/cms/accounts and the
    browser tests go through the steps themselves).
    """
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator-app", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


@pytest.fixture(autouse=True)
def default_language():
    """Django leaves the language of the last request (an English page's) active in the thread:
    every test starts in the site's default language, whatever ran before it."""
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def search_counts(monkeypatch):
    """Each test counts its own searches: none are left for a later test to write."""
    counts = search_service.SearchCounts()
    monkeypatch.setattr(search_service, "search_counts", counts)
    return counts


@pytest.fixture
def admin_client(client, admin_user):
    """pytest-django's ``admin_client``, after both login steps (administrators need 2FA)."""
    return login_with_second_factor(client, admin_user)


@pytest.fixture
def locales(db):
    dutch, _ = Locale.objects.get_or_create(language_code="nl")
    english, _ = Locale.objects.get_or_create(language_code="en")
    return dutch, english


@pytest.fixture
def home_page(locales):
    """A Dutch home page as the default site's root, like the real site has."""
    from home.models import HomePage

    root = Page.get_first_root_node()
    home = root.add_child(instance=HomePage(title="Netwerk Stadsdorpen", slug="home-test"))
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "port": 80, "root_page": home, "site_name": "Test"},
    )
    return home


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """Put the SQLite test database in a file so threads (concurrency test) share it.

    pytest-django would use an in-memory database; threads then get a shared-cache database that
    answers "table is locked" at once instead of waiting for the write lock. PostgreSQL is left
    alone. It lives here so that the whole suite, not only tests/events, runs on a file database:
    the concurrency tests of sign-ups then really run in `make test`.
    """
    import os

    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        suffix = os.environ.get("PYTEST_XDIST_WORKER", "main")
        database.setdefault("TEST", {})["NAME"] = (
            f"/tmp/stadsdorpen-test-{os.getpid()}-{suffix}.sqlite3"
        )


@pytest.fixture
def wagtail_roots(transactional_db):
    """A transactional test's flush also removes what migrations created (the root page and root
    collection); put them back for the tests that need them."""
    from wagtail.models import Collection

    locale, _ = Locale.objects.get_or_create(language_code="nl")
    if not Page.get_first_root_node():
        Page.add_root(instance=Page(title="Root", slug="root", locale=locale))
    if not Collection.get_first_root_node():
        Collection.add_root(name="Root")


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory):
    """A real Redis for this test session; skipped where ``redis-server`` is not installed.

    CI installs it (``.ci/run``), and there a missing server fails instead of skipping, so the
    Redis tests can never pass by not running.
    """
    if redis_binary() is None:
        if os.environ.get("CI"):
            pytest.fail("redis-server is not installed; .ci/run installs it")
        pytest.skip("redis-server is not installed (apt-get install redis-server)")
    server = RedisServer(tmp_path_factory.mktemp("redis"))
    server.start()
    yield server
    server.stop()


@pytest.fixture
def redis_cache(redis_server, settings):
    """Production's cache and sessions on the real Redis for one test, empty at start and end.

    The backend is production's ``cms.cache.ResilientRedisCache`` with a short circuit breaker
    (0.2 s instead of 3 s) so that tests that stop Redis see it come back quickly, and an outage
    memory of 1 s instead of 5 s.
    """
    redis_server.start()  # a test may have stopped it
    redis_server.flush()
    reset_breakers()
    settings.CACHES = {
        "default": {
            "BACKEND": "cms.cache.ResilientRedisCache",
            "LOCATION": redis_server.url,
            "KEY_PREFIX": "stadsdorpen-test",
            "BREAKER_SECONDS": REDIS_TEST_BREAKER_SECONDS,
            "OUTAGE_SECONDS": REDIS_TEST_OUTAGE_SECONDS,
        }
    }
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    yield redis_server
    redis_server.start()
    redis_server.flush()
    reset_breakers()


@pytest.fixture
def task_worker(transactional_db, wagtail_roots, settings):
    """Production's task queue (django-tasks-db) for one test, and a way to run its real worker.

    ``task_worker()`` runs ``manage.py db_worker --batch``: every task that is due is taken from
    the database and run, as the worker process does in production, then it returns. The worker
    commits as it goes (and closes connections that are inside a transaction), so these tests
    run on a transactional database.
    """
    from django.core.management import call_command

    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks_db.DatabaseBackend",
            "QUEUES": ["default", "newsletters"],
        }
    }

    def run():
        call_command("db_worker", "--batch", "--no-startup-delay", "--queue-name=*", verbosity=0)

    return run


@pytest.fixture
def settings_rows(db):
    """The site's settings rows, made before a test counts shared fragments: the first page view
    would otherwise create them, a content write that empties the cache."""
    from home.models import NavigationSettings, SiteSettings

    SiteSettings.load()
    NavigationSettings.load()


@pytest.fixture
def fragment_builds(monkeypatch):
    """(parts of the key, stored value) of every shared fragment built during the test."""
    calls = []
    original = fragments.cached

    def recording(parts, build, timeout=fragments.TIMEOUT):
        def recorded():
            value = build()
            calls.append((parts, value))
            return value

        return original(parts, recorded, timeout)

    monkeypatch.setattr(fragments, "cached", recording)
    return calls
