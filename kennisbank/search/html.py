"""The two long lists of the results page, the hits and the facet values, as HTML.

``templates/kennisbank/search/results.html`` holds the page; these lists are built here because
their template loops were most of the page's rendering (a blocktranslate, a date filter and a
dozen variable lookups per row, 50-70 rows per search: about 2.5 ms of a 13 ms request, where
the same markup from Python costs a tenth). The markup is the template's, row for row; every
value is escaped as a template escapes it (the hit's title and snippet are safe strings that
``highlighting`` built escaped). The
strings are the template's, so their English translations are the same.
"""

import functools

from django.utils import formats, translation
from django.utils.html import conditional_escape as escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext


@functools.lru_cache(maxsize=2048)
def _count_html(count, language):
    """ "(12 resultaten)" with the words for screen readers only; a few counts repeat."""
    return ngettext(
        '(%(counter)s<span class="visually-hidden"> resultaat</span>)',
        '(%(counter)s<span class="visually-hidden"> resultaten</span>)',
        count,
    ) % {"counter": escape(formats.localize(count))}


def count_html(count):
    return mark_safe(_count_html(count, translation.get_language()))  # noqa: S308 - escaped


def facet_values_html(name, values):
    """The ``<li>`` of each value of one facet: a checkbox with its label and count."""
    name = escape(name)
    rows = []
    for value in values:
        checked = " checked" if value.selected else ""
        rows.append(
            f'<li><label><input type="checkbox" name="{name}" value="{escape(value.value)}"'
            f"{checked}>\n{escape(value.label)} "
            f'<span class="kb-facet__count">{count_html(value.count)}</span></label></li>\n'
        )
    return mark_safe("".join(rows))  # noqa: S308 - every value is escaped above


def hits_html(hits):
    """The ``<li>`` of each hit: title link, kind, date and audience, snippet, missing words."""
    separator = ' <span aria-hidden="true">·</span> '
    rows = []
    for hit in hits:
        kind = escape(hit.kind)
        meta = f'<span class="kb-kind kb-kind--{kind}">{escape(hit.kind_label)}</span>'
        date = hit.publication_date
        if date:
            meta += (
                f'{separator}<time datetime="{escape(formats.date_format(date, "Y-m-d"))}">'
                f"{escape(formats.date_format(date, 'j F Y'))}</time>"
            )
        if hit.audience_label:
            audience = gettext("voor %(audience)s") % {"audience": escape(hit.audience_label)}
            meta += separator + audience
        # As in a template, safe strings (the highlighted title and snippet) stay as they are.
        link = f'<a href="{escape(hit.url)}">{escape(hit.title)}</a>'
        row = (
            '<li class="kb-result">\n'
            f'<h3 class="kb-result__title">{link}</h3>\n'
            f'<p class="kb-result__meta">{meta}</p>\n'
        )
        if hit.snippet:
            row += f'<p class="kb-result__snippet">{escape(hit.snippet)}</p>\n'
        if hit.missing:
            label = escape(gettext("Ontbreekt:"))
            words = ", ".join(f"<s>{escape(word)}</s>" for word in hit.missing)
            row += f'<p class="kb-result__missing">{label} {words}</p>\n'
        rows.append(row + "</li>\n")
    return mark_safe("".join(rows))  # noqa: S308 - every value is escaped above
