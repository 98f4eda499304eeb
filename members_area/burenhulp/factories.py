"""Factories for tests and benchmarks (https://github.com/wagtail/wagtail-factories)."""

import factory

from home.factories import UserFactory
from members_area.factories import BinnenbuurtFactory

from .models import HelpPost, Kind, NotificationPreference, Report, Response


class HelpPostFactory(factory.django.DjangoModelFactory):
    """A request for help in a binnenbuurt (the stadsdorp and expiry follow on save)."""

    kind = Kind.REQUEST
    author = factory.SubFactory(UserFactory)
    binnenbuurt = factory.SubFactory(BinnenbuurtFactory)
    title = "Boodschappen doen"
    description = "Wie kan er donderdag brood en melk voor mij meenemen?"

    class Meta:
        model = HelpPost


class ResponseFactory(factory.django.DjangoModelFactory):
    post = factory.SubFactory(HelpPostFactory)
    helper = factory.SubFactory(UserFactory)
    message = "Ik ga donderdag toch naar de markt."

    class Meta:
        model = Response


class ReportFactory(factory.django.DjangoModelFactory):
    post = factory.SubFactory(HelpPostFactory)
    reporter = factory.SubFactory(UserFactory)
    reason = "Dit is reclame, geen burenhulp."

    class Meta:
        model = Report


class NotificationPreferenceFactory(factory.django.DjangoModelFactory):
    user = factory.SubFactory(UserFactory)

    class Meta:
        model = NotificationPreference
