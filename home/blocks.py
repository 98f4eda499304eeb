"""StreamField blocks for general content pages.

Each block is a StructBlock with its own template in ``templates/home/blocks/``, an icon, a
description and a preview value, so editors see what a block does before they pick it.
See https://docs.wagtail.org/en/stable/topics/streamfield.html
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock

RICH_TEXT_FEATURES = ["h3", "h4", "bold", "italic", "link", "document-link", "ol", "ul"]


class HeadingLevel(models.TextChoices):
    H2 = "h2", _("Kop (niveau 2)")
    H3 = "h3", _("Tussenkop (niveau 3)")


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Kop"), max_length=120)
    level = blocks.ChoiceBlock(
        label=_("Niveau"),
        choices=HeadingLevel.choices,
        default=HeadingLevel.H2,
        help_text=_("Gebruik niveau 3 alleen onder een kop van niveau 2."),
    )
    anchor = blocks.CharBlock(
        label=_("Anker"),
        required=False,
        max_length=60,
        help_text=_(
            "Optioneel: een korte naam zodat u naar deze kop kunt linken (#naam). "
            "Leeg laten: we maken er een van de kop."
        ),
    )

    class Meta:
        icon = "title"
        template = "home/blocks/heading_block.html"
        label = _("Kop")
        description = _(
            "Een kop om de tekst in stukken te verdelen, met een anker om naar te linken."
        )
        preview_value = {"text": "Wat doet een stadsdorp?", "level": "h2", "anchor": ""}

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        context["anchor_id"] = slugify(value.get("anchor") or value.get("text") or "")
        return context


class RichTextBlock(blocks.StructBlock):
    text = blocks.RichTextBlock(label=_("Tekst"), features=RICH_TEXT_FEATURES)

    class Meta:
        icon = "pilcrow"
        template = "home/blocks/rich_text_block.html"
        label = _("Tekst")
        description = _("Gewone tekst met tussenkoppen, lijstjes en links.")
        preview_value = {
            "text": "<p>In een stadsdorp helpen buren elkaar met kleine dingen: een boodschap, "
            "een lift naar het ziekenhuis of een kop koffie.</p>"
        }


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Afbeelding"))
    alt_text = blocks.CharBlock(
        label=_("Beschrijving voor wie de afbeelding niet ziet (alt-tekst)"),
        max_length=250,
        help_text=_(
            "Verplicht. Beschrijf in één zin wat er op de afbeelding te zien is, "
            "voor mensen die een voorleesprogramma gebruiken."
        ),
    )
    caption = blocks.CharBlock(label=_("Onderschrift"), required=False, max_length=250)

    class Meta:
        icon = "image"
        template = "home/blocks/image_block.html"
        label = _("Afbeelding")
        description = _("Een foto of illustratie met een verplichte beschrijving en onderschrift.")
        preview_value = {"alt_text": "Buren drinken koffie in een woonkamer", "caption": ""}


class QuoteBlock(blocks.StructBlock):
    quote = blocks.TextBlock(label=_("Citaat"), max_length=600)
    attribution = blocks.CharBlock(
        label=_("Van wie"),
        required=False,
        max_length=120,
        help_text=_("Bijvoorbeeld: 'Els (78), stadsdorp Frankendael'."),
    )

    class Meta:
        icon = "openquote"
        template = "home/blocks/quote_block.html"
        label = _("Citaat")
        description = _("Een uitspraak van een bewoner of vrijwilliger, uitgelicht.")
        preview_value = {
            "quote": "Sinds de binnenbuurt ken ik mijn buren bij naam.",
            "attribution": "Een bewoner",
        }


class CallToActionBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Titel"), max_length=120)
    text = blocks.TextBlock(label=_("Tekst"), required=False, max_length=400)
    link_text = blocks.CharBlock(
        label=_("Tekst op de knop"),
        max_length=60,
        help_text=_("Zeg wat er gebeurt, bijvoorbeeld 'Word lid' in plaats van 'Klik hier'."),
    )
    page = blocks.PageChooserBlock(label=_("Pagina"), required=False)
    url = blocks.URLBlock(
        label=_("Of een webadres"), required=False, help_text=_("Alleen als er geen pagina is.")
    )

    class Meta:
        icon = "pick"
        template = "home/blocks/call_to_action_block.html"
        label = _("Oproep tot actie")
        description = _("Een opvallend blok met één knop, bijvoorbeeld 'Word lid'.")
        preview_value = {
            "title": "Doe mee",
            "text": "Er is altijd iets te doen in uw buurt.",
            "link_text": "Word lid",
            "url": "https://example.com/",
        }

    def get_context(self, value, parent_context=None):
        """The link goes to the chosen page in the language of the page it is shown on.

        Comparing locale ids avoids a query per block; only a link to a page in another
        language costs one to look up its translation.
        """
        context = super().get_context(value, parent_context=parent_context)
        target = value.get("page")
        url = ""
        if target is not None:
            current_page = (parent_context or {}).get("page")
            locale_id = getattr(current_page, "locale_id", None)
            if locale_id and target.locale_id != locale_id:
                target = target.get_translation_or_none(locale_id) or target
            if target.live:
                # Inside a shared fragment there is no request: its ``site`` says which site's
                # pages get relative addresses.
                request = (parent_context or {}).get("request")
                site = (parent_context or {}).get("site")
                url = target.get_url(request, current_site=site) or ""
        context["link_url"] = url or value.get("url") or ""
        context["is_external"] = not url and bool(value.get("url"))
        return context

    def clean(self, value):
        value = super().clean(value)
        if not value.get("page") and not value.get("url"):
            raise StructBlockValidationError(
                block_errors={"page": ValidationError(_("Kies een pagina of vul een webadres in."))}
            )
        return value


class FAQItemBlock(blocks.StructBlock):
    question = blocks.CharBlock(label=_("Vraag"), max_length=200)
    answer = blocks.RichTextBlock(label=_("Antwoord"), features=["bold", "italic", "link", "ul"])

    class Meta:
        icon = "help"
        label = _("Vraag en antwoord")


class FAQBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Titel"), required=False, max_length=120)
    items = blocks.ListBlock(FAQItemBlock(), label=_("Vragen"), min_num=1)

    class Meta:
        icon = "list-ul"
        template = "home/blocks/faq_block.html"
        label = _("Veelgestelde vragen")
        description = _(
            "Vragen die openklappen als iemand erop klikt; werkt ook zonder JavaScript."
        )
        preview_value = {
            "title": "Veelgestelde vragen",
            "items": [
                {
                    "question": "Kost lid worden geld?",
                    "answer": "<p>Dat verschilt per stadsdorp, vaak een paar euro per maand.</p>",
                }
            ],
        }


class DocumentLinkBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("Document"))
    title = blocks.CharBlock(
        label=_("Linktekst"),
        required=False,
        max_length=150,
        help_text=_("Leeg laten: dan tonen we de titel van het document."),
    )
    description = blocks.TextBlock(label=_("Toelichting"), required=False, max_length=300)

    class Meta:
        icon = "doc-full"
        template = "home/blocks/document_link_block.html"
        label = _("Document")
        description = _("Een link naar een pdf of ander bestand, met bestandstype en grootte.")


class EmbedVideoBlock(blocks.StructBlock):
    embed = EmbedBlock(
        label=_("Webadres van de video"),
        help_text=_("Bijvoorbeeld een YouTube- of Vimeo-adres."),
    )
    title = blocks.CharBlock(
        label=_("Titel"),
        max_length=150,
        help_text=_("Verplicht: waar gaat de video over? Ook voor voorleesprogramma's."),
    )
    transcript = blocks.TextBlock(
        label=_("Uitgeschreven tekst"),
        required=False,
        help_text=_("Voor wie de video niet kan zien of horen."),
    )

    class Meta:
        icon = "media"
        template = "home/blocks/embed_block.html"
        label = _("Video of ander ingesloten item")
        description = _(
            "Een video (YouTube, Vimeo) met een titel en eventueel uitgeschreven tekst."
        )


class ContentStreamBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = RichTextBlock()
    image = ImageBlock()
    quote = QuoteBlock()
    call_to_action = CallToActionBlock()
    faq = FAQBlock()
    document = DocumentLinkBlock()
    embed = EmbedVideoBlock()

    class Meta:
        block_counts = {}


__all__ = [
    "CallToActionBlock",
    "ContentStreamBlock",
    "DocumentLinkBlock",
    "EmbedVideoBlock",
    "FAQBlock",
    "HeadingBlock",
    "ImageBlock",
    "QuoteBlock",
    "RichTextBlock",
]
