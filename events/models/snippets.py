"""Snippets of the agenda: kinds of activity and reusable locations."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    MultiFieldPanel,
)
from wagtail.models import TranslatableMixin
from wagtail.search import index


class EventCategory(TranslatableMixin, models.Model):
    """Kind of activity (koffieochtend, lezing, ...); editors may add their own."""

    name = models.CharField(_("naam"), max_length=80)
    slug = models.SlugField(
        _("korte naam in de URL"),
        max_length=80,
        help_text=_("Wordt gebruikt in het filter en de agenda-feed, bijvoorbeeld 'lezing'."),
    )

    panels = [FieldPanel("name"), FieldPanel("slug")]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("soort activiteit")
        verbose_name_plural = _("soorten activiteiten")
        ordering = ["name"]
        unique_together = [("translation_key", "locale"), ("slug", "locale")]

    def __str__(self):
        return self.name


class Location(index.Indexed, models.Model):
    """A reusable venue with address, route and accessibility information."""

    class Wheelchair(models.TextChoices):
        YES = "yes", _("Ja, rolstoeltoegankelijk")
        NO = "no", _("Nee, niet rolstoeltoegankelijk")
        UNKNOWN = "unknown", _("Onbekend")

    name = models.CharField(_("naam"), max_length=120)
    address = models.CharField(_("straat en huisnummer"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    city = models.CharField(
        pgettext_lazy("address", "plaats"), max_length=80, blank=True, default="Amsterdam"
    )
    route_description = models.TextField(
        _("routebeschrijving"),
        blank=True,
        help_text=_("Bijvoorbeeld: welke tram of bus, waar de ingang is, waar u kunt parkeren."),
    )
    accessibility_notes = models.TextField(
        _("toegankelijkheid"),
        blank=True,
        help_text=_("Bijvoorbeeld: drempels, trappen, lift, invalidentoilet, ringleiding."),
    )
    wheelchair_accessible = models.CharField(
        _("rolstoeltoegankelijk"),
        max_length=10,
        choices=Wheelchair,
        default=Wheelchair.UNKNOWN,
    )
    latitude = models.DecimalField(
        _("breedtegraad"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("lengtegraad"), max_digits=9, decimal_places=6, null=True, blank=True
    )

    panels = [
        FieldPanel("name"),
        MultiFieldPanel(
            [FieldPanel("address"), FieldRowPanel([FieldPanel("postcode"), FieldPanel("city")])],
            heading=_("Adres"),
        ),
        FieldPanel("route_description"),
        MultiFieldPanel(
            [FieldPanel("wheelchair_accessible"), FieldPanel("accessibility_notes")],
            heading=_("Toegankelijkheid"),
        ),
        FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")], heading=_("Kaart")),
    ]
    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.SearchField("address"),
    ]

    class Meta:
        verbose_name = _("locatie")
        verbose_name_plural = _("locaties")
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def one_line_address(self):
        parts = [self.address, " ".join(p for p in (self.postcode, self.city) if p)]
        return ", ".join(p for p in parts if p)
