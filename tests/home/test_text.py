"""Plain text from rich text: paragraphs stay apart, entities are decoded exactly once."""

import pytest

from django.template import Context, Template

from home.text import html_to_line, html_to_text


def test_paragraphs_and_line_breaks_stay_apart():
    value = (
        "<p>Koffie om 10 uur!</p><p>Neem je buren mee.<br>Tot dan.</p>"
        "<ul><li>Koek</li><li>Thee</li></ul>"
    )
    assert (
        html_to_text(value) == "Koffie om 10 uur!\n\nNeem je buren mee.\nTot dan.\n\nKoek\n\nThee"
    )
    assert html_to_line(value) == "Koffie om 10 uur! Neem je buren mee. Tot dan. Koek Thee"


def test_typed_markup_is_text_and_is_escaped_once_in_a_template():
    value = "<p>Let op: &lt;b&gt;vet&lt;/b&gt; &amp; zo</p>"
    assert html_to_line(value) == "Let op: <b>vet</b> & zo"
    rendered = Template("{% load text_tags %}{{ value|plain_text }}").render(
        Context({"value": value})
    )
    assert rendered == "Let op: &lt;b&gt;vet&lt;/b&gt; &amp; zo"


@pytest.mark.parametrize("value", [None, "", "<p></p>", "<p>  </p>"])
def test_empty_rich_text_gives_empty_text(value):
    assert html_to_text(value) == ""
