"""Snippets with the matched words in ``<mark>``; everything else is HTML-escaped."""

from django.utils.html import escape
from django.utils.safestring import mark_safe

from . import analysis

SCAN_CHARS = 60_000


def _matches(text, stems, language):
    for match in analysis.WORD_RE.finditer(text):
        if analysis.word_stems(match.group(), language) & stems:
            yield match.start(), match.end()


def _render(text, spans, offset=0):
    pieces = []
    position = 0
    for start, end in spans:
        start, end = start - offset, end - offset
        pieces.append(escape(text[position:start]))
        pieces.append("<mark>" + escape(text[start:end]) + "</mark>")
        position = end
    pieces.append(escape(text[position:]))
    return "".join(pieces)


def highlight(text, stems, language):
    """The whole (short) text with matched words marked, e.g. a title."""
    text = text or ""
    spans = list(_matches(text, stems, language)) if stems else []
    return mark_safe(_render(text, spans))  # noqa: S308 - every piece is escaped above


def snippet(text, stems, language, length=260):
    """About ``length`` characters of ``text`` around the first matched word, marked."""
    text = " ".join((text or "")[:SCAN_CHARS].split())
    first = next(_matches(text, stems, language), None) if stems else None
    start = 0
    if first and first[0] > length // 3:
        start = text.rfind(" ", 0, first[0] - length // 3) + 1
    end = start + length
    if end < len(text):
        cut = text.rfind(" ", start, end)
        end = cut if cut > start else end
    window = text[start:end]
    spans = [
        (s + start, e + start) for s, e in (_matches(window, stems, language) if stems else [])
    ]
    html = _render(window, spans, offset=start)
    if start > 0:
        html = "… " + html
    if end < len(text):
        html += " …"
    return mark_safe(html)  # noqa: S308 - every piece is escaped in _render
