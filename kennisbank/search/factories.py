"""Factories for the search index's own tables (tests and benchmarks)."""

import datetime

import factory
from factory.django import DjangoModelFactory

from kennisbank.factories import ArtikelPageFactory

from .models import IndexVersion, SearchEntry, SearchLog, SearchTerm, Synonym


class SearchEntryFactory(DjangoModelFactory):
    key = factory.Sequence(lambda n: f"page:{n}")
    page = factory.SubFactory(ArtikelPageFactory)
    language = "nl"
    title = factory.LazyAttribute(lambda o: o.page.title)
    body = "Buren helpen elkaar met boodschappen."

    class Meta:
        model = SearchEntry


class IndexVersionFactory(DjangoModelFactory):
    language = factory.Sequence(lambda n: f"x{n}")
    version = 1

    class Meta:
        model = IndexVersion


class SearchTermFactory(DjangoModelFactory):
    language = "nl"
    word = factory.Sequence(lambda n: f"buurtkamer{n}")
    stem = factory.LazyAttribute(lambda o: o.word)
    frequency = 1

    class Meta:
        model = SearchTerm


class SynonymFactory(DjangoModelFactory):
    language = "nl"
    terms = "buurthuis, wijkcentrum"

    class Meta:
        model = Synonym


class SearchLogFactory(DjangoModelFactory):
    date = factory.LazyFunction(datetime.date.today)
    language = "nl"
    query = factory.Sequence(lambda n: f"koffieochtend {n}")
    searches = 1

    class Meta:
        model = SearchLog
