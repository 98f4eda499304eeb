"""General content pages built from StreamField blocks."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.search import index

from home.blocks import ContentStreamBlock

from .base import BasePage


class ContentPage(BasePage):
    """A general page: 'Over het netwerk', 'Nieuw hier?', 'Lid worden', ..."""

    introduction = models.TextField(
        _("inleiding"),
        blank=True,
        max_length=600,
        help_text=_("Een of twee zinnen bovenaan, in iets grotere letters."),
    )
    body = StreamField(
        ContentStreamBlock(),
        blank=True,
        verbose_name=_("inhoud"),
        help_text=_("Bouw de pagina op uit blokken: tekst, koppen, afbeeldingen, vragen, ..."),
    )

    content_panels = [*BasePage.content_panels, FieldPanel("introduction"), FieldPanel("body")]
    search_fields = [
        *BasePage.search_fields,
        index.SearchField("introduction"),
        index.SearchField("body"),
    ]

    parent_page_types = ["home.HomePage", "home.ContentPage"]
    subpage_types = [
        "home.ContentPage",
        "home.FormPage",
        "home.StadsdorpIndexPage",
    ]

    class Meta:
        verbose_name = _("inhoudspagina")
        verbose_name_plural = _("inhoudspagina's")
