"""JSON logs with request ids, and the production settings that read the environment."""

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

from cms.structured_logging import JsonFormatter, RequestIdFilter, request_id_var

REPO_DIR = Path(__file__).resolve().parents[2]


def format_record(message, *args, level=logging.INFO, exc_info=None, **extra):
    record = logging.LogRecord("kennisbank.search", level, __file__, 1, message, args, exc_info)
    for name, value in extra.items():
        setattr(record, name, value)
    RequestIdFilter().filter(record)
    return JsonFormatter().format(record)


def test_formatter_writes_one_valid_json_object_per_record():
    line = format_record('Zoekopdracht "%s" duurde %d ms', "binnenbuurt\nkoffie", 12)
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["level"] == "INFO"
    assert entry["logger"] == "kennisbank.search"
    assert entry["message"] == 'Zoekopdracht "binnenbuurt\nkoffie" duurde 12 ms'
    assert entry["time"].endswith("+00:00")


def test_formatter_keeps_extra_fields_and_exceptions():
    try:
        raise ValueError("kapot")
    except ValueError:
        line = format_record("Mislukt", level=logging.ERROR, exc_info=sys.exc_info(), items=3)
    entry = json.loads(line)
    assert entry["level"] == "ERROR"
    assert entry["items"] == 3
    assert "ValueError: kapot" in entry["exception"]


def test_request_id_is_added_while_a_request_is_served(client, db):
    response = client.get("/health/", HTTP_X_REQUEST_ID="proxy-id-12345")
    assert response["X-Request-ID"] == "proxy-id-12345"
    generated = client.get("/health/")["X-Request-ID"]
    assert len(generated) == 32
    token = request_id_var.set("abc123def456")
    try:
        assert json.loads(format_record("binnen een verzoek"))["request_id"] == "abc123def456"
    finally:
        request_id_var.reset(token)


def test_request_ids_that_could_inject_log_lines_are_replaced(client, db):
    response = client.get("/health/", HTTP_X_REQUEST_ID='x"\n{"level": "CRITICAL"}')
    assert response["X-Request-ID"] != 'x"\n{"level": "CRITICAL"}'
    assert len(response["X-Request-ID"]) == 32


def production_settings(**environment):
    """Imports the production settings in a fresh interpreter with the given environment."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SENTRY", "AWS_", "FRONTEND_CACHE", "LOG_"))
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "cms.settings.production",
            "SECRET_KEY": "test-only-production-secret-key-0123456789-abcdefghijklmnop",
            **environment,
        }
    )
    script = (
        "import json, sentry_sdk; from django.conf import settings; settings.DEBUG; "
        "client = sentry_sdk.get_client(); "
        "print(json.dumps({"
        "'formatter': settings.LOGGING['formatters']['default'], "
        "'storage': settings.STORAGES['default']['BACKEND'], "
        "'frontend': getattr(settings, 'WAGTAILFRONTENDCACHE', None), "
        "'sentry': client.is_active(), "
        "'pii': client.options.get('send_default_pii') if client.is_active() else None}))"
    )
    completed = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO_DIR, env=env, capture_output=True, text=True
    )
    assert completed.returncode == 0, completed.stderr
    return json.loads(completed.stdout.strip().splitlines()[-1])


def test_production_defaults_to_json_logs_without_optional_services():
    values = production_settings()
    assert values["formatter"] == {"()": "cms.structured_logging.JsonFormatter"}
    assert values["storage"] == "django.core.files.storage.FileSystemStorage"
    assert values["frontend"] is None
    assert values["sentry"] is False


def test_production_enables_sentry_s3_and_cdn_purging_only_when_configured():
    values = production_settings(
        LOG_FORMAT="text",
        SENTRY_DSN="https://public@sentry.example.org/1",
        AWS_STORAGE_BUCKET_NAME="stadsdorpen-media",
        FRONTEND_CACHE_BACKEND="varnish",
        FRONTEND_CACHE_LOCATION="http://varnish:8000",
    )
    assert "format" in values["formatter"]
    assert values["sentry"] is True
    assert values["pii"] is False
    assert values["storage"] == "storages.backends.s3.S3Storage"
    assert values["frontend"]["varnish"]["LOCATION"] == "http://varnish:8000"
