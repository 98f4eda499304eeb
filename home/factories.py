"""Factories for tests and benchmarks (https://github.com/wagtail/wagtail-factories)."""

import uuid

import factory
import wagtail_factories

from django.contrib.auth import get_user_model

from home import blocks
from home.models import (
    ContentPage,
    FooterLink,
    FormField,
    FormPage,
    FormSubmissionToken,
    HomePage,
    MenuItem,
    NavigationSettings,
    SiteImage,
    SiteRendition,
    SiteSettings,
    StadsdorpIndexPage,
    StadsdorpPage,
    Theme,
)

PASSWORD = "Fabriek-wachtwoord-2026"


class UserFactory(factory.django.DjangoModelFactory):
    """A user with a known password (``PASSWORD``); other apps' factories build on it."""

    username = factory.Sequence(lambda n: f"buur{n}@example.org")
    email = factory.LazyAttribute(lambda o: o.username)
    first_name = factory.Faker("first_name", locale="nl_NL")
    last_name = factory.Faker("last_name", locale="nl_NL")
    password = factory.django.Password(PASSWORD)

    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)


class ThemeFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Thema {n}")
    slug = factory.Sequence(lambda n: f"thema-{n}")
    description = factory.Faker("sentence", locale="nl_NL")

    class Meta:
        model = Theme


class HomePageFactory(wagtail_factories.PageFactory):
    title = "Netwerk Stadsdorpen"
    slug = factory.Sequence(lambda n: f"home-{n}")
    introduction = "<p>Buren die voor elkaar zorgen.</p>"
    cta_title = "Start een stadsdorp"
    cta_text = "Begin met een paar buren."

    class Meta:
        model = HomePage


class HeadingBlockFactory(wagtail_factories.StructBlockFactory):
    text = factory.Faker("sentence", nb_words=4, locale="nl_NL")
    level = "h2"
    anchor = ""

    class Meta:
        model = blocks.HeadingBlock


class RichTextBlockFactory(wagtail_factories.StructBlockFactory):
    text = factory.LazyFunction(lambda: "<p>Een alinea over de buurt.</p>")

    class Meta:
        model = blocks.RichTextBlock


class QuoteBlockFactory(wagtail_factories.StructBlockFactory):
    quote = factory.Faker("sentence", locale="nl_NL")
    attribution = factory.Faker("first_name", locale="nl_NL")

    class Meta:
        model = blocks.QuoteBlock


class ContentStreamBlockFactory(wagtail_factories.StreamBlockFactory):
    heading = factory.SubFactory(HeadingBlockFactory)
    paragraph = factory.SubFactory(RichTextBlockFactory)
    quote = factory.SubFactory(QuoteBlockFactory)

    class Meta:
        model = blocks.ContentStreamBlock


class ContentPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Inhoudspagina {n}")
    slug = factory.Sequence(lambda n: f"inhoud-{n}")
    introduction = factory.Faker("sentence", locale="nl_NL")
    body = wagtail_factories.StreamFieldFactory(ContentStreamBlockFactory)

    class Meta:
        model = ContentPage


class StadsdorpIndexPageFactory(wagtail_factories.PageFactory):
    title = "Stadsdorpen"
    slug = factory.Sequence(lambda n: f"stadsdorpen-{n}")

    class Meta:
        model = StadsdorpIndexPage


class StadsdorpPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Stadsdorp {n}")
    slug = factory.Sequence(lambda n: f"stadsdorp-{n}")
    area = factory.Faker("city", locale="nl_NL")
    short_description = factory.Faker("sentence", locale="nl_NL")
    binnenbuurten_count = 4
    contact_name = factory.Faker("name", locale="nl_NL")
    contact_email = factory.Sequence(lambda n: f"stadsdorp{n}@example.org")

    class Meta:
        model = StadsdorpPage
        skip_postgeneration_save = True

    @factory.post_generation
    def themes(self, create, extracted, **kwargs):
        if extracted:
            self.themes.set(extracted)
            if create:
                self.save()


class FormPageFactory(wagtail_factories.PageFactory):
    title = "Contact"
    slug = factory.Sequence(lambda n: f"contact-{n}")
    subject = "Nieuw bericht"

    class Meta:
        model = FormPage


class FormFieldFactory(factory.django.DjangoModelFactory):
    page = factory.SubFactory(FormPageFactory)
    label = factory.Sequence(lambda n: f"Veld {n}")
    field_type = "singleline"
    required = True
    sort_order = factory.Sequence(lambda n: n)

    class Meta:
        model = FormField


class SiteImageFactory(wagtail_factories.ImageFactory):
    title = factory.Sequence(lambda n: f"Foto {n}")

    class Meta:
        model = SiteImage


class SiteRenditionFactory(factory.django.DjangoModelFactory):
    image = factory.SubFactory(SiteImageFactory)
    filter_spec = factory.Sequence(lambda n: f"width-{100 + n}")
    file = factory.django.ImageField(width=100, height=75)
    width = 100
    height = 75

    class Meta:
        model = SiteRendition


class FormSubmissionTokenFactory(factory.django.DjangoModelFactory):
    token = factory.LazyFunction(uuid.uuid4)
    page = factory.SubFactory(FormPageFactory)

    class Meta:
        model = FormSubmissionToken


class SettingFactory(factory.django.DjangoModelFactory):
    """A setting exists once: the factory fills in the one row (``load()``) instead of a second."""

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        instance = model_class.load()
        for name, value in kwargs.items():
            setattr(instance, name, value)
        instance.save()
        return instance


class SiteSettingsFactory(SettingFactory):
    organisation_name = "Netwerk Stadsdorpen"
    contact_email = "info@example.org"

    class Meta:
        model = SiteSettings


class NavigationSettingsFactory(SettingFactory):
    class Meta:
        model = NavigationSettings


class MenuItemFactory(factory.django.DjangoModelFactory):
    setting = factory.SubFactory(NavigationSettingsFactory)
    link_url = "https://www.example.org/"
    label = factory.Sequence(lambda n: f"Menu {n}")
    sort_order = factory.Sequence(lambda n: n)

    class Meta:
        model = MenuItem


class FooterLinkFactory(MenuItemFactory):
    class Meta:
        model = FooterLink
