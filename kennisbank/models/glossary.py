"""The glossary: terms (snippets) and the A-Z page of a language."""

from modelcluster.models import ClusterableModel

from django.db import models
from django.http import HttpResponseRedirect
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import (
    FieldPanel,
)
from wagtail.fields import RichTextField
from wagtail.models import Page, TranslatableMixin
from wagtail.search import index

from home.models import BasePage, IntroductionMixin


class GlossaryTerm(TranslatableMixin, index.Indexed, ClusterableModel):
    """A term of the network's vocabulary (stadsdorp, binnenbuurt, ...) with its definition."""

    term = models.CharField(_("begrip"), max_length=120)
    slug = models.SlugField(
        _("korte naam in de URL"),
        max_length=120,
        help_text=_("Wordt het anker op de begrippenlijst, bijvoorbeeld 'binnenbuurt'."),
    )
    definition = RichTextField(
        _("betekenis"), features=["bold", "italic", "link"], help_text=_("Uitleg in gewone taal.")
    )
    related_terms = models.ManyToManyField(
        "self", blank=True, verbose_name=_("zie ook"), help_text=_("Begrippen die erbij horen.")
    )

    panels = [
        FieldPanel("term"),
        FieldPanel("slug"),
        FieldPanel("definition"),
        FieldPanel("related_terms"),
    ]
    search_fields = [
        index.SearchField("term"),
        index.AutocompleteField("term"),
        index.SearchField("definition"),
        index.FilterField("locale_id"),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("begrip")
        verbose_name_plural = _("begrippen")
        ordering = ["term"]
        unique_together = [("translation_key", "locale"), ("slug", "locale")]

    def __str__(self):
        return self.term

    @property
    def letter(self):
        first = (self.term[:1] or "#").upper()
        return first if first.isalpha() else "#"


class GlossaryPage(IntroductionMixin, BasePage):
    """The A-Z list of glossary terms of this page's language."""

    content_panels = [*Page.content_panels, FieldPanel("introduction")]

    parent_page_types = ["kennisbank.KennisbankIndexPage"]
    subpage_types = []
    max_count_per_parent = 1
    template = "kennisbank/glossary_page.html"

    class Meta:
        verbose_name = _("begrippenlijst")
        verbose_name_plural = _("begrippenlijsten")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        terms = GlossaryTerm.objects.filter(locale_id=self.locale_id).prefetch_related(
            "related_terms"
        )
        groups = {}
        for term in sorted(terms, key=lambda term: term.term.casefold()):
            groups.setdefault(term.letter, []).append(term)
        context["letter_groups"] = list(groups.items())
        context["alphabet"] = [
            (letter, letter in groups) for letter in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
        ]
        return context

    def serve(self, request, *args, **kwargs):
        # Old links to /begrippen/?term=x land on the anchor.
        term = request.GET.get("term", "")
        if term and term.replace("-", "").isalnum():
            return HttpResponseRedirect(f"{self.get_url(request)}#begrip-{term}")
        return super().serve(request, *args, **kwargs)
