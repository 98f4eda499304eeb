"""Shared page building blocks and the public pages of the network site."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting
from wagtail.fields import RichTextField
from wagtail.models import Page, TranslatableMixin
from wagtail.search import index
from wagtail.snippets.models import register_snippet


class SocialMetadataMixin(models.Model):
    """Open Graph data; the image falls back to the listing image."""

    social_image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("afbeelding bij delen"),
        help_text=_("Getoond als iemand deze pagina deelt op sociale media of in een chat."),
    )

    promote_panels_extra = [FieldPanel("social_image")]

    class Meta:
        abstract = True


class ListingMixin(models.Model):
    """What a page looks like when it appears in a list of pages."""

    listing_summary = models.TextField(
        _("korte samenvatting"),
        blank=True,
        max_length=300,
        help_text=_(
            "Eén of twee zinnen voor overzichten en zoekresultaten. "
            "Leeg laten: dan tonen we de zoekomschrijving."
        ),
    )
    listing_image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("afbeelding in overzichten"),
    )

    class Meta:
        abstract = True

    @property
    def summary(self):
        return self.listing_summary or self.search_description


class BasePage(SocialMetadataMixin, ListingMixin, Page):
    """Every page type of the site inherits from this."""

    promote_panels = [
        *Page.promote_panels,
        MultiFieldPanel(
            [
                FieldPanel("listing_summary"),
                FieldPanel("listing_image"),
                FieldPanel("social_image"),
            ],
            heading=_("Weergave in overzichten en bij delen"),
        ),
    ]
    search_fields = [*Page.search_fields, index.SearchField("listing_summary")]

    class Meta:
        abstract = True

    @property
    def og_image(self):
        return self.social_image or self.listing_image


@register_snippet
class Theme(TranslatableMixin, models.Model):
    """One of the network's themes (Ontmoeting, Cultuur, ...), shared by all apps."""

    name = models.CharField(_("naam"), max_length=80)
    slug = models.SlugField(_("korte naam in de URL"), max_length=80)
    description = models.TextField(_("omschrijving"), blank=True)

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("description")]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("thema")
        verbose_name_plural = _("thema's")
        ordering = ["name"]
        unique_together = [("translation_key", "locale"), ("slug", "locale")]

    def __str__(self):
        return self.name


class HomePage(BasePage):
    introduction = RichTextField(
        _("introductie"),
        blank=True,
        features=["bold", "italic", "link"],
        help_text=_("Een korte welkomsttekst bovenaan de homepage."),
    )

    content_panels = [*Page.content_panels, FieldPanel("introduction")]
    search_fields = [*BasePage.search_fields, index.SearchField("introduction")]

    parent_page_types = ["wagtailcore.Page"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("homepage")


@register_setting(icon="site")
class SiteSettings(BaseGenericSetting):
    organisation_name = models.CharField(
        _("naam van de organisatie"), max_length=120, default="Netwerk Stadsdorpen"
    )
    contact_email = models.EmailField(
        _("e-mailadres voor contact"),
        blank=True,
        help_text=_("Hier komen berichten van het contactformulier binnen."),
    )

    panels = [FieldPanel("organisation_name"), FieldPanel("contact_email")]

    class Meta:
        verbose_name = _("website-instellingen")
