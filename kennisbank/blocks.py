"""StreamField blocks of the kennisbank item pages.

Kept small on purpose: volunteer editors choose from a handful of blocks whose names say what
they are for. See https://docs.wagtail.org/en/stable/topics/streamfield.html
"""

from django.core.exceptions import ValidationError
from django.utils.html import escape
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from wagtail import blocks
from wagtail.blocks import StructBlockValidationError
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.rich_text import RichText

TEXT_FEATURES = ["h3", "h4", "bold", "italic", "link", "document-link", "ol", "ul"]


class TextSectionBlock(blocks.StructBlock):
    """A heading (optional) with running text: the workhorse of every body."""

    heading = blocks.CharBlock(
        label=_("Tussenkop"),
        required=False,
        max_length=120,
        help_text=_("Optioneel. Verschijnt als kop boven de tekst."),
    )
    text = blocks.RichTextBlock(label=_("Tekst"), features=TEXT_FEATURES)

    class Meta:
        icon = "doc-full"
        label = _("Tekst")
        template = "kennisbank/blocks/text_section_block.html"
        description = _("Een stuk tekst met een optionele tussenkop.")
        preview_value = {
            "heading": "Wat we bespraken",
            "text": RichText("<p>De deelnemers wisselden ervaringen uit over binnenbuurten.</p>"),
        }


class ExperienceBlock(blocks.StructBlock):
    """What one stadsdorp told at a meeting."""

    stadsdorp = blocks.CharBlock(
        label=_("Stadsdorp"), max_length=120, help_text=_("Naam van het stadsdorp.")
    )
    text = blocks.RichTextBlock(label=_("Ervaring"), features=TEXT_FEATURES)

    class Meta:
        icon = "group"
        label = _("Ervaring van een stadsdorp")
        template = "kennisbank/blocks/experience_block.html"
        description = _("Wat één stadsdorp vertelde over zijn aanpak.")
        preview_value = {
            "stadsdorp": "Stadsdorp Zuid",
            "text": RichText("<p>Wij hebben twaalf binnenbuurten, waarvan tien actief.</p>"),
        }


class ActionPointBlock(blocks.StructBlock):
    action = blocks.CharBlock(label=_("Actie"), max_length=250)
    who = blocks.CharBlock(label=_("Wie"), required=False, max_length=120)
    deadline = blocks.CharBlock(
        label=_("Wanneer"), required=False, max_length=60, help_text=_("Bijvoorbeeld: vóór 1 mei")
    )

    class Meta:
        icon = "tick"
        label = _("Actiepunt")


class ActionPointsBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Tussenkop"), required=False, default=_("Actiepunten"))
    items = blocks.ListBlock(ActionPointBlock(), label=_("Actiepunten"))

    class Meta:
        icon = "list-ul"
        label = _("Actiepunten")
        template = "kennisbank/blocks/action_points_block.html"
        description = _("Een lijst van afspraken: wat, wie en wanneer.")
        preview_value = {
            "heading": "Actiepunten",
            "items": [{"action": "Verslag rondsturen", "who": "Secretaris", "deadline": "juli"}],
        }


class LinkBlock(blocks.StructBlock):
    """A link to a template or document to download, a page, or another website."""

    label = blocks.CharBlock(label=_("Tekst van de link"), max_length=120)
    document = DocumentChooserBlock(label=_("Document"), required=False)
    page = blocks.PageChooserBlock(label=_("Pagina"), required=False)
    url = blocks.URLBlock(label=_("Andere website"), required=False)

    class Meta:
        icon = "link"
        label = _("Link of download")
        template = "kennisbank/blocks/link_block.html"

    def clean(self, value):
        targets = [value.get("document"), value.get("page"), value.get("url")]
        if sum(1 for target in targets if target) != 1:
            raise StructBlockValidationError(
                block_errors={
                    "document": ValidationError(
                        _("Kies precies één doel: een document, een pagina of een website.")
                    )
                }
            )
        return super().clean(value)


class StepBlock(blocks.StructBlock):
    """One numbered step of a step-by-step guide."""

    title = blocks.CharBlock(label=_("Titel van de stap"), max_length=150)
    explanation = blocks.RichTextBlock(label=_("Uitleg"), features=TEXT_FEATURES)
    tips = blocks.ListBlock(
        blocks.CharBlock(label=_("Tip"), max_length=300),
        label=_("Tips"),
        required=False,
        default=[],
    )
    checklist = blocks.ListBlock(
        blocks.CharBlock(label=_("Punt"), max_length=200),
        label=_("Checklist"),
        required=False,
        default=[],
        help_text=_("Dingen om af te vinken, één per regel."),
    )
    links = blocks.ListBlock(
        LinkBlock(),
        label=_("Sjablonen en documenten"),
        required=False,
        default=[],
        help_text=_("Bijvoorbeeld een sjabloon voor een flyer om te downloaden."),
    )

    class Meta:
        icon = "order"
        label = _("Stap")
        template = "kennisbank/blocks/step_block.html"
        description = _("Eén stap met uitleg, tips, een checklist en downloads.")
        preview_value = {
            "title": "Zoek medestanders",
            "explanation": RichText("<p>Begin met een paar buren die ook willen.</p>"),
            "tips": ["Vraag mensen met verschillende talenten."],
            "checklist": ["Drie tot vijf mensen gevonden"],
            "links": [],
        }


STEP_PREVIEW = StepBlock._meta_class.preview_value


class PhaseBlock(blocks.StructBlock):
    """A phase groups steps, e.g. a pioneer phase and an organisation phase."""

    title = blocks.CharBlock(label=_("Naam van de fase"), max_length=120)
    description = blocks.RichTextBlock(
        label=_("Omschrijving"), features=TEXT_FEATURES, required=False
    )
    steps = blocks.ListBlock(StepBlock(), label=_("Stappen"))

    class Meta:
        icon = "folder-open-inverse"
        label = _("Fase met stappen")
        template = "kennisbank/blocks/phase_block.html"
        description = _("Een fase (bijvoorbeeld de pioniersfase) met zijn eigen stappen.")
        preview_value = {
            "title": "Pioniersfase",
            "description": RichText("<p>Een kleine groep verkent of er draagvlak is.</p>"),
            "steps": [STEP_PREVIEW],
        }


class TipBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Tip"), max_length=150)
    text = blocks.RichTextBlock(label=_("Toelichting"), features=TEXT_FEATURES, required=False)

    class Meta:
        icon = "pick"
        label = _("Tip")
        template = "kennisbank/blocks/tip_block.html"
        description = _("Een genummerde tip met een korte toelichting.")
        preview_value = {
            "title": "Wees aanwezig",
            "text": RichText("<p>Kom langs op de koffieochtend, ook zonder agenda.</p>"),
        }


class FindingBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("Bevinding"), max_length=500)

    class Meta:
        icon = "pick"
        label = _("Belangrijkste bevinding")
        template = "kennisbank/blocks/finding_block.html"
        description = _("Eén belangrijke uitkomst van het onderzoek, in één of twee zinnen.")
        preview_value = {"text": "Zestien stadsdorpen noemen communicatie een knelpunt."}


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("Document"))
    description = blocks.CharBlock(label=_("Omschrijving"), required=False, max_length=200)

    class Meta:
        icon = "doc-full-inverse"
        label = _("Bijlage")
        template = "kennisbank/blocks/document_block.html"
        description = _("Een bestand om te downloaden, zoals de presentatie van de avond.")


def paragraphs_to_stream(paragraphs, block_name="text"):
    """Turn plain paragraphs into one text block's raw StreamField data (used by the importer)."""
    html = "".join(f"<p>{escape(paragraph)}</p>" for paragraph in paragraphs if paragraph.strip())
    if not html:
        return []
    return [{"type": block_name, "value": {"heading": "", "text": html}}]


def anchor_for(prefix, number, title):
    """A stable anchor for a table of contents entry."""
    return f"{prefix}-{number}-{slugify(title)[:40]}".rstrip("-")
