"""Factories for tests and benchmarks (https://github.com/wagtail/wagtail-factories)."""

import factory
import wagtail_factories

from django.utils import timezone

from home.factories import UserFactory

from .models import (
    CalendarFeedToken,
    Delivery,
    Dispatch,
    NewsletterIndexPage,
    NewsletterPage,
    Subscriber,
)


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
    status = Subscriber.Status.ACTIVE
    consent_source = Subscriber.Source.PAPER
    consent_note = "intekenlijst"
    consent_recorded_at = factory.LazyFunction(timezone.now)

    class Meta:
        model = Subscriber


class DispatchFactory(factory.django.DjangoModelFactory):
    newsletter = factory.SubFactory(NewsletterPageFactory)
    status = Dispatch.Status.SCHEDULED
    send_at = factory.LazyFunction(timezone.now)

    class Meta:
        model = Dispatch


class DeliveryFactory(factory.django.DjangoModelFactory):
    newsletter = factory.SubFactory(NewsletterPageFactory)
    subscriber = factory.SubFactory(SubscriberFactory)
    status = Delivery.Status.QUEUED

    class Meta:
        model = Delivery


class CalendarFeedTokenFactory(factory.django.DjangoModelFactory):
    """A member's calendar address, made the way the member page makes one (``reset``)."""

    user = factory.SubFactory(UserFactory)

    class Meta:
        model = CalendarFeedToken

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        token = model_class(**kwargs)
        token.reset()
        token.save()
        return token
