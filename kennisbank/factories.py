"""wagtail-factories for every kennisbank page type and the glossary.

Usage: ``index = KennisbankIndexPageFactory(parent=home)``, then
``StappenplanPageFactory(parent=index, title="...")``. Pages are created live.
"""

import datetime

import factory
import wagtail_factories
from factory.django import DjangoModelFactory

from taggit.models import Tag

from .models import (
    ArtikelPage,
    Audience,
    GlossaryPage,
    GlossaryTerm,
    HelpfulVote,
    KennisbankFeaturedItem,
    KennisbankIndexPage,
    KennisbankItemTag,
    PublicatiePage,
    StappenplanPage,
    VerslagPage,
)


class KennisbankIndexPageFactory(wagtail_factories.PageFactory):
    title = "Kennisbank"
    slug = "kennisbank"
    introduction = "<p>Kennis van en voor stadsdorpen.</p>"

    class Meta:
        model = KennisbankIndexPage


class ItemPageFactory(wagtail_factories.PageFactory):
    title = factory.Faker("sentence", nb_words=5, locale="nl_NL")
    summary_text = factory.Faker("paragraph", nb_sentences=2, locale="nl_NL")
    publication_date = factory.Faker("date_between", start_date="-3y", end_date="today")
    audience = Audience.IEDEREEN

    @factory.post_generation
    def themes(self, create, extracted, **kwargs):
        if create and extracted:
            self.themes.set(extracted)
            self.save()

    @factory.post_generation
    def tags(self, create, extracted, **kwargs):
        if create and extracted:
            self.tags.set(extracted)
            self.save()


class VerslagPageFactory(ItemPageFactory):
    meeting_date = datetime.date(2014, 6, 12)
    place = "Amsterdam"
    organiser = "Netwerk Stadsdorpen"
    body = [
        {
            "type": "text",
            "value": {"heading": "Besproken onderwerpen", "text": "<p>Binnenbuurten.</p>"},
        }
    ]

    class Meta:
        model = VerslagPage
        skip_postgeneration_save = True


def sample_steps():
    return [
        {
            "type": "phase",
            "value": {
                "title": "Pioniersfase",
                "description": "<p>Verkennen.</p>",
                "steps": [
                    {
                        "title": "Zoek medestanders",
                        "explanation": "<p>Begin met een paar buren.</p>",
                        "tips": ["Vraag nieuwe buren."],
                        "checklist": ["Drie mensen gevonden"],
                        "links": [],
                    },
                    {
                        "title": "Prik een datum",
                        "explanation": "<p>Kies een gratis zaal.</p>",
                        "tips": [],
                        "checklist": [],
                        "links": [],
                    },
                ],
            },
        },
        {
            "type": "step",
            "value": {
                "title": "Neem papier en pennen mee",
                "explanation": "<p>Voor de intekenlijst.</p>",
                "tips": [],
                "checklist": ["Pennen"],
                "links": [],
            },
        },
    ]


class StappenplanPageFactory(ItemPageFactory):
    introduction = "<p>Zo begint u.</p>"
    steps = factory.LazyFunction(sample_steps)
    preconditions = "<p>Een lange adem.</p>"

    class Meta:
        model = StappenplanPage
        skip_postgeneration_save = True


class PublicatiePageFactory(ItemPageFactory):
    key_findings = factory.LazyFunction(
        lambda: [{"type": "finding", "value": {"text": "Communicatie is een knelpunt."}}]
    )

    class Meta:
        model = PublicatiePage
        skip_postgeneration_save = True


class ArtikelPageFactory(ItemPageFactory):
    introduction = factory.Faker("paragraph", locale="nl_NL")
    body = factory.LazyFunction(
        lambda: [
            {"type": "tip", "value": {"title": "Wees aanwezig", "text": "<p>Kom langs.</p>"}},
            {"type": "tip", "value": {"title": "Steun initiatieven", "text": "<p>Vraag.</p>"}},
        ]
    )

    class Meta:
        model = ArtikelPage
        skip_postgeneration_save = True


class GlossaryPageFactory(wagtail_factories.PageFactory):
    title = "Begrippenlijst"
    slug = "begrippen"

    class Meta:
        model = GlossaryPage


class GlossaryTermFactory(DjangoModelFactory):
    term = factory.Sequence(lambda n: f"Begrip {n}")
    slug = factory.Sequence(lambda n: f"begrip-{n}")
    definition = "<p>Uitleg.</p>"

    class Meta:
        model = GlossaryTerm


PAGE_FACTORIES = {
    KennisbankIndexPage: KennisbankIndexPageFactory,
    VerslagPage: VerslagPageFactory,
    StappenplanPage: StappenplanPageFactory,
    PublicatiePage: PublicatiePageFactory,
    ArtikelPage: ArtikelPageFactory,
    GlossaryPage: GlossaryPageFactory,
}


class KennisbankFeaturedItemFactory(DjangoModelFactory):
    index_page = factory.SubFactory(KennisbankIndexPageFactory)
    page = factory.SubFactory(ArtikelPageFactory, parent=factory.SelfAttribute("..index_page"))
    sort_order = 0

    class Meta:
        model = KennisbankFeaturedItem


class TagFactory(DjangoModelFactory):
    name = factory.Sequence(lambda n: f"trefwoord {n}")
    slug = factory.Sequence(lambda n: f"trefwoord-{n}")

    class Meta:
        model = Tag


class KennisbankItemTagFactory(DjangoModelFactory):
    content_object = factory.SubFactory(ArtikelPageFactory)
    tag = factory.SubFactory(TagFactory)

    class Meta:
        model = KennisbankItemTag


class HelpfulVoteFactory(DjangoModelFactory):
    page = factory.SubFactory(ArtikelPageFactory)
    helpful = True

    class Meta:
        model = HelpfulVote
