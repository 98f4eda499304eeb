"""Factories for tests and benchmarks (https://github.com/wagtail/wagtail-factories)."""

from datetime import timedelta

import factory
import wagtail_factories

from django.utils import timezone

from .models import (
    EventCategory,
    EventException,
    EventIndexPage,
    EventPage,
    Location,
    Registration,
    SignupSlot,
)


def _next_week_at_ten():
    start = timezone.localtime() + timedelta(days=7)
    return start.replace(hour=10, minute=0, second=0, microsecond=0)


class EventCategoryFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Soort {n}")
    slug = factory.Sequence(lambda n: f"soort-{n}")

    class Meta:
        model = EventCategory


class LocationFactory(factory.django.DjangoModelFactory):
    name = factory.Faker("company", locale="nl_NL")
    address = factory.Faker("street_address", locale="nl_NL")
    postcode = factory.Faker("postcode", locale="nl_NL")
    city = "Amsterdam"
    accessibility_notes = "Gelijkvloers, invalidentoilet aanwezig."
    wheelchair_accessible = Location.Wheelchair.YES

    class Meta:
        model = Location


class EventIndexPageFactory(wagtail_factories.PageFactory):
    title = "Agenda"
    slug = "agenda"

    class Meta:
        model = EventIndexPage


class EventPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Activiteit {n}")
    slug = factory.Sequence(lambda n: f"activiteit-{n}")
    start = factory.LazyFunction(_next_week_at_ten)
    end = factory.LazyAttribute(lambda o: o.start + timedelta(hours=2))
    description = "<p>Een gezellige bijeenkomst voor buren.</p>"
    location = factory.SubFactory(LocationFactory)
    organiser_name = "Stadsdorp Oost"
    contact_email = "activiteiten@example.org"

    class Meta:
        model = EventPage


class EventExceptionFactory(factory.django.DjangoModelFactory):
    page = factory.SubFactory(EventPageFactory, frequency="weekly", repeat_count=4)
    date = factory.LazyAttribute(lambda o: timezone.localtime(o.page.start).date())
    kind = EventException.Kind.CANCELLED

    class Meta:
        model = EventException


class SignupSlotFactory(factory.django.DjangoModelFactory):
    event = factory.SubFactory(EventPageFactory, signup_enabled=True, capacity=12)
    occurrence_date = factory.LazyAttribute(lambda o: timezone.localtime(o.event.start).date())

    class Meta:
        model = SignupSlot


class RegistrationFactory(factory.django.DjangoModelFactory):
    event = factory.SubFactory(EventPageFactory, signup_enabled=True, capacity=12)
    occurrence_date = factory.LazyAttribute(lambda o: timezone.localtime(o.event.start).date())
    name = factory.Faker("name", locale="nl_NL")
    email = factory.Sequence(lambda n: f"deelnemer{n}@example.org")
    status = Registration.Status.CONFIRMED

    class Meta:
        model = Registration
