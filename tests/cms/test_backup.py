"""Backup and restore round trip: create content, back up, wipe, restore, compare.

Runs on SQLite and on PostgreSQL:
``DATABASE_URL=postgres://postgres@127.0.0.1:5432/ops .venv/bin/pytest tests/cms/test_backup.py``
"""

import io
import json
import os
import re
import shutil
import tarfile

import pytest
from cryptography.fernet import Fernet
from PIL import Image as PILImage

from django.contrib.auth.models import AnonymousUser, Group, User
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections

from wagtail.documents.models import Document
from wagtail.images import get_image_model
from wagtail.models import Page, ReferenceIndex

from cms import backup_crypto
from home.management.commands import backup_site
from home.models import ContentPage
from kennisbank.factories import ArtikelPageFactory, KennisbankIndexPageFactory
from kennisbank.search import service as search_service

# dumpdata/loaddata and flush need real transactions, not the per-test rollback.
Image = get_image_model()

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _roots(wagtail_roots):
    """Every test here needs the root page and collection back after the previous one's flush."""


@pytest.fixture
def media_root(settings, tmp_path):
    """A media directory of this test's own: the restore test wipes it."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    return settings.MEDIA_ROOT


def png_bytes():
    buffer = io.BytesIO()
    PILImage.new("RGB", (40, 30), (200, 60, 20)).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def content(home_page, media_root):
    page = home_page.add_child(
        instance=ContentPage(
            title="Lid worden",
            slug="lid-worden",
            introduction="Voor vijf euro per maand bent u lid van uw stadsdorp.",
        )
    )
    page.save_revision().publish()
    draft = page.add_child(instance=ContentPage(title="Concept", slug="concept", live=False))
    # English synchronised from Dutch, as on the real site (wagtail-localize acts on its saves).
    from wagtail.models import Locale
    from wagtail_localize.models import LocaleSynchronization

    LocaleSynchronization.objects.create(
        locale=Locale.objects.get(language_code="en"),
        sync_from=Locale.objects.get(language_code="nl"),
    )
    # A deleted page leaves its log entries behind (Wagtail keeps them, pointing at a gone id).
    gone = home_page.add_child(instance=ContentPage(title="Verwijderd", slug="verwijderd"))
    gone.save_revision().publish()
    gone.delete()
    document = Document.objects.create(
        title="Verslag netwerkbijeenkomst",
        file=ContentFile(b"%PDF-1.4\nVerslag over binnenbuurten\n%%EOF\n", name="verslag.pdf"),
    )
    image = Image.objects.create(
        title="Koffieochtend", file=ImageFile(io.BytesIO(png_bytes()), name="koffie.png")
    )
    image.get_rendition("fill-20x20")
    User.objects.create_user("redacteur", "redacteur@example.org", "een-lang-wachtwoord")
    return {"page": page, "draft": draft, "document": document, "image": image}


def log_entries():
    from wagtail.models import PageLogEntry

    return sorted(PageLogEntry.objects.values_list("page_id", "action"))


def snapshot():
    pages = sorted(
        (page.url_path, page.title, page.live, page.specific_class.__name__)
        for page in Page.objects.all()
    )
    documents = {
        document.title: (document.file.name, document.file.open("rb").read())
        for document in Document.objects.all()
    }
    images = {
        image.title: (image.file.name, image.file.open("rb").read(), image.width, image.height)
        for image in Image.objects.all()
    }
    renditions = sorted(
        rendition.file.name for image in Image.objects.all() for rendition in image.renditions.all()
    )
    users = sorted(User.objects.values_list("username", "email"))
    from wagtail_localize.models import LocaleSynchronization

    return {
        "locale_sync": sorted(
            LocaleSynchronization.objects.values_list(
                "locale__language_code", "sync_from__language_code"
            )
        ),
        "log_entries": log_entries(),
        "pages": pages,
        "documents": documents,
        "images": images,
        "renditions": renditions,
        "users": users,
    }


def test_round_trip_restores_pages_documents_and_images(content, media_root, tmp_path):
    before = snapshot()
    archive = tmp_path / "backup.tar.gz"
    call_command("backup_site", str(archive), stdout=io.StringIO())

    with tarfile.open(archive) as tar:
        names = tar.getnames()
        manifest = json.loads(tar.extractfile("manifest.json").read())
    assert "database.json" in names
    assert f"media/{content['document'].file.name}" in names
    assert f"media/{content['image'].file.name}" in names
    assert manifest["counts"]["wagtailcore.page"] == Page.objects.count()
    assert manifest["counts"]["wagtaildocs.document"] == 1
    assert manifest["media_files"] >= 3  # the document, the original image and its rendition

    # A bad day: the database and the media are gone.
    call_command("flush", interactive=False, verbosity=0)
    shutil.rmtree(media_root)
    media_root.mkdir()
    assert not Document.objects.exists()
    assert not Page.objects.filter(title="Lid worden").exists()

    output = io.StringIO()
    call_command("restore_site", str(archive), stdout=output)
    assert "teruggezet" in output.getvalue()

    after = snapshot()
    assert after == before
    restored = Page.objects.get(title="Lid worden", locale__language_code="nl").specific
    assert restored.introduction == "Voor vijf euro per maand bent u lid van uw stadsdorp."
    assert restored.get_url() == content["page"].get_url()
    assert User.objects.get(username="redacteur").check_password("een-lang-wachtwoord")


def test_restored_site_serves_pages_and_documents(client, content, tmp_path, media_root):
    archive = tmp_path / "backup.tar.gz"
    call_command("backup_site", str(archive), stdout=io.StringIO())
    call_command("flush", interactive=False, verbosity=0)
    shutil.rmtree(media_root)
    media_root.mkdir()
    call_command("restore_site", str(archive), stdout=io.StringIO())

    response = client.get("/nl/lid-worden/")
    assert response.status_code == 200
    assert "Voor vijf euro per maand" in response.content.decode()
    document = Document.objects.get(title="Verslag netwerkbijeenkomst")
    download = client.get(document.url)
    assert download.status_code == 200
    assert b"Verslag over binnenbuurten" in b"".join(download.streaming_content)


def test_restore_refuses_a_database_with_content_without_force(content, tmp_path):
    archive = tmp_path / "backup.tar.gz"
    call_command("backup_site", str(archive), stdout=io.StringIO())
    ContentPage.objects.filter(title="Lid worden").update(title="Na de back-up gewijzigd")

    with pytest.raises(CommandError, match="--force"):
        call_command("restore_site", str(archive), stdout=io.StringIO())
    assert Page.objects.filter(title="Na de back-up gewijzigd").exists()

    call_command("restore_site", str(archive), "--force", stdout=io.StringIO())
    assert Page.objects.filter(title="Lid worden").exists()
    assert not Page.objects.filter(title="Na de back-up gewijzigd").exists()


def test_restore_refuses_something_that_is_not_a_backup(tmp_path, db):
    not_an_archive = tmp_path / "backup.tar.gz"
    not_an_archive.write_bytes(b"not a tar file")
    with pytest.raises(CommandError, match="Geen geldig"):
        call_command("restore_site", str(not_an_archive))

    without_manifest = tmp_path / "leeg.tar.gz"
    with tarfile.open(without_manifest, "w:gz") as tar:
        info = tarfile.TarInfo("database.json")
        info.size = 2
        tar.addfile(info, io.BytesIO(b"[]"))
    with pytest.raises(CommandError, match="manifest"):
        call_command("restore_site", str(without_manifest))


def test_restore_refuses_a_backup_from_newer_code(tmp_path, db):
    archive = tmp_path / "nieuw.tar.gz"
    manifest = json.dumps({"format": 1, "counts": {}, "migrations": ["home.9999_future"]}).encode()
    with tarfile.open(archive, "w:gz") as tar:
        info = tarfile.TarInfo("manifest.json")
        info.size = len(manifest)
        tar.addfile(info, io.BytesIO(manifest))
    with pytest.raises(CommandError, match="nieuwere code"):
        call_command("restore_site", str(archive))


def test_media_names_that_escape_the_media_root_are_skipped():
    from home.management.commands.restore_site import safe_media_name

    assert safe_media_name("media/documents/verslag.pdf") == "documents/verslag.pdf"
    assert safe_media_name("media/../../etc/passwd") is None
    assert safe_media_name("/media/x") is None
    assert safe_media_name("media") is None


# --- derived indexes, all-or-nothing, encryption, retention ---

QUERIES = ["binnenbuurt", "koffieochtend", "vrijwilligers", "buren", "netwerk"]


def kennisbank_titles(text):
    results = search_service.search(
        search_service.SearchQuery(text=text, filters={}, language="nl", user=AnonymousUser())
    )
    return [re.sub(r"</?mark>", "", hit.title) for hit in results.hits]


@pytest.fixture
def kennisbank_content(home_page, media_root):
    index = KennisbankIndexPageFactory(parent=home_page)
    for title, intro in [
        ("Binnenbuurten opzetten", "Hoe een binnenbuurt buren samenbrengt."),
        ("Koffieochtend organiseren", "Een koffieochtend met vrijwilligers uit het netwerk."),
        ("Vrijwilligers vinden", "Buren die meedoen als vrijwilligers."),
    ]:
        page = ArtikelPageFactory(parent=index, title=title, introduction=intro)
        page.save_revision().publish()
    return index


def test_after_a_restore_both_searches_find_what_they_found_before(
    kennisbank_content, media_root, tmp_path
):
    before = {text: kennisbank_titles(text) for text in QUERIES}
    admin_before = sorted(p.title for p in Page.objects.search("koffieochtend"))
    references_before = ReferenceIndex.objects.count()
    assert before["koffieochtend"] and admin_before
    archive = tmp_path / "backup.tar.gz"
    call_command("backup_site", str(archive), stdout=io.StringIO())
    call_command("flush", interactive=False, verbosity=0)
    assert kennisbank_titles("koffieochtend") == []

    call_command("restore_site", str(archive), stdout=io.StringIO())
    assert {text: kennisbank_titles(text) for text in QUERIES} == before
    assert sorted(p.title for p in Page.objects.search("koffieochtend")) == admin_before
    assert ReferenceIndex.objects.count() == references_before


def test_a_truncated_backup_changes_nothing(content, tmp_path):
    archive = tmp_path / "backup.tar.gz"
    call_command("backup_site", str(archive), stdout=io.StringIO())
    data = archive.read_bytes()
    archive.write_bytes(data[: len(data) * 2 // 3])
    content["page"].get_parent().add_child(instance=ContentPage(title="Na de back-up", slug="na"))
    with pytest.raises(CommandError, match="beschadigd of onvolledig"):
        call_command("restore_site", str(archive), "--force")
    assert Page.objects.filter(title="Na de back-up").exists()


def test_a_backup_without_its_media_folder_is_refused(content, tmp_path):
    archive = tmp_path / "backup.tar.gz"
    call_command("backup_site", str(archive), stdout=io.StringIO())
    stripped = tmp_path / "zonder-media.tar.gz"
    with tarfile.open(archive) as source, tarfile.open(stripped, "w:gz") as target:
        for member in source:
            if not member.name.startswith("media/"):
                target.addfile(member, source.extractfile(member))
    content["page"].get_parent().add_child(instance=ContentPage(title="Na de back-up", slug="na"))
    with pytest.raises(CommandError, match="ontbreekt de map media"):
        call_command("restore_site", str(stripped), "--force")
    assert Page.objects.filter(title="Na de back-up").exists()


def test_an_encrypted_backup_round_trips_and_needs_its_key(content, media_root, tmp_path, settings):
    settings.BACKUP_ENCRYPTION_KEY = Fernet.generate_key().decode()
    archive = tmp_path / "site-versleuteld.tar.gz"
    call_command("backup_site", str(archive), stdout=io.StringIO())
    data = archive.read_bytes()
    assert data.startswith(backup_crypto.MAGIC)
    assert b"database.json" not in data and b"redacteur@example.org" not in data
    with pytest.raises(tarfile.TarError), tarfile.open(archive):
        pass
    before = snapshot()
    call_command("flush", interactive=False, verbosity=0)
    shutil.rmtree(media_root)
    media_root.mkdir()

    key = settings.BACKUP_ENCRYPTION_KEY
    settings.BACKUP_ENCRYPTION_KEY = ""
    with pytest.raises(CommandError, match="versleuteld"):
        call_command("restore_site", str(archive))
    settings.BACKUP_ENCRYPTION_KEY = Fernet.generate_key().decode()
    with pytest.raises(CommandError, match="verkeerde sleutel"):
        call_command("restore_site", str(archive))
    assert not Page.objects.filter(title="Lid worden").exists()

    settings.BACKUP_ENCRYPTION_KEY = key
    call_command("restore_site", str(archive), stdout=io.StringIO())
    assert snapshot() == before


def test_encrypted_chunks_cannot_be_cut_or_reordered(tmp_path):
    key = Fernet.generate_key().decode()
    plain = tmp_path / "plain"
    plain.write_bytes(b"a" * (backup_crypto.CHUNK_SIZE * 2 + 10))
    encrypted = tmp_path / "enc"
    backup_crypto.encrypt_file(plain, encrypted, key)
    out = tmp_path / "out"
    backup_crypto.decrypt_file(encrypted, out, key)
    assert out.read_bytes() == plain.read_bytes()
    truncated = tmp_path / "cut"
    truncated.write_bytes(encrypted.read_bytes()[:-4])
    with pytest.raises(backup_crypto.BackupCryptoError, match="onvolledig"):
        backup_crypto.decrypt_file(truncated, out, key)


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="a second connection writing during the backup: SQLite's reader holds its lock",
)
def test_a_backup_taken_while_the_site_writes_restores(content, tmp_path, monkeypatch):
    """The task workers and the site go on writing while the backup runs: a row written after
    the dump, before the manifest counts it, must not end in a backup that cannot be restored."""
    counted = backup_site.row_counts

    def a_row_arrives_meanwhile():
        other = connections.create_connection("default")
        try:
            with other.cursor() as cursor:
                cursor.execute("INSERT INTO auth_group (name) VALUES ('Tussendoor')")
        finally:
            other.close()
        return counted()

    monkeypatch.setattr(backup_site, "row_counts", a_row_arrives_meanwhile)
    archive = tmp_path / "backup.tar.gz"
    call_command("backup_site", str(archive), stdout=io.StringIO())
    monkeypatch.undo()  # the restore counts too
    assert Group.objects.filter(name="Tussendoor").exists()

    call_command("flush", interactive=False, verbosity=0)
    call_command("restore_site", str(archive), stdout=io.StringIO())
    assert Page.objects.filter(title="Lid worden").exists()
    assert not Group.objects.filter(name="Tussendoor").exists()  # written after the snapshot


def test_keep_deletes_all_but_the_newest_backups(content, tmp_path):
    folder = tmp_path / "backups"
    folder.mkdir()
    for number in range(3):
        old = folder / f"site-2026010{number}-000000.tar.gz"
        old.write_bytes(b"oud")
        os.utime(old, (1_700_000_000 + number, 1_700_000_000 + number))
    other = folder / "iets-anders.txt"
    other.write_text("blijft")
    newest = folder / "site-20261201-120000.tar.gz"
    call_command("backup_site", str(newest), "--keep", "2", stdout=io.StringIO())
    assert sorted(path.name for path in folder.iterdir()) == [
        "iets-anders.txt",
        "site-20260102-000000.tar.gz",
        "site-20261201-120000.tar.gz",
    ]
