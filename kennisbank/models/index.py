"""The kennisbank's index page: featured and newest items, browsing by type, audience and theme."""

from modelcluster.fields import ParentalKey

from django.db import models
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import (
    FieldPanel,
    InlinePanel,
    PageChooserPanel,
)
from wagtail.models import Orderable, Page
from wagtail.search import index

from home.models import BasePage, IntroductionMixin, Theme
from home.privacy import visible_pages

from .glossary import GlossaryPage
from .items import ITEM_TYPES, Audience, KennisbankItemPage, Kind

#: GET parameters that turn the index page into a search results page.
SEARCH_PARAMETERS = ("q", "type", "theme", "tag", "year", "audience", "sort", "page")


class KennisbankIndexPage(IntroductionMixin, BasePage):
    """The front door of the kennisbank: search box, featured guides, newest items, themes."""

    content_panels = [
        *Page.content_panels,
        FieldPanel("introduction"),
        InlinePanel(
            "featured_items",
            label=_("Uitgelichte items"),
            heading=_("Uitgelicht"),
            help_text=_("Kies de stappenplannen en artikelen die bovenaan moeten staan."),
            max_num=6,
        ),
    ]
    search_fields = [*BasePage.search_fields, index.SearchField("introduction")]

    parent_page_types = ["home.HomePage"]
    subpage_types = [*ITEM_TYPES, "kennisbank.GlossaryPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("kennisbank")
        verbose_name_plural = _("kennisbanken")

    def is_search_request(self, request):
        """With these parameters the index is a results page, served by ``kennisbank.search``
        (its ``before_serve_page`` hook: the search sits above the page models)."""
        return any(parameter in request.GET for parameter in SEARCH_PARAMETERS)

    def items(self, user):
        """Items below this index that the user may see."""
        return visible_pages(
            KennisbankItemPage.objects.descendant_of(self).filter(locale_id=self.locale_id), user
        )

    def browse_lists(self, viewer):
        """What the index shows besides its search box, for one ``viewer`` (a user or
        ``home.privacy.Viewer``): featured and newest items, the kinds and themes with a count,
        the glossary. Rendered once per audience in a shared fragment (the template's
        ``{% shared "kennisbank-index" %}``): these five queries were half of an index request."""
        visible = self.items(viewer)
        featured_ids = [item.page_id for item in self.featured_items.all()]
        featured = {page.pk: page for page in visible.filter(pk__in=featured_ids)}
        kind_counts = dict(
            visible.order_by()
            .values_list("kind")
            .annotate(count=Count("pk"))
            .values_list("kind", "count")
        )
        return {
            "featured": [featured[pk] for pk in featured_ids if pk in featured],
            "latest": latest_items(viewer, self.locale, limit=6, parent=self),
            # Only themes with something in them: a list of "(nog niets)" says it is empty.
            "themes": [theme for theme in theme_counts(self.locale, visible) if theme.item_count],
            "kinds": [
                {"value": value, "label": label, "count": kind_counts[value]}
                for value, label in Kind.choices
                if kind_counts.get(value)
            ],
            "audiences": Audience.choices,
            # A members-only glossary is not named to others (its link would be a login page).
            "glossary": visible_pages(
                GlossaryPage.objects.child_of(self).filter(locale_id=self.locale_id), viewer
            ).first(),
        }


def latest_items(user, locale, limit=3, parent=None):
    """The newest items of a locale that the user may see, in a constant number of queries.

    Returns ``KennisbankItemPage`` instances (not the specific subclasses): everything a listing
    shows (title, kind, date, summary, URL) lives on the shared table, so no per-type queries.
    Render them with ``templates/kennisbank/includes/item_list.html``; the home page shows them
    (registered in ``kennisbank.apps``).
    """
    queryset = KennisbankItemPage.objects.filter(locale=locale)
    if parent is not None:
        queryset = queryset.descendant_of(parent)
    return list(
        visible_pages(queryset, user).order_by("-publication_date", "-first_published_at", "-pk")[
            :limit
        ]
    )


def theme_counts(locale, visible_items):
    """The themes of a locale with the number of visible items per theme, in one query."""
    return (
        Theme.objects.filter(locale=locale)
        .annotate(
            item_count=Count(
                "kennisbank_items",
                filter=Q(kennisbank_items__in=visible_items.values("pk")),
                distinct=True,
            )
        )
        .order_by("name")
    )


class KennisbankFeaturedItem(Orderable):
    index_page = ParentalKey(
        KennisbankIndexPage, on_delete=models.CASCADE, related_name="featured_items"
    )
    page = models.ForeignKey(
        "kennisbank.KennisbankItemPage",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("item"),
    )

    panels = [PageChooserPanel("page", page_type=ITEM_TYPES)]

    class Meta(Orderable.Meta):
        verbose_name = _("uitgelicht item")
        verbose_name_plural = _("uitgelichte items")
