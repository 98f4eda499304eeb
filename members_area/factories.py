"""Factories for tests and benchmarks (https://github.com/wagtail/wagtail-factories).

The factories call the services the admin's snippet hooks call (``services.py``): a binnenbuurt
made by ``BinnenbuurtFactory`` is set up like one saved in the admin (groups, its section below
"Mijn stadsdorp", a private collection), so create the member home first when a test needs the
section: ``MembersAreaPageFactory(parent=home)``; a member made by ``MemberFactory`` is enrolled
(groups, newsletter) like one added in the admin.
"""

import secrets
from datetime import timedelta

import factory
import wagtail_factories

from django.utils import timezone

from home.factories import StadsdorpPageFactory, UserFactory

from .models import (
    AccountRemovalRequest,
    Binnenbuurt,
    BinnenbuurtNewsPage,
    BinnenbuurtPage,
    LoginCode,
    Member,
    MembersAreaPage,
    NewsAttachment,
    StadsdorpMemberSettings,
)
from .services import enrol_member, setup_binnenbuurt, setup_binnenbuurten


class StadsdorpMemberSettingsFactory(factory.django.DjangoModelFactory):
    stadsdorp = factory.SubFactory(StadsdorpPageFactory)
    requires_approval = False

    class Meta:
        model = StadsdorpMemberSettings

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        member_settings = super()._create(model_class, *args, **kwargs)
        setup_binnenbuurten(stadsdorp_id=member_settings.stadsdorp_id)
        return member_settings


class BinnenbuurtFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Binnenbuurt {n}")
    stadsdorp = factory.SubFactory(StadsdorpPageFactory)
    description = factory.Faker("sentence", locale="nl_NL")
    meeting_place = "Bij een van de buren thuis, op toerbeurt"

    class Meta:
        model = Binnenbuurt

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return setup_binnenbuurt(super()._create(model_class, *args, **kwargs))


class MemberFactory(factory.django.DjangoModelFactory):
    user = factory.SubFactory(UserFactory)
    binnenbuurt = factory.SubFactory(BinnenbuurtFactory)
    phone = "020 555 01 01"

    class Meta:
        model = Member

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return enrol_member(super()._create(model_class, *args, **kwargs))


class AccountRemovalRequestFactory(factory.django.DjangoModelFactory):
    user = factory.SubFactory(UserFactory)
    reason = "Ik verhuis."

    class Meta:
        model = AccountRemovalRequest


class LoginCodeFactory(factory.django.DjangoModelFactory):
    """A code whose plain value is unknown; use ``LoginCode.issue(user)`` to log in with one."""

    user = factory.SubFactory(UserFactory)
    code_hash = factory.LazyAttribute(
        lambda o: LoginCode.hash_code(o.user.pk, f"{secrets.randbelow(1_000_000):06d}")
    )
    expires_at = factory.LazyFunction(lambda: timezone.now() + LoginCode.VALID_FOR)

    class Meta:
        model = LoginCode


class MembersAreaPageFactory(wagtail_factories.PageFactory):
    title = "Mijn stadsdorp"
    slug = "mijn-stadsdorp"
    introduction = "<p>Welkom!</p>"

    class Meta:
        model = MembersAreaPage


class BinnenbuurtPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Binnenbuurtpagina {n}")
    slug = factory.Sequence(lambda n: f"binnenbuurtpagina-{n}")
    binnenbuurt = factory.SubFactory(BinnenbuurtFactory)

    class Meta:
        model = BinnenbuurtPage


class BinnenbuurtNewsPageFactory(wagtail_factories.PageFactory):
    title = factory.Faker("sentence", nb_words=5, locale="nl_NL")
    slug = factory.Sequence(lambda n: f"nieuws-{n}")
    body = "<p>Koffie bij de buren was een succes.</p>"
    date = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=1))

    class Meta:
        model = BinnenbuurtNewsPage


class NewsAttachmentFactory(factory.django.DjangoModelFactory):
    page = factory.SubFactory(BinnenbuurtNewsPageFactory)
    document = factory.SubFactory(wagtail_factories.DocumentFactory)

    class Meta:
        model = NewsAttachment
