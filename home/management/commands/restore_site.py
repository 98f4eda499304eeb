"""``./manage.py restore_site INPUT.tar.gz [--force]``: put back what ``backup_site`` saved.

The database is emptied (``flush``, which lets ``migrate``'s hooks recreate content types and
permissions) and loaded from the archive's ``database.json`` inside one transaction: if loading
fails or the row counts differ from the manifest, nothing changes. Before that, the whole archive
is read once (a corrupt or truncated file, a missing ``media/`` folder, an unknown format or newer
migrations are refused with nothing changed). Media files are then written through the default
storage (local disk or S3), and every derived index is rebuilt: Wagtail's search index
(``update_index``), its reference index (``rebuild_references_index``) and the kennisbank's search
index (``kennisbank_reindex``). An encrypted backup (``cms/backup_crypto.py``) is decrypted with
``BACKUP_ENCRYPTION_KEY`` first.

A database that already holds content (users, pages below the site root, documents or images) is
only overwritten with ``--force``. The archive must come from the same code: a backup that has
migrations this checkout does not know is refused (update the code first).
"""

import json
import shutil
import tarfile
import tempfile
import zlib
from contextlib import contextmanager
from io import StringIO
from pathlib import Path, PurePosixPath

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models.signals import post_save

from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page
from wagtail_localize.models import LocaleSynchronization, sync_trees_on_locale_sync_save

from cms import backup_crypto, page_cache

from .backup_site import FORMAT_VERSION, applied_migrations, row_counts


class CountMismatch(Exception):
    pass


def has_content():
    return (
        get_user_model().objects.exists()
        or Page.objects.filter(depth__gt=2).exists()
        or get_document_model().objects.exists()
        or get_image_model().objects.exists()
    )


def recreate_content_types_and_permissions(manifest):
    """``flush`` recreates the default ones; data migrations made others (e.g. wagtail-localize's
    ``submit_translation``) that the data refers to by natural key."""
    for app_label, model in manifest.get("content_types", []):
        ContentType.objects.get_or_create(app_label=app_label, model=model)
    for app_label, model, codename, name in manifest.get("permissions", []):
        content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
        Permission.objects.get_or_create(
            content_type=content_type, codename=codename, defaults={"name": name}
        )


@contextmanager
def raw_unsafe_receivers_disconnected():
    """Receivers that act on every save, even ``loaddata``'s raw ones, are switched off while the
    backup loads: wagtail-localize would synchronise page trees half-way through (and fail on a
    locale that is not loaded yet)."""
    muted = [(sync_trees_on_locale_sync_save, LocaleSynchronization)]
    for receiver, sender in muted:
        post_save.disconnect(receiver, sender=sender)
    try:
        yield
    finally:
        for receiver, sender in muted:
            post_save.connect(receiver, sender=sender)


def safe_media_name(member_name):
    """The storage name of an archive member below ``media/``, or None if it is unsafe."""
    path = PurePosixPath(member_name)
    if path.is_absolute() or ".." in path.parts or len(path.parts) < 2:
        return None
    return str(PurePosixPath(*path.parts[1:]))


class Command(BaseCommand):
    help = "Zet een back-up van backup_site terug: database en mediabestanden."

    def add_arguments(self, parser):
        parser.add_argument("input", help="Pad van het archief van backup_site")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Overschrijf een database waarin al inhoud staat.",
        )
        parser.add_argument(
            "--skip-index",
            action="store_true",
            help="Bouw de zoekindex niet opnieuw op (doe dat later met update_index).",
        )

    def handle(self, *args, input, force, skip_index, **options):
        archive_path = Path(input)
        if not archive_path.is_file():
            raise CommandError(f"Bestand niet gevonden: {archive_path}")
        with tempfile.TemporaryDirectory(prefix="restore-site-") as workdir:
            archive_path = self.decrypted(archive_path, Path(workdir))
            # Everything is checked before anything changes: the archive is read to its end
            # (a truncated or corrupt file fails here), the manifest, schema and media compared.
            database_file = Path(workdir) / "database.json"
            manifest = self.verify_archive(archive_path, database_file)
            self.check_migrations(manifest)
            if not manifest.pop("_has_database"):
                raise CommandError("Het archief bevat geen database.json.")
            if has_content() and not force:
                raise CommandError(
                    "De database bevat al inhoud. Gebruik --force om die te vervangen door de "
                    "back-up."
                )
            self.restore_database(database_file, manifest)
            with tarfile.open(archive_path, "r:gz") as archive:
                restored_files = self.restore_media(archive)
        if not skip_index:
            self.rebuild_indexes()
        page_cache.invalidate_all()
        self.stdout.write(
            self.style.SUCCESS(
                f"Back-up teruggezet: {manifest['counts'].get('wagtailcore.page', 0)} pagina's, "
                f"{restored_files} mediabestanden."
            )
        )

    def decrypted(self, archive_path, workdir):
        if not backup_crypto.is_encrypted(archive_path):
            return archive_path
        target = workdir / "archive.tar.gz"
        try:
            backup_crypto.decrypt_file(archive_path, target, backup_crypto.configured_key())
        except backup_crypto.BackupCryptoError as error:
            raise CommandError(f"{error} Er is niets veranderd.") from None
        return target

    def verify_archive(self, archive_path, database_file):
        """Read the whole archive once; returns the manifest, leaves database.json in a file."""
        manifest = None
        media_files = 0
        media_bytes = 0
        found_database = False
        try:
            with tarfile.open(archive_path, "r:gz") as archive:
                for member in archive:
                    if member.name == "manifest.json":
                        manifest = self.read_manifest(archive.extractfile(member))
                    elif member.name == "database.json":
                        with (
                            archive.extractfile(member) as source,
                            open(database_file, "wb") as out,
                        ):
                            shutil.copyfileobj(source, out)
                        found_database = True
                    elif member.isfile() and member.name.startswith("media/"):
                        with archive.extractfile(member) as source:
                            while chunk := source.read(1024 * 1024):
                                media_bytes += len(chunk)
                        media_files += 1
        except (tarfile.TarError, OSError, EOFError, zlib.error) as error:
            raise CommandError(
                "Geen geldig back-uparchief: het bestand is beschadigd of onvolledig "
                f"({type(error).__name__}). Er is niets veranderd."
            ) from None
        if manifest is None:
            raise CommandError("Het archief bevat geen manifest.json: is dit een back-up?")
        manifest["_has_database"] = found_database
        expected = (manifest.get("media_files", 0), manifest.get("media_bytes", 0))
        if (media_files, media_bytes) != expected:
            raise CommandError(
                f"De mediabestanden in het archief kloppen niet met het manifest ({media_files} "
                f"van {expected[0]} bestanden): ontbreekt de map media/? Er is niets veranderd."
            )
        return manifest

    def rebuild_indexes(self):
        """Derived data is not in the backup: Wagtail's search and reference indexes and the
        kennisbank's own search index (its full-text table) are built again from the content."""
        quiet = {"stdout": StringIO(), "stderr": StringIO()}
        call_command("update_index", **quiet)
        call_command("rebuild_references_index", **quiet)
        call_command("kennisbank_reindex", "--no-progress", **quiet)

    def read_manifest(self, member):
        try:
            manifest = json.loads(member.read())
        except ValueError:
            raise CommandError("Het manifest van de back-up is onleesbaar.") from None
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT_VERSION:
            raise CommandError(f"Onbekend back-upformaat: {manifest.get('format')!r}")
        return manifest

    def check_migrations(self, manifest):
        unknown = sorted(set(manifest.get("migrations", [])) - set(applied_migrations()))
        if unknown:
            raise CommandError(
                "De back-up komt van nieuwere code (onbekende migraties: "
                f"{', '.join(unknown[:5])}). Werk de code bij en draai migrate."
            )

    def restore_database(self, database_file, manifest):
        try:
            with transaction.atomic():
                call_command("flush", interactive=False, verbosity=0)
                recreate_content_types_and_permissions(manifest)
                with raw_unsafe_receivers_disconnected():
                    call_command("loaddata", str(database_file), verbosity=0)
                counts = row_counts()
                expected = manifest["counts"]
                differences = {
                    label: (expected[label], counts.get(label))
                    for label in expected
                    if label in counts and counts[label] != expected[label]
                }
                if differences:
                    raise CountMismatch(differences)
        except CountMismatch as mismatch:
            raise CommandError(
                f"Aantallen wijken af van het manifest, niets teruggezet: {mismatch.args[0]}"
            ) from None

    def restore_media(self, archive):
        restored = 0
        for member in archive.getmembers():
            if not member.name.startswith("media/") or not member.isfile():
                continue
            name = safe_media_name(member.name)
            if name is None:
                self.stderr.write(f"Overgeslagen (onveilige naam): {member.name}")
                continue
            data = archive.extractfile(member).read()
            if default_storage.exists(name):
                default_storage.delete(name)
            saved = default_storage.save(name, ContentFile(data))
            if saved != name:
                raise CommandError(f"Bestand kwam onder een andere naam terug: {saved}")
            restored += 1
        return restored
