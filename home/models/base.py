"""Shared page building blocks and the public pages of the network site."""

from django.db import models
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting
from wagtail.fields import RichTextField
from wagtail.images import get_image_model_string
from wagtail.models import Page, PageViewRestriction, Site, TranslatableMixin
from wagtail.search import index

from cms.sites import active_locale, child_route, generic_setting
from home.caching import cached, is_anonymous
from home.listings import home_page_listings
from home.privacy import may_have_restrictions, view_restrictions_of


class Language(models.TextChoices):
    """The language someone wants our messages in (a member, an applicant, a subscriber) and the
    language of a search synonym: the codes of ``settings.LANGUAGES``, labelled in the reader's
    language (the language switcher names each language in itself instead)."""

    NL = "nl", _("Nederlands")
    EN = "en", _("Engels")


class SocialMetadataMixin(models.Model):
    """Open Graph data; the image falls back to the listing image."""

    social_image = models.ForeignKey(
        get_image_model_string(),
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
        get_image_model_string(),
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


class IntroductionMixin(models.Model):
    """A short introduction above a page's content: bold, italic and links, nothing more.

    One field for the page types that open with a few words; each names it in its own panels,
    with its own help text where the page asks something particular of the editor
    (``FieldPanel("introduction", help_text=...)``, which takes precedence over the model's):
    https://docs.wagtail.org/en/stable/reference/panels.html#fieldpanel
    """

    introduction = RichTextField(
        _("introductie"),
        blank=True,
        features=["bold", "italic", "link"],
        help_text=_("Een of twee zinnen bovenaan de pagina: wat vindt de bezoeker hier?"),
    )

    class Meta:
        abstract = True


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

    def route(self, request, path_components):
        """Wagtail's routing, with each URL step's page known for the content generation
        (``cms.sites.child_route``): no query for a known step instead of two."""
        if not path_components:
            return super().route(request, path_components)
        child = child_route(self, path_components[0])
        if child is None:
            raise Http404
        child._cached_parent_obj = self  # as Wagtail does: get_parent() without a query
        return child.route(request, path_components[1:])

    @property
    def localized_draft(self):
        """Wagtail's, with the active locale from this process's memory (a query per request
        otherwise: routing asks for the site root's ``localized`` every time)."""
        locale = active_locale()
        if locale is None or locale.id == self.locale_id:
            return self
        return self.get_translation_or_none(locale) or self

    def get_view_restrictions(self):
        """Wagtail's restrictions of this page and its ancestors, loaded once per instance.

        Serving a page asks twice (Wagtail's own check and the member area's "no access" answer);
        a served page instance lives for one request. The evaluated queryset still filters and
        answers ``exists()`` like a fresh one.
        """
        restrictions = self.__dict__.get("_view_restrictions")
        if restrictions is None:
            if may_have_restrictions(self):
                # From the site's restriction table, read once per content generation; Wagtail's
                # two queries only below aliases.
                restrictions = view_restrictions_of(self)
                if restrictions is None:
                    restrictions = super().get_view_restrictions()
                    restrictions._fetch_all()
            else:
                # Most pages are public: the site's restriction table (read once per content
                # generation) says so without the two queries of Wagtail's check.
                restrictions = PageViewRestriction.objects.none()
            self.__dict__["_view_restrictions"] = restrictions
        return restrictions


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


class HomePage(IntroductionMixin, BasePage):
    """The root of each language tree: introduction, a call to action and the latest news."""

    cta_title = models.CharField(
        _("titel van de oproep"),
        max_length=120,
        default="Start een stadsdorp",
        help_text=_("Bijvoorbeeld 'Start een stadsdorp'."),
    )
    cta_text = models.TextField(
        _("tekst van de oproep"),
        blank=True,
        max_length=400,
        help_text=_("Eén of twee zinnen die uitnodigen om te beginnen."),
    )
    cta_link_text = models.CharField(
        _("tekst op de knop"),
        max_length=60,
        blank=True,
        help_text=_("Zeg wat er gebeurt, bijvoorbeeld 'Lees het stappenplan'."),
    )
    cta_page = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("pagina van de oproep"),
        help_text=_("Waar de knop naartoe gaat, bijvoorbeeld het stappenplan in de kennisbank."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("introduction"),
        MultiFieldPanel(
            [
                FieldPanel("cta_title"),
                FieldPanel("cta_text"),
                FieldPanel("cta_link_text"),
                FieldPanel("cta_page"),
            ],
            heading=_("Oproep: Start een stadsdorp"),
        ),
    ]
    search_fields = [*BasePage.search_fields, index.SearchField("introduction")]

    parent_page_types = ["wagtailcore.Page"]
    # The index pages of the apps above home are named as strings: no import of them.
    subpage_types = [
        "home.ContentPage",
        "home.StadsdorpIndexPage",
        "home.FormPage",
        "kennisbank.KennisbankIndexPage",
        "events.EventIndexPage",
        "members_area.MembersAreaPage",
        "subscriptions.NewsletterIndexPage",
    ]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("homepage")
        verbose_name_plural = _("homepages")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # The lists are rendered in the template's {% shared %} block, per audience.
        if is_anonymous(request):
            context["cta_url"] = cached(("home-cta", self.pk), self.get_cta_url)
        else:
            context["cta_url"] = self.get_cta_url()
        return context

    def listings_for(self, viewer):
        """The registered lists (``home.listings``) as ``viewer`` may see them."""
        return home_page_listings(viewer, self.locale)

    def get_cta_url(self):
        """The call to action's page in this home page's language, when it is live."""
        if not self.cta_page_id:
            return ""
        target = Page.objects.filter(pk=self.cta_page_id).live().first()
        if target is None:
            return ""
        translated = target.get_translation_or_none(self.locale)
        if translated is not None and translated.live:
            target = translated
        return target.url or ""


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
    phone = models.CharField(
        _("telefoonnummer"),
        max_length=40,
        blank=True,
        help_text=_("Zoals u het zou opschrijven, bijvoorbeeld 020 123 45 67."),
    )
    postal_address = models.TextField(
        _("postadres"),
        blank=True,
        max_length=300,
        help_text=_("Elke regel van het adres op een eigen regel."),
    )
    facebook_url = models.URLField(_("Facebook"), blank=True)
    instagram_url = models.URLField(_("Instagram"), blank=True)
    linkedin_url = models.URLField(_("LinkedIn"), blank=True)
    mastodon_url = models.URLField(_("Mastodon"), blank=True)
    youtube_url = models.URLField(_("YouTube"), blank=True)
    newsletter_url = models.URLField(
        _("aanmelden voor de nieuwsbrief"),
        blank=True,
        help_text=_("Webadres waar mensen zich voor de nieuwsbrief kunnen aanmelden."),
    )

    panels = [
        FieldPanel("organisation_name"),
        MultiFieldPanel(
            [FieldPanel("contact_email"), FieldPanel("phone"), FieldPanel("postal_address")],
            heading=_("Contactgegevens"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("newsletter_url"),
                FieldPanel("facebook_url"),
                FieldPanel("instagram_url"),
                FieldPanel("linkedin_url"),
                FieldPanel("mastodon_url"),
                FieldPanel("youtube_url"),
            ],
            heading=_("Nieuwsbrief en sociale media"),
        ),
    ]

    class Meta:
        verbose_name = _("website-instellingen")

    @classmethod
    def load(cls, request_or_site=None):
        """Every page reads the settings (name, address, links): from this process's memory for
        the content generation instead of a query per request."""
        attr_name = cls.get_cache_attr_name()
        if request_or_site is not None and hasattr(request_or_site, attr_name):
            return getattr(request_or_site, attr_name)
        instance = generic_setting(cls)
        if request_or_site is not None and not isinstance(request_or_site, Site):
            setattr(request_or_site, attr_name, instance)
        return instance

    @property
    def social_links(self):
        """(label, url) pairs of the filled-in social links, in a fixed order."""
        candidates = [
            (_("Nieuwsbrief"), self.newsletter_url),
            ("Facebook", self.facebook_url),
            ("Instagram", self.instagram_url),
            ("LinkedIn", self.linkedin_url),
            ("Mastodon", self.mastodon_url),
            ("YouTube", self.youtube_url),
        ]
        return [(label, url) for label, url in candidates if url]
