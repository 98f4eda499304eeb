"""Import existing files (.txt, .md, .pdf, .docx) as kennisbank pages.

Used by ``./manage.py import_kennisbank``. Each file becomes one item page under a kennisbank
index, with the original file stored as a Wagtail document in the "Kennisbank" collection.

* Metadata comes, in order of precedence, from YAML-like front matter (``---`` block at the top
  of a .md/.txt file), a side-car file (``<name>.meta.json`` or ``<name>.meta.yml``, next to the
  file), command options, the file's own metadata (PDF/DOCX title and date), a date in the file
  name (``2014-06-12``), the first Markdown heading, and finally the file name and mtime.
* Idempotent: the page remembers its source (the path relative to the folder given on the
  command line) in ``import_source`` and a checksum of the file, its side-car and the options in
  ``import_checksum``. A re-import updates that page, or leaves it alone when nothing changed.
* A broken file is reported as failed and the import goes on with the next one.
"""

import datetime
import hashlib
import json
import logging
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from dateutil import parser

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.html import escape
from django.utils.text import slugify
from django.utils.translation import gettext as _

from wagtail.documents import get_document_model
from wagtail.models import Collection

from home.models import Theme

from . import blocks as kb_blocks
from .extraction import SUPPORTED_EXTENSIONS, TEXT_EXTENSIONS, decode_text, extract
from .models import ITEM_MODELS, Audience, KennisbankItemPage, Kind

logger = logging.getLogger(__name__)

IMPORTABLE_EXTENSIONS = {".txt", ".md", ".markdown", ".pdf", ".docx"}
SIDECAR_SUFFIXES = (".meta.json", ".meta.yml", ".meta.yaml")
COLLECTION_NAME = "Kennisbank"
MAX_FILE_SIZE = 50 * 1024 * 1024

#: Words in a file name or title that reveal the kind of item.
KIND_WORDS = [
    (Kind.VERSLAG, ("verslag", "notulen", "bijeenkomst", "report", "minutes")),
    (Kind.STAPPENPLAN, ("stappenplan", "handleiding", "draaiboek", "guide", "how-to")),
    (Kind.PUBLICATIE, ("publicatie", "onderzoek", "rapport", "factsheet", "research")),
    (Kind.ARTIKEL, ("artikel", "tips", "achtergrond", "article")),
]
KIND_ALIASES = {
    "verslag": Kind.VERSLAG,
    "report": Kind.VERSLAG,
    "stappenplan": Kind.STAPPENPLAN,
    "guide": Kind.STAPPENPLAN,
    "publicatie": Kind.PUBLICATIE,
    "publication": Kind.PUBLICATIE,
    "artikel": Kind.ARTIKEL,
    "article": Kind.ARTIKEL,
}
DATE_IN_NAME = re.compile(r"(?<!\d)(\d{4})[-_.](\d{1,2})[-_.](\d{1,2})(?!\d)")


class ImportFailed(Exception):
    """A file that cannot be imported; the message says why, in Dutch."""


@dataclass
class FileResult:
    path: Path
    source_key: str
    status: str  # created, updated, unchanged, skipped, failed
    reason: str = ""
    page_id: int | None = None
    title: str = ""
    kind: str = ""
    notes: list[str] = field(default_factory=list)


@dataclass
class ParsedFile:
    title: str = ""
    date: datetime.date | None = None
    kind: str = ""
    themes: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    audience: str = ""
    summary: str = ""
    sections: list[tuple[str, list[str]]] = field(default_factory=list)  # (heading, paragraphs)
    document_text: str = ""
    notes: list[str] = field(default_factory=list)

    @property
    def paragraphs(self):
        return [paragraph for _heading, paragraphs in self.sections for paragraph in paragraphs]


# --- parsing ---------------------------------------------------------------------------------


def _unquote(value):
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return value


def parse_simple_yaml(lines):
    """Parse ``key: value``, ``key: [a, b]`` and ``key:`` followed by ``- item`` lines."""
    meta = {}
    list_key = None
    for raw in lines:
        line = raw.rstrip()
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if stripped.startswith("- ") and list_key:
            meta[list_key].append(_unquote(stripped[2:]))
            continue
        key, separator, value = line.partition(":")
        if not separator:
            continue
        key = key.strip().lower()
        value = value.strip()
        if not value:
            meta[key] = []
            list_key = key
            continue
        list_key = None
        if value.startswith("[") and value.endswith("]"):
            meta[key] = [_unquote(item) for item in value[1:-1].split(",") if item.strip()]
        else:
            meta[key] = _unquote(value)
    return meta


def split_front_matter(text):
    """(metadata, rest of the text) for a text that may start with a ``---`` block."""
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        return {}, text
    for number in range(1, len(lines)):
        if lines[number].strip() in ("---", "..."):
            return parse_simple_yaml(lines[1:number]), "\n".join(lines[number + 1 :])
    return {}, text


def read_sidecar(path: Path):
    """Metadata from ``<name>.meta.json`` / ``.meta.yml`` next to the file, and its raw bytes."""
    candidates = []
    for suffix in SIDECAR_SUFFIXES:
        candidates.append(path.with_name(path.name + suffix))
        candidates.append(path.with_name(path.stem + suffix))
    for candidate in candidates:
        if candidate.is_file():
            raw = candidate.read_bytes()
            text = decode_text(raw)
            if candidate.name.endswith(".json"):
                try:
                    data = json.loads(text)
                except json.JSONDecodeError as error:
                    raise ImportFailed(
                        _("het bijbestand %(name)s is geen geldige JSON (%(error)s)")
                        % {"name": candidate.name, "error": error.msg}
                    ) from error
                if not isinstance(data, dict):
                    raise ImportFailed(
                        _("het bijbestand %(name)s moet een object bevatten")
                        % {"name": candidate.name}
                    )
                return {str(key).lower(): value for key, value in data.items()}, raw
            return parse_simple_yaml(text.splitlines()), raw
    return {}, b""


def as_list(value):
    if value is None or value == "":
        return []
    if isinstance(value, str):
        return [item.strip() for item in value.split(",") if item.strip()]
    if isinstance(value, list | tuple):
        return [str(item).strip() for item in value if str(item).strip()]
    return [str(value)]


def parse_date(value):
    if isinstance(value, datetime.date):
        return value
    value = str(value or "").strip()
    if not value:
        return None
    match = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", value)
    try:
        if match:
            return datetime.date(*(int(part) for part in match.groups()))

        return parser.parse(value, dayfirst=True).date()
    except (ValueError, OverflowError):
        return None


def date_from_name(name):
    match = DATE_IN_NAME.search(name)
    if not match:
        return None
    try:
        return datetime.date(*(int(part) for part in match.groups()))
    except ValueError:
        return None


def title_from_name(name):
    stem = Path(name).stem
    stem = DATE_IN_NAME.sub(" ", stem)
    words = re.sub(r"[_\-.]+", " ", stem).split()
    title = " ".join(words).strip()
    return (title[:1].upper() + title[1:]) if title else name


def guess_kind(*texts):
    haystack = " ".join(texts).lower()
    for kind, words in KIND_WORDS:
        if any(word in haystack for word in words):
            return kind
    return ""


INLINE_MARKDOWN = [
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), r"\1"),
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),
    (re.compile(r"(\*\*|__)(.+?)\1"), r"\2"),
    (re.compile(r"(?<!\w)[*_](.+?)[*_](?!\w)"), r"\1"),
    (re.compile(r"`([^`]*)`"), r"\1"),
]


def plain_markdown(text):
    for pattern, replacement in INLINE_MARKDOWN:
        text = pattern.sub(replacement, text)
    return text


def text_sections(text, markdown=False):
    """Split text into (heading, paragraphs) sections; Markdown headings start a section."""
    sections = [("", [])]
    for block in re.split(r"\n\s*\n", text.replace("\r\n", "\n")):
        block = block.strip()
        if not block:
            continue
        lines = block.splitlines()
        if markdown and re.match(r"^#{1,6}\s", lines[0]):
            heading = plain_markdown(lines[0].lstrip("#").strip())
            sections.append((heading, []))
            lines = lines[1:]
            if not lines:
                continue
        joined = " ".join(line.strip() for line in lines)
        if markdown:
            joined = plain_markdown(re.sub(r"^[-*+]\s+", "• ", joined))
        sections[-1][1].append(joined)
    return [(heading, paragraphs) for heading, paragraphs in sections if heading or paragraphs]


def parse_file(path: Path, data: bytes) -> ParsedFile:
    suffix = path.suffix.lower()
    parsed = ParsedFile()
    meta = {}
    if suffix in TEXT_EXTENSIONS:
        text = decode_text(data)
        meta, text = split_front_matter(text)
        is_markdown = suffix in (".md", ".markdown")
        sections = text_sections(text, markdown=is_markdown)
        # The first Markdown heading is the title when the front matter has none.
        if is_markdown and not meta.get("title") and sections and sections[0][0]:
            heading, paragraphs = sections[0]
            parsed.title = heading
            sections[0] = ("", paragraphs)
            sections = [section for section in sections if section[0] or section[1]]
        parsed.sections = sections
    else:
        extracted = extract(data, path.name)
        if extracted.errors:
            raise ImportFailed(
                _("het bestand is niet leesbaar (%(error)s)") % {"error": extracted.errors[0]}
            )
        parsed.title = extracted.title
        parsed.date = extracted.date
        parsed.document_text = extracted.text
        parsed.sections = text_sections(extracted.text)
    return parsed, meta


# --- the importer ----------------------------------------------------------------------------


class KennisbankImporter:
    def __init__(
        self,
        parent,
        *,
        publish=False,
        dry_run=False,
        kind="",
        themes=(),
        tags=(),
        user=None,
    ):
        self.parent = parent
        self.locale = parent.locale
        self.publish = publish
        self.dry_run = dry_run
        self.kind = kind
        self.option_themes = list(themes)
        self.option_tags = list(tags)
        self.user = user
        self.themes = {
            theme.slug.lower(): theme for theme in Theme.objects.filter(locale=self.locale)
        }
        self.themes_by_name = {theme.name.lower(): theme for theme in self.themes.values()}
        # One query for everything imported before: source key -> (pk, checksum).
        self.existing = {
            source: (pk, checksum)
            for source, pk, checksum in KennisbankItemPage.objects.filter(locale=self.locale)
            .exclude(import_source="")
            .values_list("import_source", "pk", "import_checksum")
        }
        self.sibling_slugs = set(parent.get_children().values_list("slug", flat=True))
        self._collection = None

    # files

    @staticmethod
    def collect(paths):
        """(root, file) pairs for the given files and folders (recursively), sorted."""
        found = []
        missing = []
        for given in paths:
            given = Path(given)
            if given.is_dir():
                for path in sorted(given.rglob("*")):
                    if path.is_file() and KennisbankImporter.is_candidate(path):
                        found.append((given, path))
            elif given.is_file():
                found.append((given.parent, given))
            else:
                missing.append(given)
        return found, missing

    @staticmethod
    def is_candidate(path):
        """Every visible file except side-cars; unsupported types are reported as skipped."""
        name = path.name.lower()
        return not (name.startswith(".") or name.endswith(SIDECAR_SUFFIXES))

    @staticmethod
    def source_key(root, path):
        return path.relative_to(root).as_posix()

    # one file

    def import_file(self, root: Path, path: Path) -> FileResult:
        key = self.source_key(root, path)
        result = FileResult(path=path, source_key=key, status="failed")
        try:
            if path.suffix.lower() not in IMPORTABLE_EXTENSIONS:
                result.status = "skipped"
                result.reason = _("bestandstype %(suffix)s wordt niet ondersteund") % {
                    "suffix": path.suffix or "?"
                }
                return result
            size = path.stat().st_size
            if size > MAX_FILE_SIZE:
                raise ImportFailed(_("het bestand is groter dan 50 MB"))
            if size == 0:
                raise ImportFailed(_("het bestand is leeg"))
            data = path.read_bytes()
            sidecar, sidecar_raw = read_sidecar(path)
            checksum = self.checksum(data, sidecar_raw)
            existing = self.existing.get(key)
            if existing and existing[1] == checksum:
                result.status = "unchanged"
                result.page_id = existing[0]
                return result
            parsed, front_matter = parse_file(path, data)
            self.apply_metadata(parsed, path, {**sidecar, **front_matter})
            result.title, result.kind, result.notes = parsed.title, parsed.kind, parsed.notes
            if self.dry_run:
                result.status = "updated" if existing else "created"
                result.page_id = existing[0] if existing else None
                return result
            with transaction.atomic():
                page = self.save_page(existing, parsed, path, data, key, checksum)
            result.status = "updated" if existing else "created"
            result.page_id = page.pk
            self.existing[key] = (page.pk, checksum)
        except ImportFailed as error:
            result.status = "failed"
            result.reason = str(error)
        except Exception as error:  # a broken file must never stop the whole import
            logger.exception("Import of %s failed", path)
            result.status = "failed"
            result.reason = _("onverwachte fout: %(error)s") % {
                "error": f"{type(error).__name__}: {error}"
            }
        return result

    def checksum(self, data, sidecar_raw):
        digest = hashlib.sha256(data)
        digest.update(b"\0" + sidecar_raw)
        options = [self.kind, *self.option_themes, "|", *self.option_tags, str(self.publish)]
        digest.update(("\0" + "\x1f".join(options)).encode())
        return digest.hexdigest()

    def apply_metadata(self, parsed, path, meta):
        notes = parsed.notes
        parsed.title = (str(meta.get("title") or "").strip() or parsed.title).strip()
        if not parsed.title:
            parsed.title = title_from_name(path.name)
        parsed.title = parsed.title[:255]

        kind = str(meta.get("type") or meta.get("soort") or "").strip().lower()
        if kind and kind not in KIND_ALIASES:
            notes.append(_("onbekend type '%(type)s' genegeerd") % {"type": kind})
            kind = ""
        parsed.kind = (
            KIND_ALIASES.get(kind)
            or self.kind
            or guess_kind(path.stem, parsed.title)
            or (Kind.PUBLICATIE if path.suffix.lower() in (".pdf", ".docx") else Kind.ARTIKEL)
        )

        date = None
        if meta.get("date") or meta.get("datum"):
            date = parse_date(meta.get("date") or meta.get("datum"))
            if date is None:
                notes.append(_("datum in de metadata niet begrepen"))
        parsed.date = (
            date
            or date_from_name(path.name)
            or parsed.date
            or datetime.date.fromtimestamp(os.path.getmtime(path))
        )

        audience = str(meta.get("audience") or meta.get("doelgroep") or "").strip().lower()
        audience = audience.replace("ö", "o")
        if audience and audience not in Audience.values:
            notes.append(_("onbekende doelgroep '%(audience)s' genegeerd") % {"audience": audience})
            audience = ""
        parsed.audience = audience or Audience.IEDEREEN

        parsed.themes = []
        for name in [*as_list(meta.get("themes") or meta.get("themas")), *self.option_themes]:
            theme = self.themes.get(slugify(name)) or self.themes_by_name.get(name.lower())
            if theme is None:
                notes.append(_("onbekend thema '%(theme)s' genegeerd") % {"theme": name})
            elif theme not in parsed.themes:
                parsed.themes.append(theme)
        parsed.tags = list(
            dict.fromkeys(
                [*as_list(meta.get("tags") or meta.get("trefwoorden")), *self.option_tags]
            )
        )
        summary = str(meta.get("summary") or meta.get("samenvatting") or "").strip()
        if not summary and parsed.paragraphs:
            summary = parsed.paragraphs[0]
            if len(summary) > 300:
                summary = summary[:297].rsplit(" ", 1)[0] + "…"
        parsed.summary = summary[:1000]

    # writing

    def collection(self):
        if self._collection is None:
            self._collection = Collection.objects.filter(name=COLLECTION_NAME).first()
            if self._collection is None:
                self._collection = Collection.get_first_root_node().add_child(name=COLLECTION_NAME)
        return self._collection

    def store_document(self, page, parsed, path, data):
        Document = get_document_model()
        document = page.source_document if page.pk else None
        if document is None:
            document = Document(title=parsed.title, collection=self.collection())
        document.title = parsed.title
        document.file.save(path.name, ContentFile(data), save=False)
        document.file_size = len(data)
        document._set_file_hash()
        if self.user is not None and not document.pk:
            document.uploaded_by_user = self.user
        document.save()
        return document

    def unique_slug(self, title):
        base = slugify(title)[:70] or "item"
        slug = base
        number = 2
        while slug in self.sibling_slugs:
            slug = f"{base}-{number}"
            number += 1
        self.sibling_slugs.add(slug)
        return slug

    def save_page(self, existing, parsed, path, data, key, checksum):
        if existing:
            page = KennisbankItemPage.objects.get(pk=existing[0]).specific
            if page.item_kind != parsed.kind:
                parsed.notes.append(
                    _("type blijft '%(kind)s' (een bestaande pagina verandert niet van type)")
                    % {"kind": page.kind}
                )
        else:
            page = ITEM_MODELS[parsed.kind](locale=self.locale)
        page.title = parsed.title
        page.publication_date = parsed.date
        page.audience = parsed.audience
        page.summary_text = parsed.summary
        page.import_source = key
        page.import_checksum = checksum
        if self.user is not None and not page.pk:
            page.owner = self.user
        self.fill_body(page, parsed)
        document = self.store_document(page, parsed, path, data)
        page.source_document = document
        if page.item_kind == Kind.PUBLICATIE:
            page.document = document
            if parsed.document_text:
                page.document_text = parsed.document_text
                page.document_text_source = f"{document.pk}:{document.file_hash}"
        page.themes.set(parsed.themes)
        page.tags.set(parsed.tags)
        if page.pk is None:
            page.slug = self.unique_slug(parsed.title)
            page.live = False
            self.parent.add_child(instance=page)
        revision = page.save_revision(user=self.user, log_action=True)
        if self.publish:
            revision.publish(user=self.user)
        else:
            # A draft revision does not touch the page row; the import bookkeeping must, so
            # that the next run recognises the file as unchanged.
            KennisbankItemPage.objects.filter(pk=page.pk).update(
                import_source=key, import_checksum=checksum
            )
        return page

    @staticmethod
    def fill_body(page, parsed):
        if page.item_kind == Kind.STAPPENPLAN:
            page.introduction = "".join(
                (f"<h3>{escape(heading)}</h3>" if heading else "")
                + "".join(f"<p>{escape(paragraph)}</p>" for paragraph in paragraphs)
                for heading, paragraphs in parsed.sections
            )
            return
        if page.item_kind == Kind.PUBLICATIE and parsed.document_text:
            page.body = []  # the text lives in the document; search reads document_text
            return
        stream = []
        for heading, paragraphs in parsed.sections:
            for block in kb_blocks.paragraphs_to_stream(paragraphs):
                block["value"]["heading"] = heading[:120]
                stream.append(block)
            if heading and not paragraphs:
                stream.append({"type": "text", "value": {"heading": heading[:120], "text": ""}})
        page.body = [block for block in stream if block["value"]["text"]]


SUPPORTED = sorted(SUPPORTED_EXTENSIONS & IMPORTABLE_EXTENSIONS)
