"""Plain text out of uploaded files, so that search finds words inside a publication.

PDF through pypdf, DOCX through python-docx, ODT through odfpy, and plain text / Markdown as is.
Extraction never raises: a broken or unknown file is logged and gives empty text, because an
editor's save must never fail on a file we cannot read.
"""

import io
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path

logger = logging.getLogger(__name__)

#: Stored text is capped; a 300-page report does not need more to be found.
MAX_TEXT_LENGTH = 500_000

TEXT_EXTENSIONS = {".txt", ".md", ".markdown"}
SUPPORTED_EXTENSIONS = TEXT_EXTENSIONS | {".pdf", ".docx", ".odt"}


@dataclass
class Extracted:
    """Text and whatever metadata the file format offers."""

    text: str = ""
    title: str = ""
    date: object = None  # a datetime.date or None
    errors: list[str] = field(default_factory=list)


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


def _pdf(data: bytes) -> Extracted:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    pages = []
    for page in reader.pages:
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
    )


def _docx(data: bytes) -> Extracted:
    import docx

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
    from odf import teletype
    from odf.namespaces import DCNS, TEXTNS
    from odf.opendocument import load

    document = load(io.BytesIO(data))
    blocks = {(TEXTNS, "p"), (TEXTNS, "h")}
    parts = []

    def walk(node):
        for child in node.childNodes:
            if getattr(child, "qname", None) in blocks:
                parts.append(teletype.extractText(child))
            elif child.nodeType == child.ELEMENT_NODE:
                walk(child)

    walk(document.text)
    title = ""
    for element in document.meta.childNodes:
        if getattr(element, "qname", None) == (DCNS, "title"):
            title = teletype.extractText(element)
    return Extracted(text="\n\n".join(part for part in parts if part), title=title)


def extract(data: bytes, filename: str) -> Extracted:
    """Extract text (and title/date metadata when present) from file content."""
    suffix = Path(filename).suffix.lower()
    try:
        if suffix == ".pdf":
            result = _pdf(data)
        elif suffix == ".docx":
            result = _docx(data)
        elif suffix == ".odt":
            result = _odt(data)
        elif suffix in TEXT_EXTENSIONS:
            result = Extracted(text=decode_text(data))
        else:
            return Extracted(errors=[f"unsupported file type {suffix or '(none)'}"])
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
            data = handle.read()
    except Exception as error:
        logger.warning("Could not open document %s: %s", document.pk, error)
        return ""
    return extract(data, document.file.name).text
