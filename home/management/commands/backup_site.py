"""``./manage.py backup_site OUTPUT.tar.gz``: the database and all media files in one archive.

Why Django's ``dumpdata`` and not ``pg_dump`` or a copy of the SQLite file: one format that works
the same on SQLite (development, small installs) and PostgreSQL (production), needs no database
client tools of a matching version on the machine, and can even move a site from SQLite to
PostgreSQL. Foreign keys to content types and permissions are written as natural keys, because
those rows are recreated by ``migrate`` with ids that differ per database; every other foreign key
keeps its primary key (``Serializer`` below: Django's ``--natural-foreign`` would also look up
pages by natural key, and Wagtail's log entries keep the ids of deleted pages on purpose). The
content types and permissions themselves are saved in the manifest as natural keys (some
permissions come from data migrations, not from ``migrate``'s hooks) and recreated before the
data is loaded. Sessions and the search index are left out; the index is rebuilt on restore. The
price is speed on very large databases, and a restore needs the same code (migrations) as the
backup; the manifest records the applied migrations so that ``restore_site`` can refuse a mismatch.

With ``BACKUP_ENCRYPTION_KEY`` set, the finished archive is encrypted (``cms/backup_crypto.py``);
``--keep N`` then deletes all but the N newest ``site-*.tar.gz`` files of the folder.
Media files are read through Django's default storage, so the same command backs up a local
``MEDIA_ROOT`` or an S3 bucket (django-storages).

Archive layout::

    manifest.json     format, creation time, database vendor, row counts per model, media totals,
                      applied migrations, content types and permissions (natural keys)
    database.json     dumpdata output
    media/<name>      every file in the default storage
"""

import io
import json
import tarfile
import tempfile
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from django.apps import apps
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.core.serializers import json as json_serializer
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.migrations.recorder import MigrationRecorder

from cms import backup_crypto

FORMAT_VERSION = 1
SERIALIZATION_FORMAT = "backup_json"
# Rows that `migrate` recreates with other ids: referred to by natural key in the backup.
NATURAL_KEY_MODELS = {"contenttypes.contenttype", "auth.permission"}
# Recreated by `migrate` (content types, permissions) or rebuilt after a restore (search index);
# sessions are not worth restoring.
EXCLUDED_MODELS = [
    "contenttypes.contenttype",
    "auth.permission",
    "sessions.session",
    "wagtailsearch.indexentry",
    "wagtailsearch.sqliteftsindexentry",
    "modelsearch.indexentry",
    "modelsearch.sqliteftsindexentry",
    # The task queue's results: work of the old site, not content.
    "django_tasks_db.dbtaskresult",
]


class Serializer(json_serializer.Serializer):
    """Django's JSON, with natural keys only for references to content types and permissions.

    Registered as the ``backup_json`` format; the output is plain Django JSON that ``loaddata``
    reads with its standard ``json`` deserializer.
    """

    def _natural_for(self, field):
        return field.remote_field.model._meta.label_lower in NATURAL_KEY_MODELS

    def handle_fk_field(self, obj, field):
        self.use_natural_foreign_keys = self._natural_for(field)
        super().handle_fk_field(obj, field)

    def handle_m2m_field(self, obj, field):
        self.use_natural_foreign_keys = self._natural_for(field)
        super().handle_m2m_field(obj, field)


Deserializer = json_serializer.Deserializer


def excluded_labels():
    """Only exclude models that exist: dumpdata refuses unknown labels."""
    labels = []
    for label in EXCLUDED_MODELS:
        app_label, model_name = label.split(".")
        try:
            model = apps.get_model(app_label, model_name)
        except LookupError:
            continue
        labels.append(model._meta.label)
    return labels


def counted_models():
    excluded = {label.lower() for label in excluded_labels()}
    return [
        model
        for model in apps.get_models()
        if model._meta.label_lower not in excluded
        and model._meta.managed
        and not model._meta.proxy
        and model._meta.label_lower not in {"contenttypes.contenttype", "auth.permission"}
    ]


def row_counts():
    return {model._meta.label_lower: model._default_manager.count() for model in counted_models()}


def applied_migrations():
    recorder = MigrationRecorder(connections[DEFAULT_DB_ALIAS])
    return sorted(f"{app}.{name}" for app, name in recorder.applied_migrations())


def permission_keys():
    return [
        [
            permission.content_type.app_label,
            permission.content_type.model,
            permission.codename,
            permission.name,
        ]
        for permission in Permission.objects.select_related("content_type").order_by("pk")
    ]


def content_type_keys():
    return [[ct.app_label, ct.model] for ct in ContentType.objects.order_by("pk")]


@contextmanager
def one_snapshot():
    """Everything read inside sees the database as it was at one moment, while the site and its
    task workers go on writing: otherwise rows written between the dump of one table and the next,
    or between the dump and the manifest's counts, make an archive whose foreign keys or counts do
    not add up, and ``restore_site`` rightly refuses it (seen with the task workers running).
    PostgreSQL gives a transaction one snapshot on request; SQLite's read transaction is one."""
    connection = connections[DEFAULT_DB_ALIAS]
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield


def storage_files(storage, directory=""):
    """Every file name in ``storage``, recursively (works for local disks and S3)."""
    try:
        directories, files = storage.listdir(directory)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield f"{directory}/{name}" if directory else name
    for sub in sorted(directories):
        yield from storage_files(storage, f"{directory}/{sub}" if directory else sub)


RETENTION_PATTERN = "site-*.tar.gz"


def prune_backups(folder, keep):
    """Delete all but the ``keep`` newest ``site-*.tar.gz`` backups in ``folder`` (``make backup``
    names them by date and time); returns the deleted paths."""
    backups = sorted(folder.glob(RETENTION_PATTERN), key=lambda path: path.stat().st_mtime)
    removed = backups[:-keep] if len(backups) > keep else []
    for path in removed:
        path.unlink()
    return removed


class Command(BaseCommand):
    help = "Maak een back-up van de database en alle mediabestanden in één .tar.gz-bestand."

    def add_arguments(self, parser):
        parser.add_argument("output", help="Pad van het archief, bijvoorbeeld backup.tar.gz")
        parser.add_argument(
            "--keep",
            type=int,
            default=None,
            help="Bewaar daarna alleen de N nieuwste back-ups (site-*.tar.gz) in dezelfde map.",
        )

    def handle(self, *args, output, keep=None, **options):
        if keep is not None and keep < 1:
            raise CommandError("--keep moet minstens 1 zijn.")
        output_path = Path(output)
        if not output_path.parent.exists():
            raise CommandError(f"Map bestaat niet: {output_path.parent}")
        with tempfile.TemporaryDirectory(prefix="backup-site-") as workdir:
            database_file = Path(workdir) / "database.json"
            serializers.register_serializer(SERIALIZATION_FORMAT, __name__)
            with one_snapshot():
                call_command(
                    "dumpdata",
                    format=SERIALIZATION_FORMAT,
                    natural_foreign=True,
                    exclude=excluded_labels(),
                    output=str(database_file),
                    indent=None,
                    verbosity=0,
                )
                database_facts = {
                    "database_vendor": connections[DEFAULT_DB_ALIAS].vendor,
                    "counts": row_counts(),
                    "migrations": applied_migrations(),
                    "content_types": content_type_keys(),
                    "permissions": permission_keys(),
                }
            media_names = list(storage_files(default_storage))
            media_bytes = 0
            partial = output_path.with_name(output_path.name + ".partial")
            with tarfile.open(partial, "w:gz") as archive:
                archive.add(database_file, arcname="database.json")
                for name in media_names:
                    with default_storage.open(name, "rb") as media_file:
                        data = media_file.read()
                    media_bytes += len(data)
                    info = tarfile.TarInfo(f"media/{name}")
                    info.size = len(data)
                    archive.addfile(info, io.BytesIO(data))
                manifest = {
                    "format": FORMAT_VERSION,
                    "created": datetime.now(UTC).isoformat(timespec="seconds"),
                    **database_facts,
                    "media_files": len(media_names),
                    "media_bytes": media_bytes,
                }
                encoded = json.dumps(manifest, indent=2, sort_keys=True).encode()
                info = tarfile.TarInfo("manifest.json")
                info.size = len(encoded)
                archive.addfile(info, io.BytesIO(encoded))
            key = backup_crypto.configured_key()
            if key:
                encrypted = output_path.with_name(output_path.name + ".encrypting")
                try:
                    backup_crypto.encrypt_file(partial, encrypted, key)
                except backup_crypto.BackupCryptoError as error:
                    raise CommandError(str(error)) from None
                finally:
                    partial.unlink(missing_ok=True)
                partial = encrypted
            # Only a complete archive gets the requested name.
            partial.replace(output_path)
        removed = prune_backups(output_path.parent, keep) if keep else []
        pages = manifest["counts"].get("wagtailcore.page", 0)
        self.stdout.write(
            self.style.SUCCESS(
                f"Back-up geschreven naar {output_path}: {pages} pagina's, "
                f"{len(media_names)} mediabestanden ({media_bytes} bytes)"
                f"{', versleuteld' if backup_crypto.configured_key() else ''}."
            )
        )
        for path in removed:
            self.stdout.write(f"Oude back-up verwijderd: {path.name}")
