"""Security headers on the public site and the admin, and what uploads may become."""

import os
import subprocess
import sys

import pytest

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from wagtail.documents.models import Document
from wagtail.images import get_image_model

from cms.security import PERMISSIONS_POLICY, s3_media_origin
from tests.conftest import login_with_second_factor

Image = get_image_model()

pytestmark = pytest.mark.django_db


def directives(header):
    parsed = {}
    for part in header.split(";"):
        name, *values = part.split()
        parsed[name] = values
    return parsed


@pytest.fixture
def editor(db):
    return User.objects.create_superuser("beheer", "beheer@example.org", "een-lang-wachtwoord")


def test_public_page_has_a_strict_content_security_policy(client, home_page):
    response = client.get("/nl/")
    assert response.status_code == 200
    policy = directives(response["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"].split("style-src-attr")[0]
    assert policy["img-src"] == ["'self'", "data:"]
    assert "https://www.youtube-nocookie.com" in policy["frame-src"]
    assert "https://player.vimeo.com" in policy["frame-src"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["form-action"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]


def test_public_page_has_the_other_security_headers(client, home_page):
    response = client.get("/nl/")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["Permissions-Policy"] == PERMISSIONS_POLICY
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]


def test_cached_pages_keep_the_security_headers(client, home_page):
    from django.core.cache import cache

    client.get("/nl/")  # first reads create site settings, which would invalidate the cache
    cache.clear()
    with override_settings(PAGE_CACHE_ENABLED=True):
        client.get("/nl/")
        response = client.get("/nl/")
    cache.clear()
    assert response["X-Page-Cache"] == "hit"
    assert directives(response["Content-Security-Policy"])["script-src"] == ["'self'"]
    assert response["X-Frame-Options"] == "DENY"


def test_admin_login_still_works_under_its_own_policy(client):
    response = client.get("/admin/login/")
    assert response.status_code == 200
    policy = directives(response["Content-Security-Policy"])
    assert "'unsafe-inline'" in policy["script-src"]
    assert policy["frame-ancestors"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    # Found in Chromium: the dashboard's upgrade check and Gravatar avatars.
    assert "https://releases.wagtail.org" in policy["connect-src"]
    assert "www.gravatar.com" in policy["img-src"]


def test_admin_dashboard_loads_for_an_editor(client, editor, home_page):
    login_with_second_factor(client, editor)
    response = client.get("/admin/")
    assert response.status_code == 200
    assert "Content-Security-Policy" in response


def test_report_only_mode_uses_the_report_only_header(client, home_page):
    with override_settings(CSP_REPORT_ONLY=True):
        from cms.security import SecurityHeadersMiddleware

        middleware = SecurityHeadersMiddleware(lambda request: client.get("/nl/"))
        # The middleware reads the setting once, when the server starts.
        assert middleware.header == "Content-Security-Policy-Report-Only"


def test_media_on_another_host_is_allowed_as_images():
    from cms.security import public_policy

    with override_settings(MEDIA_URL="https://media.example.org/site/"):
        policy = directives(public_policy())
    assert "https://media.example.org" in policy["img-src"]


# Uploads -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["aanval.html", "logo.svg", "script.js", "pagina.htm"])
def test_documents_of_dangerous_types_are_refused(name):
    document = Document(title="Aanval", file=ContentFile(b"<script>alert(1)</script>", name=name))
    with pytest.raises(ValidationError) as error:
        document.full_clean()
    assert "file" in error.value.message_dict


def test_admin_refuses_an_html_document_upload(client, editor):
    login_with_second_factor(client, editor)
    response = client.post(
        "/admin/documents/add/",
        {
            "title": "Aanval",
            "file": SimpleUploadedFile("aanval.html", b"<script>alert(1)</script>", "text/html"),
            "collection": 1,
        },
    )
    assert response.status_code == 200  # the form again, with an error
    assert not Document.objects.filter(title="Aanval").exists()


def test_admin_refuses_an_svg_image(client, editor):
    login_with_second_factor(client, editor)
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    response = client.post(
        "/admin/images/add/",
        {
            "title": "Logo",
            "file": SimpleUploadedFile("logo.svg", svg, "image/svg+xml"),
            "collection": 1,
        },
    )
    assert response.status_code == 200
    assert not Image.objects.filter(title="Logo").exists()


def test_a_docx_is_served_as_an_attachment(client, home_page):
    document = Document.objects.create(
        title="Notulen", file=ContentFile(b"PK\x03\x04 not really a docx", name="notulen.docx")
    )
    response = client.get(document.url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    document.file.delete(save=False)


def test_a_pdf_is_served_inline_in_a_sandbox(client, home_page):
    document = Document.objects.create(
        title="Onderzoek", file=ContentFile(b"%PDF-1.4\n%%EOF\n", name="onderzoek.pdf")
    )
    response = client.get(document.url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("inline")
    # Wagtail's own sandboxing policy wins over the site's page policy.
    assert response["Content-Security-Policy"] == "default-src 'none'"
    document.file.delete(save=False)


def test_a_preview_can_be_shown_in_the_editors_preview_panel(rf, editor, home_page):
    """Wagtail renders a preview as a request for the page's public URL, through the middleware;
    the admin shows it in a frame, so the public ``frame-ancestors 'none'`` would blank it."""
    request = rf.get("/admin/pages/preview/")
    request.user = editor
    response = home_page.specific.make_preview_request(request, preview_mode="")
    assert response.status_code == 200
    policy = directives(response["Content-Security-Policy"])
    assert policy["frame-ancestors"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert response["X-Frame-Options"] == "SAMEORIGIN"


def test_favicon_is_found(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("favicon.svg")


def test_production_checks_run_before_collectstatic(tmp_path):
    """The deploy checks import the URLconf on a machine where collectstatic has not run yet: no
    URL may resolve a hashed static name at import time."""
    # Only the environment a deployment has: other tests in this process may have set
    # DJANGO_ALLOW_ASYNC_UNSAFE, which the deploy checks rightly refuse.
    inherited = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    environ = {
        **inherited,
        "DJANGO_SETTINGS_MODULE": "cms.settings.production",
        "SECRET_KEY": "a-test-secret-that-is-long-enough-for-the-deploy-check-0123456789",
        "ALLOWED_HOSTS": "example.org",
        "WAGTAILADMIN_BASE_URL": "https://example.org",
        "STATIC_ROOT": str(tmp_path / "static"),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]


@pytest.mark.parametrize(
    ("environ", "origin"),
    [
        (
            {"AWS_STORAGE_BUCKET_NAME": "foto", "AWS_S3_CUSTOM_DOMAIN": "media.example.org"},
            "https://media.example.org",
        ),
        (
            {
                "AWS_STORAGE_BUCKET_NAME": "foto",
                "AWS_S3_ENDPOINT_URL": "https://s3.nl-ams.scw.cloud",
            },
            "https://s3.nl-ams.scw.cloud",
        ),
        (
            {"AWS_STORAGE_BUCKET_NAME": "foto", "AWS_S3_REGION_NAME": "eu-west-1"},
            "https://foto.s3.eu-west-1.amazonaws.com",
        ),
        ({"AWS_STORAGE_BUCKET_NAME": "foto"}, "https://foto.s3.amazonaws.com"),
    ],
)
def test_the_s3_media_origin_is_derived_from_the_storage_settings(environ, origin):
    assert s3_media_origin(environ) == origin


def test_production_with_a_bucket_allows_its_images_in_the_public_csp(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.production",
        "SECRET_KEY": "test-only-secret-key-for-a-settings-import-0123456789abcdef",
        "AWS_STORAGE_BUCKET_NAME": "foto",
        "AWS_S3_ENDPOINT_URL": "https://s3.nl-ams.scw.cloud",
        "CSP_EXTRA_IMG_SRC": "https://cdn.example.org",
    }
    script = (
        "import django; django.setup(); from cms.security import public_policy; "
        "print(public_policy())"
    )
    policy = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    ).stdout
    img_src = next(part for part in policy.split("; ") if part.startswith("img-src"))
    assert "https://s3.nl-ams.scw.cloud" in img_src
    assert "https://cdn.example.org" in img_src
