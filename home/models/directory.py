"""The directory of stadsdorpen: an index page with a theme filter and one page per stadsdorp.

The theme filter: ``?thema=<slug>`` narrows the list; a bad slug never errors. Themes are matched
by ``translation_key``, not by id: a stadsdorp that has not been translated yet (an English alias
of the Dutch page) still links to the Dutch themes, and must show up when an English visitor
filters on the English theme. For the same reason theme names are shown in the visitor's language.
"""

from modelcluster.fields import ParentalManyToManyField

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.images import get_image_model_string
from wagtail.search import index

from home.privacy import visible_pages

from .base import BasePage, IntroductionMixin, Theme

THEME_PARAMETER = "thema"


class StadsdorpIndexPage(IntroductionMixin, BasePage):
    """Lists the stadsdorpen below it; visitors can filter them by theme (``?thema=<slug>``)."""

    content_panels = [*BasePage.content_panels, FieldPanel("introduction")]
    search_fields = [*BasePage.search_fields, index.SearchField("introduction")]

    parent_page_types = ["home.HomePage", "home.ContentPage"]
    subpage_types = ["home.StadsdorpPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("overzicht van stadsdorpen")
        verbose_name_plural = _("overzichten van stadsdorpen")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(self.directory_context(request))
        return context

    def directory_context(self, request):
        user = getattr(request, "user", None)
        themes = list(Theme.objects.filter(locale_id=self.locale_id).order_by("name"))
        themes_by_key = {theme.translation_key: theme for theme in themes}
        requested_slug = request.GET.get(THEME_PARAMETER, "").strip()[:80]
        selected_theme = next((theme for theme in themes if theme.slug == requested_slug), None)

        stadsdorpen = visible_pages(
            StadsdorpPage.objects.child_of(self).order_by("title"), user
        ).select_related("image")
        if selected_theme is not None:
            stadsdorpen = stadsdorpen.filter(
                themes__translation_key=selected_theme.translation_key
            ).distinct()
        stadsdorpen = list(stadsdorpen.prefetch_related("themes"))
        for stadsdorp in stadsdorpen:
            localized = [
                themes_by_key.get(theme.translation_key, theme) for theme in stadsdorp.themes.all()
            ]
            stadsdorp.localized_themes = sorted(localized, key=lambda theme: theme.name)
        return {
            "themes": themes,
            "selected_theme": selected_theme,
            "requested_theme_slug": requested_slug,
            "unknown_theme": bool(requested_slug) and selected_theme is None,
            "stadsdorpen": stadsdorpen,
            "theme_parameter": THEME_PARAMETER,
        }


class StadsdorpPageForm(WagtailAdminPageForm):
    """Offers only the themes in the page's own language."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        locale_id = self.instance.locale_id or getattr(self.parent_page, "locale_id", None)
        if "themes" in self.fields and locale_id:
            self.fields["themes"].queryset = Theme.objects.filter(locale_id=locale_id).order_by(
                "name"
            )


class StadsdorpPage(BasePage):
    """One stadsdorp of the network. Other apps link to it (e.g. a binnenbuurt's stadsdorp)."""

    short_description = models.TextField(
        _("korte omschrijving"),
        max_length=400,
        help_text=_(
            "Eén tot drie zinnen: wie is het stadsdorp en wat doet het? Zichtbaar in de lijst."
        ),
    )
    area = models.CharField(
        _("buurt of gebied"),
        max_length=200,
        help_text=_("Bijvoorbeeld: 'Watergraafsmeer, tussen de Ringdijk en het Park Frankendael'."),
    )
    area_description = RichTextField(
        _("over de buurt"),
        blank=True,
        features=["bold", "italic", "link", "ul", "ol"],
        help_text=_("Beschrijving van het gebied en de bewoners; mag langer zijn."),
    )
    binnenbuurten_count = models.PositiveSmallIntegerField(
        _("aantal binnenbuurten"),
        default=0,
        validators=[MaxValueValidator(500)],
        help_text=_("Hoeveel binnenbuurten (kleine groepjes buren) heeft dit stadsdorp?"),
    )
    themes = ParentalManyToManyField(
        Theme,
        blank=True,
        related_name="stadsdorpen",
        verbose_name=_("thema's"),
        help_text=_("Op welke thema's organiseert dit stadsdorp activiteiten?"),
    )
    image = models.ForeignKey(
        get_image_model_string(),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("afbeelding"),
    )
    contact_name = models.CharField(_("naam contactpersoon"), max_length=120, blank=True)
    contact_email = models.EmailField(_("e-mailadres"), blank=True)
    contact_phone = models.CharField(
        _("telefoonnummer"),
        max_length=40,
        blank=True,
        help_text=_("Zoals u het zou opschrijven, bijvoorbeeld 020 123 45 67."),
    )
    website = models.URLField(_("eigen website"), blank=True)
    address = models.CharField(
        _("adres of ontmoetingsplek"),
        max_length=255,
        blank=True,
        help_text=_("Waar het stadsdorp vaak samenkomt, bijvoorbeeld een buurthuis."),
    )
    latitude = models.DecimalField(
        _("breedtegraad"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
        help_text=_("Optioneel, voor een kaart. Bijvoorbeeld 52.360000."),
    )
    longitude = models.DecimalField(
        _("lengtegraad"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
        help_text=_("Optioneel, voor een kaart. Bijvoorbeeld 4.920000."),
    )

    content_panels = [
        *BasePage.content_panels,
        FieldPanel("short_description"),
        MultiFieldPanel(
            [
                FieldPanel("area"),
                FieldPanel("area_description"),
                FieldPanel("binnenbuurten_count"),
                FieldPanel("themes", widget=forms.CheckboxSelectMultiple),
                FieldPanel("image"),
            ],
            heading=_("Het stadsdorp"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("contact_name"),
                FieldRowPanel([FieldPanel("contact_email"), FieldPanel("contact_phone")]),
                FieldPanel("website"),
            ],
            heading=_("Contact"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("address"),
                FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")]),
            ],
            heading=_("Locatie"),
        ),
    ]
    search_fields = [
        *BasePage.search_fields,
        index.SearchField("short_description"),
        index.SearchField("area"),
        index.SearchField("area_description"),
        index.AutocompleteField("title"),
    ]

    base_form_class = StadsdorpPageForm
    parent_page_types = ["home.StadsdorpIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("stadsdorp")
        verbose_name_plural = _("stadsdorpen")

    @property
    def summary(self):
        return self.listing_summary or self.short_description

    @cached_property
    def localized_themes(self):
        """Themes in this page's language; listings set it in bulk to avoid a query per page."""
        linked = list(self.themes.all())
        keys = [theme.translation_key for theme in linked]
        translated = {
            theme.translation_key: theme
            for theme in Theme.objects.filter(locale_id=self.locale_id, translation_key__in=keys)
        }
        return sorted(
            (translated.get(theme.translation_key, theme) for theme in linked),
            key=lambda theme: theme.name,
        )

    @property
    def has_location(self):
        return self.latitude is not None and self.longitude is not None
