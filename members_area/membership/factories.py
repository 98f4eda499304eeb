"""Factories for tests and benchmarks (https://github.com/wagtail/wagtail-factories)."""

import factory

from django.core.files.base import ContentFile

from home.factories import StadsdorpPageFactory, UserFactory
from members_area.factories import BinnenbuurtFactory, MemberFactory

from .models import (
    Application,
    BinnenbuurtArea,
    Contribution,
    EmailChange,
    MemberImport,
    Membership,
    MembershipSettings,
)


class MembershipSettingsFactory(factory.django.DjangoModelFactory):
    stadsdorp = factory.SubFactory(StadsdorpPageFactory)

    class Meta:
        model = MembershipSettings


class BinnenbuurtAreaFactory(factory.django.DjangoModelFactory):
    binnenbuurt = factory.SubFactory(BinnenbuurtFactory)
    streets = "Ringdijk\nMiddenweg"
    postcodes = "1097 AA - 1097 CZ"

    class Meta:
        model = BinnenbuurtArea


class ApplicationFactory(factory.django.DjangoModelFactory):
    stadsdorp = factory.SubFactory(StadsdorpPageFactory)
    first_name = factory.Faker("first_name", locale="nl_NL")
    last_name = factory.Faker("last_name", locale="nl_NL")
    street_address = factory.Sequence(lambda n: f"Ringdijk {n + 1}")
    postcode = "1097AB"
    city = "Amsterdam"
    phone = "020 123 45 67"
    email = factory.Sequence(lambda n: f"aanmelder{n}@example.org")

    class Meta:
        model = Application


class MembershipFactory(factory.django.DjangoModelFactory):
    # The address is the member's own (one copy, on Member).
    member = factory.SubFactory(
        MemberFactory, street_address="Ringdijk 1", postcode="1097AB", city="Amsterdam"
    )
    stadsdorp = factory.SubFactory(StadsdorpPageFactory)

    class Meta:
        model = Membership


class MemberImportFactory(factory.django.DjangoModelFactory):
    stadsdorp = factory.SubFactory(StadsdorpPageFactory)
    uploaded_by = factory.SubFactory(UserFactory)
    file = factory.LazyFunction(lambda: ContentFile(b"naam;e-mail\n", name="leden.csv"))
    filename = "leden.csv"

    class Meta:
        model = MemberImport


class ContributionFactory(factory.django.DjangoModelFactory):
    membership = factory.SubFactory(MembershipFactory)
    year = 2026
    status = Contribution.Status.PAID
    amount = "60.00"
    method = Contribution.Method.TRANSFER

    class Meta:
        model = Contribution


class EmailChangeFactory(factory.django.DjangoModelFactory):
    user = factory.SubFactory(UserFactory)
    old_email = factory.LazyAttribute(lambda change: change.user.email)
    new_email = factory.Sequence(lambda n: f"nieuw{n}@example.org")
    nonce_hash = "0" * 64

    class Meta:
        model = EmailChange
