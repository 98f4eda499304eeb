"""Factories for tests and benchmarks (https://github.com/wagtail/wagtail-factories)."""

import factory
import wagtail_factories

from django.utils import timezone

from .models import NewsletterIndexPage, NewsletterPage, Subscriber


class NewsletterIndexPageFactory(wagtail_factories.PageFactory):
    title = "Nieuwsbrief"
    slug = "nieuwsbrief"

    class Meta:
        model = NewsletterIndexPage


class NewsletterPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Nieuwsbrief {n}")
    slug = factory.Sequence(lambda n: f"nieuwsbrief-{n}")
    introduction = "<p>Welkom bij de nieuwsbrief.</p>"

    class Meta:
        model = NewsletterPage


class SubscriberFactory(factory.django.DjangoModelFactory):
    email = factory.Sequence(lambda n: f"lezer{n}@example.org")
    name = factory.Faker("name", locale="nl_NL")
    status = Subscriber.STATUS_ACTIVE
    consent_source = Subscriber.SOURCE_PAPER
    consent_note = "intekenlijst"
    consent_recorded_at = factory.LazyFunction(timezone.now)

    class Meta:
        model = Subscriber
