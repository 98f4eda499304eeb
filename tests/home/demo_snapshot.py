"""A comparable picture of the demo site: rows per model with their key fields.

Ids, tree paths, timestamps, password hashes, random tokens and file names are left out;
relations are written as natural keys (a page's URL path, a user's name, an image's title),
StreamField values block by block with the chosen objects as natural keys, rich text with its
whitespace between tags and its HTML entities normalised. Files are compared by content: the
pixels of an image, the text of a document. What Wagtail or a background worker derives
(revisions, log entries, the reference and search indexes, automatic redirects, the kennisbank's
search snapshot, permissions and content types from ``migrate``) is not part of it.

Regenerate ``tests/home/data/demo_site.json`` only when the demo content changes on purpose::

    UPDATE_DEMO_SNAPSHOT=1 .venv/bin/pytest tests/home/test_demo.py
"""

import datetime
import hashlib
import html
import io
import json
import re
from pathlib import Path

import docx
import pypdf
from PIL import Image as PILImage

from django.apps import apps
from django.contrib.auth.models import AbstractBaseUser, Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.documents.models import AbstractDocument
from wagtail.embeds.blocks import EmbedValue
from wagtail.fields import RichTextField, StreamField
from wagtail.images.blocks import ImageChooserBlock
from wagtail.images.models import AbstractImage
from wagtail.models import Collection, Locale, Page, Site, Task, TranslatableMixin
from wagtail.rich_text import RichText
from wagtail.snippets.blocks import SnippetChooserBlock

CHOOSER_BLOCKS = (
    blocks.PageChooserBlock,
    ImageChooserBlock,
    DocumentChooserBlock,
    SnippetChooserBlock,
)
SNAPSHOT_PATH = Path(__file__).parent / "data" / "demo_site.json"

# Derived by Wagtail, by migrate or by a background worker: not demo content.
EXCLUDED_APPS = {"contenttypes", "sessions", "admin", "wagtailsearch", "kennisbank_search", "axes"}
EXCLUDED_MODELS = {
    "auth.Permission",
    "wagtailcore.Revision",
    "wagtailcore.PageLogEntry",
    "wagtailcore.ModelLogEntry",
    "wagtailcore.ReferenceIndex",
    "wagtailcore.PageSubscription",
    "wagtailcore.UploadedFile",
    "wagtailredirects.Redirect",
    "wagtailimages.Rendition",
    "home.SiteImageRendition",
    "wagtailusers.UserProfile",
    "wagtailadmin.Admin",
    "wagtailadmin.EditingSession",
}
SKIPPED_FIELDS = {
    "path",
    "depth",
    "numchild",
    "translation_key",
    "content_type",
    "latest_revision",
    "live_revision",
    "first_published_at",
    "last_published_at",
    "latest_revision_created_at",
    "locked_at",
    "locked_by",
    "last_login",
    "date_joined",
    "password",
    "file",
    "file_hash",
    "file_size",
    "created_at",
    "search_generation",
    "document_text_source",
}


def natural_key(obj):
    if obj is None:
        return None
    if isinstance(obj, Page):
        return f"page:{obj.url_path}"
    if isinstance(obj, AbstractBaseUser):
        return f"user:{obj.get_username()}"
    if isinstance(obj, Group):
        return f"group:{obj.name}"
    if isinstance(obj, Collection):
        names = [c.name for c in obj.get_ancestors(inclusive=True)]
        return "collection:" + "/".join(names)
    if isinstance(obj, Locale):
        return f"locale:{obj.language_code}"
    if isinstance(obj, ContentType):
        return f"type:{obj.app_label}.{obj.model}"
    if isinstance(obj, Permission):
        return f"permission:{obj.content_type.app_label}.{obj.codename}"
    if isinstance(obj, AbstractImage | AbstractDocument):
        return f"{obj._meta.label}:{obj.title}"
    if isinstance(obj, Site):
        return f"site:{obj.hostname}:{obj.port}"
    if isinstance(obj, Task):
        return f"task:{obj.name}"
    if isinstance(obj, TranslatableMixin) and hasattr(obj, "slug"):
        return f"{obj._meta.label}:{obj.slug}@{obj.locale.language_code}"
    return f"{obj._meta.label}:{obj}"


def normalise_html(value):
    text = str(value.source if isinstance(value, RichText) else value or "")
    return html.unescape(re.sub(r">\s+<", "><", text)).strip()


def moment(value):
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    return value.isoformat()


def block_value(block, value):
    """A block's value with chosen objects as natural keys (recursive over the block tree)."""
    if value is None:
        return None
    if isinstance(block, blocks.StreamBlock):
        return [[child.block_type, block_value(child.block, child.value)] for child in value]
    if isinstance(block, blocks.ListBlock):
        return [block_value(block.child_block, item) for item in value]
    if isinstance(block, blocks.StructBlock):
        children = block.child_blocks.items()
        return {name: block_value(child, value.get(name)) for name, child in children}
    if isinstance(block, blocks.RichTextBlock):
        return normalise_html(value)
    if isinstance(block, CHOOSER_BLOCKS):
        return natural_key(value)
    if isinstance(value, EmbedValue):
        return value.url
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    prepared = block.get_prep_value(value)
    return str(prepared) if hasattr(prepared, "quantize") else prepared


def file_content(obj):
    """The content of an image (its pixels) or a document (its text), as a digest."""
    with obj.file.open("rb") as handle:
        data = handle.read()
    name = obj.file.name.lower()
    if isinstance(obj, AbstractImage):
        picture = PILImage.open(io.BytesIO(data))
        return {
            "size": list(picture.size),
            "pixels": hashlib.sha1(picture.convert("RGB").tobytes()).hexdigest(),
        }
    if name.endswith(".docx"):
        text = "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)
    elif name.endswith(".pdf"):
        text = "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)
    else:
        text = data.decode()
    return {"extension": name.rsplit(".", 1)[-1], "text": hashlib.sha1(text.encode()).hexdigest()}


def is_timestamp(field):
    if not isinstance(field, models.DateTimeField):
        return False
    return bool(field.auto_now or field.auto_now_add or callable(field.default))


def record(obj):
    model = type(obj)
    row = {}
    for field in model._meta.concrete_fields:
        if field.primary_key or field.name in SKIPPED_FIELDS or is_timestamp(field):
            continue
        if field.name.endswith(("_hash", "token", "secret")) or isinstance(field, models.UUIDField):
            continue
        if field.is_relation:
            row[field.name] = natural_key(getattr(obj, field.name))
            continue
        value = getattr(obj, field.attname)
        if isinstance(field, StreamField):
            value = block_value(field.stream_block, value)
        elif isinstance(field, RichTextField):
            value = normalise_html(value)
        elif isinstance(value, datetime.date | datetime.time):
            value = moment(value)
        elif hasattr(value, "quantize"):
            value = str(value)
        elif isinstance(value, list | dict | str | int | float | bool) or value is None:
            pass
        else:
            value = str(value)
        row[field.name] = value
    for field in model._meta.many_to_many:
        related = getattr(obj, field.name).all()
        row[field.name] = sorted(natural_key(item) for item in related)
    if isinstance(obj, TranslatableMixin) and obj.locale.language_code != "nl":
        source = (
            model._default_manager.filter(translation_key=obj.translation_key)
            .exclude(pk=obj.pk)
            .order_by("pk")
            .first()
        )
        row["translation_of"] = natural_key(source)
    if isinstance(obj, Collection):
        row["key"] = natural_key(obj)
    if isinstance(obj, AbstractImage | AbstractDocument):
        row["content"] = file_content(obj)
    if isinstance(obj, AbstractBaseUser):
        row["has_usable_password"] = obj.has_usable_password()
    return row


def snapshot_models():
    for model in apps.get_models():
        label = model._meta.label
        if model._meta.app_label in EXCLUDED_APPS or label in EXCLUDED_MODELS:
            continue
        if model._meta.proxy or model._meta.abstract:
            continue
        yield model


def leaf_rows(model):
    """Rows of this model that are not rows of a more specific model (pages, tasks)."""
    queryset = model._default_manager.all()
    if issubclass(model, Page | Task):
        queryset = queryset.filter(content_type=ContentType.objects.get_for_model(model))
    if issubclass(model, Page):
        return queryset.order_by("path")
    return queryset


def snapshot():
    """``{"counts": {label: rows}, "rows": {label: [record, ...]}}`` for the whole database."""
    counts = {}
    rows = {}
    for model in snapshot_models():
        label = model._meta.label
        records = [record(obj) for obj in leaf_rows(model)]
        if not records:
            continue
        if not issubclass(model, Page):  # pages keep their tree order, the rest is sorted
            records.sort(key=lambda row: json.dumps(row, sort_keys=True, ensure_ascii=False))
        counts[label] = len(records)
        rows[label] = records
    return {"counts": counts, "rows": rows}


def dump(data, path=SNAPSHOT_PATH):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n")


def load(path=SNAPSHOT_PATH):
    return json.loads(path.read_text())
