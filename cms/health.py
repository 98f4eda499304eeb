"""``/health/`` for a load balancer: can this app server answer real requests?

It checks what every page needs: the database (``SELECT 1``), the cache (a set and get of a
per-request key) and, when the kennisbank uses Elasticsearch, a ping of the cluster. The answer is
``200 {"status": "ok", ...}`` or ``503 {"status": "error", ...}`` with one word per check, never an
exception text, version or host name (the endpoint is public). It lives outside the language
prefixes, is exempt from the HTTPS redirect in production (load balancers probe plain HTTP) and is
never cached (``Cache-Control: no-store``, which the anonymous page cache also respects).
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
            logger.exception("Health check %s failed", name)
            results[name] = "error"
        else:
            results[name] = "ok"
    return results


@never_cache
@require_http_methods(["GET", "HEAD"])
def health(request):
    results = run_checks()
    healthy = all(value == "ok" for value in results.values())
    response = JsonResponse(
        {"status": "ok" if healthy else "error", "checks": results},
        status=200 if healthy else 503,
    )
    response["Cache-Control"] = "no-store"
    return response
