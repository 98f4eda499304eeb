"""The pages only members may see: the member home, the binnenbuurt sections and their news."""

from modelcluster.fields import ParentalKey

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.images import get_image_model_string
from wagtail.models import Orderable, Page
from wagtail.search import index

from home.models import BasePage, IntroductionMixin

from .members import Binnenbuurt


class MembersAreaPage(IntroductionMixin, BasePage):
    """ "Mijn stadsdorp": the member home. Always behind a login restriction."""

    # The dashboard (``members_area.dashboard``) queries these page types, so this module does not
    # import it; ``MembersAreaConfig.ready()`` hands it (and the posting forms) to the page types.
    dashboard = None

    content_panels = [
        *Page.content_panels,
        FieldPanel("introduction", help_text=_("Een korte welkomsttekst voor ingelogde leden.")),
    ]
    search_fields = [*BasePage.search_fields, index.SearchField("introduction")]

    parent_page_types = ["home.HomePage"]
    subpage_types = ["members_area.BinnenbuurtPage", "members_area.BinnenbuurtNewsPage"]
    max_count_per_parent = 1
    template = "members_area/members_area_page.html"

    class Meta:
        verbose_name = _("ledenpagina (Mijn stadsdorp)")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(self.dashboard.dashboard_context(self, request))
        return context


class BinnenbuurtPage(RoutablePageMixin, IntroductionMixin, BasePage):
    """The section of one binnenbuurt; only its members and contact persons may view it."""

    dashboard = posting = None  # from MembersAreaConfig.ready(), as for MembersAreaPage

    binnenbuurt = models.ForeignKey(
        Binnenbuurt,
        null=True,
        on_delete=models.SET_NULL,
        related_name="pages",
        verbose_name=_("binnenbuurt"),
        help_text=_("Wordt automatisch ingevuld als u een binnenbuurt aanmaakt."),
    )

    content_panels = [*Page.content_panels, FieldPanel("introduction")]
    search_fields = [*BasePage.search_fields, index.SearchField("introduction")]

    parent_page_types = ["members_area.MembersAreaPage"]
    subpage_types = ["members_area.BinnenbuurtNewsPage", "events.EventPage"]
    template = "members_area/binnenbuurt_page.html"

    class Meta:
        verbose_name = _("binnenbuurtpagina")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(self.dashboard.binnenbuurt_context(self, request))
        return context

    # The contact persons' friendly forms live under the page itself, so Wagtail's view
    # restriction guards them exactly like the page.
    @path("nieuw/<str:kind>/", name="post_create")
    def post_create(self, request, kind):
        return self.posting.create_post(self, request, kind)

    @path("bericht/<int:post_id>/bewerken/", name="post_edit")
    def post_edit(self, request, post_id):
        return self.posting.edit_post(self, request, post_id)

    @path("bericht/<int:post_id>/verwijderen/", name="post_delete")
    def post_delete(self, request, post_id):
        return self.posting.delete_post(self, request, post_id)


class BinnenbuurtNewsPage(BasePage):
    """A news item: under a binnenbuurt page for that binnenbuurt, or under the member home for all
    members (one page type for both, so contact persons and editors learn one form)."""

    date = models.DateField(_("datum"), default=timezone.localdate)
    body = RichTextField(
        _("tekst"),
        features=["bold", "italic", "link", "ol", "ul", "h2", "h3"],
        help_text=_("Schrijf kort en duidelijk; één onderwerp per bericht."),
    )
    image = models.ForeignKey(
        get_image_model_string(),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("foto"),
    )
    image_description = models.CharField(
        _("beschrijving van de foto"),
        max_length=200,
        blank=True,
        help_text=_("Wat is er op de foto te zien? Voor mensen die de foto niet kunnen zien."),
    )
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("date"),
        FieldPanel("body"),
        MultiFieldPanel([FieldPanel("image"), FieldPanel("image_description")], heading=_("Foto")),
        InlinePanel("attachments", heading=_("Bijlagen"), label=_("bijlage")),
    ]
    search_fields = [
        *BasePage.search_fields,
        index.SearchField("body"),
        index.FilterField("date"),
    ]

    parent_page_types = ["members_area.BinnenbuurtPage", "members_area.MembersAreaPage"]
    subpage_types = []
    template = "members_area/binnenbuurt_news_page.html"

    class Meta:
        verbose_name = _("ledennieuws")
        verbose_name_plural = _("ledennieuws")


class NewsAttachment(Orderable):
    page = ParentalKey(BinnenbuurtNewsPage, on_delete=models.CASCADE, related_name="attachments")
    document = models.ForeignKey(
        "wagtaildocs.Document",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("document"),
        help_text=_("Kies een document uit de map van de binnenbuurt."),
    )

    panels = [FieldPanel("document")]

    class Meta(Orderable.Meta):
        verbose_name = _("bijlage")
        verbose_name_plural = _("bijlagen")
