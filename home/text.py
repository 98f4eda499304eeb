"""Plain text from the rich text editors and contact persons write, for places without HTML:
calendar files, structured data, e-mails, meta descriptions and short teasers.

``strip_tags`` alone runs paragraphs together ("om 10 uur!Neem ...") and leaves entities such as
``&lt;b&gt;`` in place, which a template then escapes a second time.
"""

import html
import re

from django.utils.html import strip_tags

LINE_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
BLOCK_END = re.compile(r"</(?:p|li|h[1-6]|div|blockquote|tr|ul|ol)>", re.IGNORECASE)


def html_to_text(value):
    """Paragraphs separated by an empty line, line breaks kept, entities decoded once."""
    value = LINE_BREAK.sub("\n", value or "")
    value = BLOCK_END.sub("\n\n", value)
    text = html.unescape(strip_tags(value))
    lines = [" ".join(line.split()) for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def html_to_line(value):
    """The same text on one line, for a teaser or a meta description."""
    return " ".join(html_to_text(value).split())
