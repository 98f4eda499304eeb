"""``/health/`` for a load balancer: can this app server answer real requests?

It checks the database (``SELECT 1``), the cache (a ping, or a set and get of a per-request key
for caches that cannot ping) and, when the kennisbank uses Elasticsearch, a ping of the cluster.
Only the checks in ``REQUIRED_CHECKS`` (default: the database) make the server unhealthy: without
the cache pages come from the database (``cms/cache.py``), without Elasticsearch the kennisbank
falls back to the database engine, so taking the server out of the load balancer would only
make things worse. The answers:

* ``200 {"status": "ok", "checks": {...}}``;
* ``200 {"status": "degraded", "checks": {..., "cache": "error"}}`` — serving, but slower;
* ``503 {"status": "error", "checks": {"database": "error", ...}}`` — a required check failed.

One word per check, never an exception text, version or host name (the endpoint is public). It
lives outside the language prefixes, is exempt from the HTTPS redirect in production (load
balancers probe plain HTTP) and is never cached (``Cache-Control: no-store``, which the anonymous
page cache also respects). It touches no session or user, so it answers while the database is away.
"""

import logging
import uuid

from elasticsearch import Elasticsearch

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

logger = logging.getLogger(__name__)


def check_database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        if cursor.fetchone()[0] != 1:
            raise RuntimeError("unexpected answer")


def check_cache():
    if hasattr(cache, "is_available"):  # cms.cache.ResilientRedisCache never raises
        if not cache.is_available():
            raise RuntimeError("cache unreachable")
        return
    key = f"health:{uuid.uuid4().hex}"
    cache.set(key, "ok", timeout=10)
    try:
        if cache.get(key) != "ok":
            raise RuntimeError("value not read back")
    finally:
        cache.delete(key)


def search_configured():
    return getattr(settings, "KENNISBANK_SEARCH_ENGINE", "") == "elasticsearch" and bool(
        getattr(settings, "ELASTICSEARCH_URL", "")
    )


def check_search():
    client = Elasticsearch(settings.ELASTICSEARCH_URL, request_timeout=2, max_retries=0)
    try:
        if not client.ping():
            raise RuntimeError("no answer")
    finally:
        client.close()


def run_checks():
    checks = {"database": check_database, "cache": check_cache}
    if search_configured():
        checks["search"] = check_search
    results = {}
    for name, check in checks.items():
        try:
            check()
        except Exception:
            # The details go to the log, not to the public answer.
            logger.warning("Health check %s failed", name, exc_info=True)
            results[name] = "error"
        else:
            results[name] = "ok"
    return results


def overall_status(results):
    required = set(getattr(settings, "REQUIRED_CHECKS", ["database"]))
    failing = {name for name, value in results.items() if value != "ok"}
    if failing & required:
        return "error"
    return "degraded" if failing else "ok"


@never_cache
@require_http_methods(["GET", "HEAD"])
def health(request):
    results = run_checks()
    status = overall_status(results)
    response = JsonResponse(
        {"status": status, "checks": results}, status=503 if status == "error" else 200
    )
    response["Cache-Control"] = "no-store"
    return response
