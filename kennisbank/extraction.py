"""Plain text out of uploaded files, so that search finds words inside a publication.

PDF through pypdf, DOCX through python-docx, ODT through odfdo, and plain text / Markdown as is.
Extraction never raises: a broken or unknown file is logged and gives empty text, because an
editor's save must never fail on a file we cannot read.

Uploaded files are untrusted, and parsers have had denial-of-service bugs (pypdf fixes crafted
PDFs that loop or blow up memory in most releases; a zip "bomb" inflates a small DOCX or ODT to
gigabytes). So every PDF, DOCX and ODT is parsed in a separate Python process
(``python -m kennisbank.extraction``) with limits:

- at most ``MAX_INPUT_BYTES`` in, and for DOCX/ODT at most ``MAX_UNZIPPED_BYTES`` unpacked;
- at most ``MAX_PDF_PAGES`` pages read;
- ``TIME_BUDGET_SECONDS`` of wall-clock time (the process is killed after that), and the same in
  CPU seconds and ``MEMORY_LIMIT_BYTES`` of address space as operating-system limits.

A file that hits a limit gives the text read so far, or none, and an error: never a stuck worker.
"""

import io
import json
import logging
import re
import resource
import subprocess
import sys
import zipfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import docx
from odfdo import Document
from pypdf import PdfReader

logger = logging.getLogger(__name__)

#: Stored text is capped; a 300-page report does not need more to be found.
MAX_TEXT_LENGTH = 500_000
MAX_INPUT_BYTES = 25 * 1024 * 1024
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024
MAX_PDF_PAGES = 300
TIME_BUDGET_SECONDS = 20
MEMORY_LIMIT_BYTES = 1024 * 1024 * 1024

TEXT_EXTENSIONS = {".txt", ".md", ".markdown"}
ISOLATED_EXTENSIONS = {".pdf", ".docx", ".odt"}
SUPPORTED_EXTENSIONS = TEXT_EXTENSIONS | ISOLATED_EXTENSIONS
PROJECT_ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Extracted:
    """Text and whatever metadata the file format offers."""

    text: str = ""
    title: str = ""
    date: object = None  # a datetime.date or None
    errors: list[str] = field(default_factory=list)


class ExtractionLimit(Exception):
    """The file is larger or slower than we are willing to read."""


def decode_text(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def _clean(text: str) -> str:
    text = text.replace("\x00", "")
    text = re.sub(r"[ \t\r\f\v]+", " ", text)
    text = re.sub(r"\n\s*\n\s*\n+", "\n\n", text)
    return text.strip()[:MAX_TEXT_LENGTH]


def _check_unzipped_size(data: bytes):
    """DOCX and ODT are zip archives: refuse one that would unpack to too much."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        if sum(member.file_size for member in archive.infolist()) > MAX_UNZIPPED_BYTES:
            raise ExtractionLimit("unpacks to more than the limit")


# --- Parsers: these run in the child process ---------------------------------------------------


def _pdf(data: bytes) -> Extracted:
    reader = PdfReader(io.BytesIO(data))
    pages, errors = [], []
    for number, page in enumerate(reader.pages):
        if number >= MAX_PDF_PAGES:
            errors.append(f"only the first {MAX_PDF_PAGES} pages were read")
            break
        try:
            pages.append(page.extract_text() or "")
        except Exception as error:  # one bad page must not lose the rest
            logger.warning("PDF page not readable: %s", error)
    metadata = reader.metadata or {}
    created = getattr(metadata, "creation_date", None) if metadata else None
    return Extracted(
        text="\n\n".join(pages),
        title=str(getattr(metadata, "title", "") or "") if metadata else "",
        date=created.date() if created else None,
        errors=errors,
    )


def _docx(data: bytes) -> Extracted:
    _check_unzipped_size(data)
    document = docx.Document(io.BytesIO(data))
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append(" | ".join(cell.text for cell in row.cells))
    properties = document.core_properties
    moment = properties.created or properties.modified
    return Extracted(
        text="\n\n".join(parts),
        title=properties.title or "",
        date=moment.date() if moment else None,
    )


def _odt(data: bytes) -> Extracted:
    _check_unzipped_size(data)
    document = Document(io.BytesIO(data))
    # Headings and paragraphs (list items are paragraphs too) in reading order.
    blocks = document.body.xpath("descendant::text:h|descendant::text:p")
    parts = [block.text_recursive for block in blocks]
    return Extracted(
        text="\n\n".join(part for part in parts if part), title=document.meta.get_title() or ""
    )


PARSERS = {".pdf": _pdf, ".docx": _docx, ".odt": _odt}


def _limit_resources():
    resource.setrlimit(resource.RLIMIT_CPU, (TIME_BUDGET_SECONDS, TIME_BUDGET_SECONDS + 1))
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT_BYTES, MEMORY_LIMIT_BYTES))


def _child(suffix):
    """``python -m kennisbank.extraction .pdf``: file on stdin, JSON on stdout."""
    _limit_resources()
    result = PARSERS[suffix](sys.stdin.buffer.read())
    json.dump(
        {
            "text": result.text[: MAX_TEXT_LENGTH * 2],
            "title": result.title,
            "date": result.date.isoformat() if result.date else None,
            "errors": result.errors,
        },
        sys.stdout,
    )


# --- In the caller -----------------------------------------------------------------------------


def _parse_isolated(data: bytes, suffix: str) -> Extracted:
    try:
        completed = subprocess.run(
            [sys.executable, "-m", "kennisbank.extraction", suffix],
            input=data,
            capture_output=True,
            timeout=TIME_BUDGET_SECONDS,
            cwd=PROJECT_ROOT,
            check=False,
        )
    except subprocess.TimeoutExpired as error:
        raise ExtractionLimit(f"took longer than {TIME_BUDGET_SECONDS} s") from error
    if completed.returncode != 0:
        last_line = (completed.stderr.decode(errors="replace").strip().splitlines() or [""])[-1]
        if completed.returncode < 0 or "MemoryError" in last_line:
            raise ExtractionLimit(f"stopped by a limit ({last_line or completed.returncode})")
        raise ValueError(last_line or f"parser exited with {completed.returncode}")
    payload = json.loads(completed.stdout)
    return Extracted(
        text=payload["text"],
        title=payload["title"],
        date=date.fromisoformat(payload["date"]) if payload["date"] else None,
        errors=payload["errors"],
    )


def extract(data: bytes, filename: str) -> Extracted:
    """Extract text (and title/date metadata when present) from file content."""
    suffix = Path(filename).suffix.lower()
    if suffix not in SUPPORTED_EXTENSIONS:
        return Extracted(errors=[f"unsupported file type {suffix or '(none)'}"])
    try:
        if len(data) > MAX_INPUT_BYTES:
            raise ExtractionLimit(f"larger than {MAX_INPUT_BYTES // (1024 * 1024)} MB")
        if suffix in TEXT_EXTENSIONS:
            result = Extracted(text=decode_text(data))
        else:
            result = _parse_isolated(data, suffix)
    except Exception as error:  # broken files come in every shape; never crash the caller
        logger.warning("Could not extract text from %s: %s", filename, error)
        return Extracted(errors=[f"{type(error).__name__}: {error}"])
    result.text = _clean(result.text)
    result.title = (result.title or "").strip()
    return result


def extract_file(path) -> Extracted:
    path = Path(path)
    return extract(path.read_bytes(), path.name)


def extract_document_text(document) -> str:
    """The text of a Wagtail document, or '' when it cannot be read."""
    try:
        with document.file.open("rb") as handle:
            data = handle.read(MAX_INPUT_BYTES + 1)
    except Exception as error:
        logger.warning("Could not open document %s: %s", document.pk, error)
        return ""
    return extract(data, document.file.name).text


if __name__ == "__main__":
    _child(sys.argv[1])
