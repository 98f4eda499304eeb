"""The /health/ endpoint a load balancer polls."""

import json
from unittest import mock

import pytest

from django.core.cache import cache
from django.test import override_settings

pytestmark = pytest.mark.django_db


def test_healthy_site_answers_ok(client):
    response = client.get("/health/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "no-store" in response["Cache-Control"]
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "cache": "ok"}}


def test_failing_cache_answers_degraded_without_details(client):
    with mock.patch.object(cache, "set", side_effect=ConnectionError("redis://secret@host down")):
        response = client.get("/health/")
    # Pages still come from the database: the load balancer must keep sending traffic.
    assert response.status_code == 200
    body = response.json()
    assert body == {"status": "degraded", "checks": {"database": "ok", "cache": "error"}}
    assert "secret" not in response.content.decode()


def test_failing_database_answers_503(client):
    with mock.patch("cms.health.check_database", side_effect=RuntimeError("down")):
        response = client.get("/health/")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "checks": {"database": "error", "cache": "ok"}}


def test_required_checks_decide_what_is_fatal(client, settings):
    settings.REQUIRED_CHECKS = ["database", "cache"]
    with mock.patch("cms.health.check_cache", side_effect=RuntimeError("down")):
        response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["status"] == "error"


def test_search_is_checked_only_when_elasticsearch_is_configured(client):
    with (
        override_settings(
            KENNISBANK_SEARCH_ENGINE="elasticsearch", ELASTICSEARCH_URL="http://127.0.0.1:1"
        ),
        mock.patch("elasticsearch.Elasticsearch.ping", return_value=False),
    ):
        response = client.get("/health/")
    assert response.status_code == 200
    assert response.json()["status"] == "degraded"
    assert response.json()["checks"]["search"] == "error"
    with mock.patch("cms.health.check_search") as check_search:
        assert "search" not in client.get("/health/").json()["checks"]
    check_search.assert_not_called()


def test_health_is_never_served_from_the_page_cache(client):
    with override_settings(PAGE_CACHE_ENABLED=True):
        client.get("/health/")
        response = client.get("/health/")
    assert "X-Page-Cache" not in response
    cache.clear()


def test_health_refuses_writes(client):
    assert client.post("/health/").status_code == 405


def test_health_output_names_no_versions(client):
    text = json.dumps(client.get("/health/").json()).lower()
    assert "django" not in text
    assert "wagtail" not in text
