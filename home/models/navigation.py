"""The editor-managed main menu and footer links.

Design choice: ONE menu (edited in Dutch) whose linked pages are localised at render time
(``page.localized``), instead of a translatable menu per language. Volunteer editors then maintain
a single menu; English visitors automatically get the English translation of each linked page
when it exists (and the Dutch page otherwise). Only a custom label needs a second language, so a
menu item has an optional English label. See ``home.navigation`` for the rendering side.
https://docs.wagtail.org/en/stable/reference/contrib/settings.html
"""

from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting
from wagtail.models import Orderable


class LinkFields(models.Model):
    link_page = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("pagina"),
        help_text=_("Kies een pagina van deze website (de Nederlandse versie)."),
    )
    link_url = models.URLField(
        _("of een webadres"),
        blank=True,
        help_text=_("Alleen voor een link naar een andere website."),
    )
    label = models.CharField(
        _("tekst"),
        max_length=60,
        blank=True,
        help_text=_("Leeg laten: dan tonen we de titel van de pagina."),
    )
    label_en = models.CharField(
        _("tekst in het Engels"),
        max_length=60,
        blank=True,
        help_text=_("Alleen nodig als u hierboven een eigen tekst invult."),
    )

    panels = [
        FieldRowPanel([FieldPanel("link_page"), FieldPanel("link_url")]),
        FieldRowPanel([FieldPanel("label"), FieldPanel("label_en")]),
    ]

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        if not self.link_page_id and not self.link_url:
            raise ValidationError(_("Kies een pagina of vul een webadres in."))
        if self.link_url and not self.label:
            raise ValidationError({"label": _("Geef een link naar een andere website een tekst.")})


class MenuItem(Orderable, LinkFields):
    setting = ParentalKey("home.NavigationSettings", related_name="menu_items")

    class Meta(Orderable.Meta):
        verbose_name = _("menu-item")
        verbose_name_plural = _("menu-items")


class FooterLink(Orderable, LinkFields):
    setting = ParentalKey("home.NavigationSettings", related_name="footer_links")

    class Meta(Orderable.Meta):
        verbose_name = _("link onderaan")
        verbose_name_plural = _("links onderaan")


@register_setting(icon="list-ul")
class NavigationSettings(ClusterableModel, BaseGenericSetting):
    panels = [
        MultiFieldPanel(
            [InlinePanel("menu_items", label=_("Menu-item"))],
            heading=_("Hoofdmenu"),
            help_text=_("Houd het kort: vijf tot zeven items lezen het prettigst."),
        ),
        MultiFieldPanel(
            [InlinePanel("footer_links", label=_("Link"))],
            heading=_("Links onderaan elke pagina"),
        ),
    ]

    class Meta:
        verbose_name = _("menu en voettekst")
