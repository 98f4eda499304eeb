"""The sections of a newsletter issue.

An issue's body is a list of sections. An *automatic* section names a kind of content (news,
kennisbank, events, own binnenbuurt) and is resolved when the e-mail is rendered, per subscriber,
with that subscriber's rights (``composition.py``). The manual sections are a text, a link and a
list of chosen pages; the "Vul automatisch" action turns automatic sections into page lists that
editors can then reorder and trim.

The blocks have no ``Meta.template``: a section is rendered twice, in the e-mail (inline styles,
tables-free HTML that mail clients understand) and on the web archive, from the resolved
``Section`` objects of ``composition.py``, so a single block template would not fit either.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail import blocks


class SectionKind(models.TextChoices):
    NEWS = "news", _("Nieuws voor leden (sinds de vorige nieuwsbrief)")
    KENNISBANK = "kennisbank", _("Nieuw in de kennisbank (sinds de vorige nieuwsbrief)")
    EVENTS = "events", _("Activiteiten in de komende weken")
    BINNENBUURT = "binnenbuurt", _("Nieuws en activiteiten van de eigen binnenbuurt (alleen leden)")


class AutomaticSectionBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(
        choices=SectionKind.choices,
        label=_("Soort"),
        help_text=_("Wat in dit blok komt; dat wordt per lezer opgezocht bij het versturen."),
    )
    heading = blocks.CharBlock(
        required=False,
        max_length=120,
        label=_("Kop"),
        help_text=_("Leeg laten voor de standaardkop, bijvoorbeeld 'Nieuw in de kennisbank'."),
    )
    max_items = blocks.IntegerBlock(
        default=5,
        min_value=1,
        max_value=20,
        label=_("Hoogstens zoveel berichten"),
    )
    weeks = blocks.IntegerBlock(
        default=4,
        min_value=1,
        max_value=12,
        label=_("Aantal weken vooruit"),
        help_text=_("Alleen voor activiteiten: hoe ver vooruit we kijken."),
    )

    class Meta:
        icon = "repeat"
        label = _("Automatisch blok")
        description = _(
            "Wordt bij het versturen gevuld met wat sinds de vorige nieuwsbrief nieuw is."
        )
        preview_value = {"kind": SectionKind.KENNISBANK, "heading": "", "max_items": 5, "weeks": 4}


class TextSectionBlock(blocks.StructBlock):
    heading = blocks.CharBlock(max_length=120, label=_("Kop"))
    text = blocks.RichTextBlock(features=["bold", "italic", "link", "ul", "ol"], label=_("Tekst"))

    class Meta:
        icon = "pilcrow"
        label = _("Tekst")
        description = _("Een kop met een stukje tekst, voor iedereen die de nieuwsbrief krijgt.")
        preview_value = {"heading": "Vrijwilligers gezocht", "text": "<p>Wie helpt mee?</p>"}


class LinkSectionBlock(blocks.StructBlock):
    title = blocks.CharBlock(max_length=160, label=_("Titel van de link"))
    url = blocks.URLBlock(label=_("Webadres"))
    description = blocks.TextBlock(required=False, max_length=400, label=_("Korte uitleg"))

    class Meta:
        icon = "link"
        label = _("Link")
        description = _("Een verwijzing naar een andere website.")
        preview_value = {"title": "Gemeente Amsterdam", "url": "https://www.amsterdam.nl/"}


class ChosenPageBlock(blocks.StructBlock):
    page = blocks.PageChooserBlock(label=_("Pagina"))
    note = blocks.TextBlock(
        required=False,
        max_length=300,
        label=_("Eigen tekst"),
        help_text=_("Leeg laten: dan tonen we de samenvatting van de pagina."),
    )

    class Meta:
        icon = "doc-full"
        label = _("Pagina")


class PagesSectionBlock(blocks.StructBlock):
    heading = blocks.CharBlock(max_length=120, label=_("Kop"))
    pages = blocks.ListBlock(ChosenPageBlock(), label=_("Pagina's"))

    class Meta:
        icon = "list-ul"
        label = _("Gekozen pagina's")
        description = _(
            "Een lijst pagina's die u zelf kiest. Elke lezer ziet alleen de pagina's die hij "
            "op de website ook mag zien."
        )
        preview_value = {"heading": "Uitgelicht", "pages": []}


class NewsletterStreamBlock(blocks.StreamBlock):
    automatic = AutomaticSectionBlock()
    text = TextSectionBlock()
    link = LinkSectionBlock()
    pages = PagesSectionBlock()


def default_body():
    """A new issue starts with the automatic sections in the usual order."""
    return [
        ("automatic", {"kind": SectionKind.BINNENBUURT, "heading": "", "max_items": 5, "weeks": 4}),
        ("automatic", {"kind": SectionKind.NEWS, "heading": "", "max_items": 5, "weeks": 4}),
        ("automatic", {"kind": SectionKind.EVENTS, "heading": "", "max_items": 8, "weeks": 4}),
        ("automatic", {"kind": SectionKind.KENNISBANK, "heading": "", "max_items": 5, "weeks": 4}),
    ]
