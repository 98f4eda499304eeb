"""The public address: one setting, checked in production, and the Site made to agree with it."""

import pytest

from django.core import checks
from django.core.management import call_command

from wagtail.models import Site

from cms import public_url


@pytest.mark.parametrize(
    ("value", "errors"),
    [
        ("", ["cms.E001"]),
        ("http://www.example.org", ["cms.E002"]),
        ("https://", ["cms.E002"]),
        ("https://www.example.org", []),
        ("https://www.example.org/", []),
    ],
)
def test_deploy_check_wants_an_https_base_url(settings, value, errors):
    settings.WAGTAILADMIN_BASE_URL = value
    assert [error.id for error in public_url.check_public_base_url()] == errors


def test_the_deploy_check_is_registered_for_check_deploy(settings):
    settings.WAGTAILADMIN_BASE_URL = ""
    found = checks.run_checks(include_deployment_checks=True, tags=[checks.Tags.security])
    assert "cms.E001" in {error.id for error in found}
    assert "cms.E001" not in {error.id for error in checks.run_checks(tags=["security"])}


def test_absolute_and_host(settings):
    settings.WAGTAILADMIN_BASE_URL = "https://stadsdorpen.example.org:8443/"
    assert public_url.absolute("/nl/agenda/") == "https://stadsdorpen.example.org:8443/nl/agenda/"
    assert public_url.absolute("https://elders.example/x") == "https://elders.example/x"
    assert public_url.host() == "stadsdorpen.example.org"
    assert public_url.site_address() == ("stadsdorpen.example.org", 8443)
    settings.WAGTAILADMIN_BASE_URL = "https://stadsdorpen.example.org"
    assert public_url.site_address() == ("stadsdorpen.example.org", 443)


@pytest.mark.django_db
def test_sync_site_address_gives_the_default_site_the_public_host_and_port(settings, home_page):
    settings.WAGTAILADMIN_BASE_URL = "http://127.0.0.1:8801"
    call_command("sync_site_address", stdout=open("/dev/null", "w"))  # noqa: SIM115
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port) == ("127.0.0.1", 8801)
    home_page.refresh_from_db()
    assert home_page.full_url == "http://127.0.0.1:8801/nl/"
    assert public_url.sync_default_site() is False  # already right
