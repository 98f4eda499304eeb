"""Production's static files storage: WhiteNoise's manifest, each address looked up once."""

import json

import pytest

from cms.static_storage import StaticFilesStorage


@pytest.fixture
def storage(tmp_path, settings):
    settings.STATIC_URL = "/static/"
    manifest = {"paths": {"css/site.css": "css/site.1234abcd.css"}, "version": "1.1"}
    (tmp_path / "staticfiles.json").write_text(json.dumps(manifest))
    return StaticFilesStorage(location=tmp_path, base_url="/static/")


def test_the_address_is_the_manifests_hashed_name(storage):
    assert storage.url("css/site.css") == "/static/css/site.1234abcd.css"


def test_an_address_is_looked_up_once(storage):
    storage.url("css/site.css")
    storage.hashed_files["css/site.css"] = "css/site.changed.css"  # no worker sees this happen
    assert storage.url("css/site.css") == "/static/css/site.1234abcd.css"
    assert storage.url("css/site.css", force=True) == "/static/css/site.changed.css"


def test_a_file_missing_from_the_manifest_is_an_error_every_time(storage):
    for _attempt in range(2):
        with pytest.raises(ValueError, match="Missing staticfiles manifest entry"):
            storage.url("css/bestaat-niet.css")
