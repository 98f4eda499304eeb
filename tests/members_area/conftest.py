"""A small member world: one stadsdorp, binnenbuurten A and B, and a user for every role."""

from dataclasses import dataclass

import pytest

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.files.base import ContentFile

from wagtail.documents import get_document_model

from home.models import StadsdorpIndexPage, StadsdorpPage
from members_area.models import Binnenbuurt, BinnenbuurtNewsPage, Member
from members_area.services import enrol_member, get_members_area_page, setup_binnenbuurt

PASSWORD = "Geheim-wachtwoord-2026"


@dataclass
class World:
    home: object
    stadsdorp: object
    members_area: object
    a: object
    b: object
    page_a: object
    page_b: object
    news_a: object
    news_b: object
    general_news: object
    document_a: object
    users: dict


def make_user(email, first_name="", groups=(), **extra):
    user = get_user_model().objects.create_user(
        username=email, email=email, password=PASSWORD, first_name=first_name, **extra
    )
    for name in groups:
        user.groups.add(Group.objects.get_or_create(name=name)[0])
    return user


def make_stadsdorp(home, title="Stadsdorp Noord"):
    index = StadsdorpIndexPage.objects.child_of(home).first()
    if index is None:
        index = home.add_child(instance=StadsdorpIndexPage(title="Stadsdorpen", slug="stadsdorpen"))
    return index.add_child(
        instance=StadsdorpPage(
            title=title,
            slug=title.lower().replace(" ", "-"),
            short_description="Een stadsdorp voor de test.",
            area="Testbuurt",
        )
    )


def add_news(parent, title, **kwargs):
    return parent.add_child(
        instance=BinnenbuurtNewsPage(title=title, body=f"<p>{title} tekst</p>", **kwargs)
    )


@pytest.fixture(autouse=True)
def clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world(home_page):
    stadsdorp = make_stadsdorp(home_page)
    members_area = get_members_area_page()
    users = {
        "member_a": make_user("anna@example.org", "Anna"),
        "member_b": make_user("bert@example.org", "Bert"),
        "contact_a": make_user("carla@example.org", "Carla"),
        "editor": make_user("eva@example.org", "Eva", groups=["Redacteuren"]),
        "admin": make_user("admin@example.org", "Beheer", is_superuser=True, is_staff=True),
    }
    a = setup_binnenbuurt(
        Binnenbuurt.objects.create(
            name="Zonnehof", stadsdorp=stadsdorp, coordinator=users["contact_a"]
        )
    )
    b = setup_binnenbuurt(Binnenbuurt.objects.create(name="Lindengracht", stadsdorp=stadsdorp))
    enrol_member(
        Member.objects.create(user=users["member_a"], binnenbuurt=a, phone="020 111 11 11")
    )
    enrol_member(
        Member.objects.create(user=users["member_b"], binnenbuurt=b, phone="020 222 22 22")
    )
    enrol_member(Member.objects.create(user=users["contact_a"], binnenbuurt=a, phone="06 12345678"))
    a.refresh_from_db()
    b.refresh_from_db()
    page_a = a.pages.get()
    page_b = b.pages.get()
    document_a = get_document_model().objects.create(
        title="Notulen Zonnehof",
        file=ContentFile(b"notulen", name="notulen-zonnehof.txt"),
        collection=a.collection,
    )
    return World(
        home=home_page,
        stadsdorp=stadsdorp,
        members_area=members_area,
        a=a,
        b=b,
        page_a=page_a,
        page_b=page_b,
        news_a=add_news(page_a, "Zonnehof borrel verslag"),
        news_b=add_news(page_b, "Lindengracht nieuwsbrief"),
        general_news=add_news(members_area, "Algemene ledenvergadering"),
        document_a=document_a,
        users=users,
    )
