"""A page's StreamField body is a shared fragment per page, site, language and audience.

The body of a content page, an article and a stappenplan is rendered once per content
generation for everyone with the same audience (``{% shared "page-body" %}``, home/fragments.py)
instead of for every request. What a members-only page or glossary holds must never reach a
copy another audience gets, and a preview's unsaved text must never reach the live page. These
tests run outside a wrapping transaction (``transaction=True``): the fragment cache is bypassed
inside one, and sharing is what is under test here.
"""

import pytest

from django.contrib.auth.models import Group
from django.test import Client

from wagtail.models import PageViewRestriction

from home.factories import ContentPageFactory, UserFactory
from kennisbank.factories import (
    ArtikelPageFactory,
    GlossaryPageFactory,
    GlossaryTermFactory,
    KennisbankIndexPageFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)

SECRET = "Sleutel ligt onder de mat bij nummer 12"


@pytest.fixture(autouse=True)
def settings_exist(wagtail_roots, home_page, settings_rows):
    pass


def page_bodies(fragment_builds):
    """(parts of the key, HTML without its personal holes) of each page-body copy built."""
    return [
        (parts, "".join(part for part in value if isinstance(part, str)))
        for parts, value in fragment_builds
        if parts[1] == "page-body"
    ]


def restrict(page, group):
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.add(group)


def member_of(group, email):
    user = UserFactory(email=email, username=email)
    user.groups.add(group)
    return user


def get(path, user=None):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client.get(path)


def paragraph_page(parent, text, **kwargs):
    return ContentPageFactory(
        parent=parent,
        body=[{"type": "paragraph", "value": {"text": f"<p>{text}</p>"}}],
        **kwargs,
    )


def test_a_public_body_is_built_once_per_audience(home_page, fragment_builds):
    page = paragraph_page(home_page, "Koffie op dinsdag", slug="koffie")
    group = Group.objects.create(name="Leden Zonnehof")
    anna = member_of(group, "anna@example.org")

    first = get(page.url).content.decode()
    second = get(page.url).content.decode()
    as_member = get(page.url, anna).content.decode()

    assert "Koffie op dinsdag" in first
    assert first == second
    audiences = [parts[-2] for parts, _html in page_bodies(fragment_builds)]
    assert audiences == ["anonymous", f"groups:{group.pk}"]
    # The member's page has the same body as the anonymous visitor's.
    body = first[first.index('<div class="stream">') : first.index("</article>")]
    assert body in as_member


def test_a_members_only_body_never_reaches_another_audience(home_page, fragment_builds):
    zonnehof = Group.objects.create(name="Leden Zonnehof")
    lindengracht = Group.objects.create(name="Leden Lindengracht")
    anna = member_of(zonnehof, "anna@example.org")
    bert = member_of(lindengracht, "bert@example.org")
    page = paragraph_page(home_page, SECRET, slug="alleen-zonnehof")
    restrict(page, zonnehof)

    assert SECRET in get(page.url, anna).content.decode()
    for visitor in (None, bert):
        response = get(page.url, visitor)
        assert response.status_code in (302, 403)  # to the log-in page, or refused
        assert SECRET not in response.content.decode()
    # The one copy with the secret is keyed by the group that may read it, and no other copy
    # was made.
    assert [parts[-2] for parts, _html in page_bodies(fragment_builds)] == [f"groups:{zonnehof.pk}"]
    assert SECRET in page_bodies(fragment_builds)[0][1]

    # A public page of the same site, read by all three, shares nothing with the private one.
    public = paragraph_page(home_page, "Open inloop", slug="open-inloop")
    for visitor in (None, anna, bert):
        html = get(public.url, visitor).content.decode()
        assert "Open inloop" in html and SECRET not in html


def test_a_members_only_glossary_is_linked_only_for_its_members(home_page, fragment_builds):
    """The article's body links glossary terms with the linker of the fragment's viewer: an
    anonymous copy never links to (or names the address of) a glossary only members may see."""
    zonnehof = Group.objects.create(name="Leden Zonnehof")
    anna = member_of(zonnehof, "anna@example.org")
    index = KennisbankIndexPageFactory(parent=home_page)
    glossary = GlossaryPageFactory(parent=index, slug="begrippen-leden")
    restrict(glossary, zonnehof)
    GlossaryTermFactory(term="burenhulp", slug="burenhulp", locale=home_page.locale)
    article = ArtikelPageFactory(
        parent=index,
        slug="samen",
        body=[
            {
                "type": "text",
                "value": {"heading": "Samen", "text": "<p>Over burenhulp in de buurt.</p>"},
            }
        ],
    )

    anonymous = get(article.url).content.decode()
    member = get(article.url, anna).content.decode()

    assert "Over burenhulp in de buurt." in anonymous
    assert glossary.url not in anonymous
    assert f'href="{glossary.url}#begrip-burenhulp"' in member
    assert {parts[-2] for parts, _html in page_bodies(fragment_builds)} == {
        "anonymous",
        f"groups:{zonnehof.pk}",
    }
    anonymous_copy = next(
        html for parts, html in page_bodies(fragment_builds) if parts[-2] == "anonymous"
    )
    assert glossary.url not in anonymous_copy


def test_a_preview_is_not_shared_with_the_live_page(home_page, fragment_builds):
    page = paragraph_page(home_page, "Gepubliceerde tekst", slug="voorbeeld")
    draft = type(page).objects.get(pk=page.pk)
    draft.body = [{"type": "paragraph", "value": {"text": "<p>Nog niet gepubliceerd</p>"}}]

    preview = draft.make_preview_request()
    assert "Nog niet gepubliceerd" in preview.content.decode()
    live = get(page.url).content.decode()

    assert "Gepubliceerde tekst" in live
    assert "Nog niet gepubliceerd" not in live
    assert all("Nog niet gepubliceerd" not in html for _parts, html in page_bodies(fragment_builds))


def test_the_kennisbank_index_lists_are_shared_per_audience(home_page, fragment_builds):
    """The index's featured and newest items, kinds, themes and glossary are one copy per
    audience: a members-only item a member saw first never reaches the anonymous copy, and a
    second anonymous visitor gets the copy built for the first."""
    zonnehof = Group.objects.create(name="Leden Zonnehof")
    anna = member_of(zonnehof, "anna@example.org")
    index = KennisbankIndexPageFactory(parent=home_page)
    ArtikelPageFactory(parent=index, slug="open-artikel", title="Koffie voor iedereen")
    private = ArtikelPageFactory(parent=index, slug="leden-artikel", title=SECRET)
    restrict(private, zonnehof)
    glossary = GlossaryPageFactory(parent=index, slug="begrippen-leden")
    restrict(glossary, zonnehof)

    member = get(index.url, anna).content.decode()
    anonymous = get(index.url).content.decode()
    again = get(index.url).content.decode()

    assert SECRET in member and glossary.url in member
    assert "Koffie voor iedereen" in anonymous
    assert SECRET not in anonymous and glossary.url not in anonymous
    assert again == anonymous
    copies = [(parts, value) for parts, value in fragment_builds if parts[1] == "kennisbank-index"]
    assert [parts[-2] for parts, _value in copies] == [f"groups:{zonnehof.pk}", "anonymous"]
    assert SECRET not in "".join(part for part in copies[1][1] if isinstance(part, str))
