"""Rendering of every kennisbank page type, the guide's outline and print view, votes."""

import datetime
import re

import pytest

from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from wagtail.models import Locale

from kennisbank.factories import (
    ArtikelPageFactory,
    GlossaryPageFactory,
    GlossaryTermFactory,
    StappenplanPageFactory,
)
from kennisbank.models import HelpfulVote, KennisbankFeaturedItem, latest_items

pytestmark = pytest.mark.django_db


def test_every_item_type_renders(client, items):
    expected = {
        "guide": ["Stap 1", "Zoek medestanders", "Randvoorwaarden", "Was dit nuttig?"],
        "report": ["Over de bijeenkomst", "Amsterdam", "Besproken onderwerpen"],
        "publication": ["Belangrijkste bevindingen", "Communicatie is een knelpunt."],
        "article": ["Tip 1", "Wees aanwezig", "Tip 2", "Was dit nuttig?"],
    }
    for key, texts in expected.items():
        response = client.get(items[key].url)
        assert response.status_code == 200, key
        content = response.content.decode()
        assert f"<h1>{items[key].title}</h1>" in content
        for text in texts:
            assert text in content, (key, text)
    report = client.get(items["report"].url).content.decode()
    assert "Was dit nuttig?" not in report  # only guides and articles ask


def test_guide_table_of_contents_and_continuous_step_numbers(client, items):
    guide = items["guide"]
    outline = guide.outline
    assert [entry["is_phase"] for entry in outline] == [True, False]
    numbers = [step["number"] for entry in outline for step in entry["steps"]]
    assert numbers == [1, 2, 3]
    content = client.get(guide.url).content.decode()
    for entry in outline:
        for step in entry["steps"]:
            assert f'href="#{step["anchor"]}"' in content
            assert f'id="{step["anchor"]}"' in content
    assert "Stap 3: Neem papier en pennen mee" in content
    assert f'href="#{outline[0]["anchor"]}"' in content


def test_guide_print_view_has_steps_without_site_chrome(client, items):
    response = client.get(items["guide"].url + "?print=1")
    assert response.status_code == 200
    content = response.content.decode()
    assert 'class="kb-print-version"' in content
    assert "Stap 2" in content and "Prik een datum" in content
    assert "site-header" not in content
    assert "kb-toc" not in content
    assert 'name="robots" content="noindex"' in content


def test_index_shows_featured_latest_themes_and_feed_links(client, kennisbank, items, themes):
    KennisbankFeaturedItem.objects.create(index_page=kennisbank, page=items["guide"])
    content = client.get(kennisbank.url).content.decode()
    assert 'name="q"' in content and f'action="{kennisbank.url}"' in content
    assert "Uitgelicht" in content and "Een stadsdorp starten" in content
    assert "Nieuw in de kennisbank" in content
    assert "?theme=ontmoeting" in content and "(3 items)" in content
    assert "?type=stappenplan" in content
    assert 'rel="alternate" type="application/rss+xml"' in content


def test_index_hides_private_items_everywhere(client, kennisbank, items, restrict_to_login):
    restrict_to_login(items["publication"])
    KennisbankFeaturedItem.objects.create(index_page=kennisbank, page=items["publication"])
    content = client.get(kennisbank.url).content.decode()
    assert "Stadsdorpen in beeld" not in content
    assert "(2 items)" in content  # ontmoeting counts only the visible guide and report


def test_index_delegates_search_parameters(client, kennisbank, items, monkeypatch):
    from django.http import HttpResponse

    import kennisbank.search.views as search_views

    calls = []

    def fake_results(request, page):
        calls.append((request.GET.get("q"), page.pk))
        return HttpResponse("results")

    monkeypatch.setattr(search_views, "results_response", fake_results, raising=False)
    assert client.get(kennisbank.url + "?q=flyer").content == b"results"
    assert client.get(kennisbank.url + "?theme=cultuur").content == b"results"
    assert calls == [("flyer", kennisbank.pk), (None, kennisbank.pk)]
    assert client.get(kennisbank.url).content != b"results"


def test_search_results_of_a_restricted_index_stay_behind_the_login(
    client, kennisbank, items, restrict_to_login
):
    restrict_to_login(kennisbank)
    response = client.get(kennisbank.url + "?q=flyer")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_related_items_share_themes_and_tags_and_exclude_private(items, restrict_to_login):
    related = items["guide"].related_items(AnonymousUser())
    assert [item.pk for item in related][:2] == [items["report"].pk, items["publication"].pk]
    assert items["article"].pk not in [item.pk for item in related]
    restrict_to_login(items["report"])
    related = items["guide"].related_items(AnonymousUser())
    assert items["report"].pk not in [item.pk for item in related]


def test_related_items_use_a_constant_number_of_queries(kennisbank, items, themes):
    for number in range(10):
        StappenplanPageFactory(
            parent=kennisbank, slug=f"extra-{number}", themes=[themes["ontmoeting"]]
        )
    with CaptureQueriesContext(connection) as queries:
        related = items["guide"].related_items(AnonymousUser(), limit=8)
        [item.title for item in related]
    assert len(related) == 8
    assert len(queries) <= 5


def test_latest_items_newest_first_visible_and_in_locale(items, restrict_to_login, locales):
    dutch, english = locales
    items["article"].publication_date = datetime.date.today()
    items["article"].save()
    restrict_to_login(items["guide"])
    latest = latest_items(AnonymousUser(), dutch, limit=3)
    assert latest[0].pk == items["article"].pk
    assert items["guide"].pk not in [item.pk for item in latest]
    assert len(latest) == 3
    assert latest_items(AnonymousUser(), english) == []


def test_item_list_include_renders_in_constant_queries(rf, items):
    from django.template.loader import render_to_string

    request = rf.get("/")
    request.user = AnonymousUser()
    dutch = Locale.objects.get(language_code="nl")
    latest = latest_items(request.user, dutch, limit=4)
    with CaptureQueriesContext(connection) as queries:
        html = render_to_string(
            "kennisbank/includes/item_list.html", {"items": latest, "request": request}
        )
    assert html.count('class="kb-item-list__item"') == 4
    assert "Stappenplan" in html and "Verslag" in html
    assert len(queries) <= 3


SAME_ORIGIN = {"Origin": "http://testserver"}


def test_helpful_vote_counts_once_per_browser(client, items):
    client.defaults["HTTP_ORIGIN"] = SAME_ORIGIN["Origin"]
    guide = items["guide"]
    url = f"/nl/kennisbank/nuttig/{guide.pk}/"
    response = client.post(url, {"helpful": "ja"})
    assert response.status_code == 302 and response["Location"].endswith("#nuttig")
    client.post(url, {"helpful": "ja"})
    client.post(url, {"helpful": "nee"})
    assert HelpfulVote.counts_for(guide) == {"yes": 1, "no": 0}
    page = client.get(guide.url).content.decode()
    assert "Bedankt voor uw reactie" in page and 'name="helpful"' not in page

    other_browser = client.__class__(headers=SAME_ORIGIN)
    other_browser.post(url, {"helpful": "nee"})
    assert HelpfulVote.counts_for(guide) == {"yes": 1, "no": 1}


def test_helpful_vote_rejects_bad_input_and_other_types(client, items):
    client.defaults["HTTP_ORIGIN"] = SAME_ORIGIN["Origin"]
    guide = items["guide"]
    assert client.post(f"/nl/kennisbank/nuttig/{guide.pk}/", {"helpful": "x"}).status_code == 400
    report = items["report"]
    assert client.post(f"/nl/kennisbank/nuttig/{report.pk}/", {"helpful": "ja"}).status_code == 400
    assert client.get(f"/nl/kennisbank/nuttig/{guide.pk}/").status_code == 405
    assert client.post("/nl/kennisbank/nuttig/999999/", {"helpful": "ja"}).status_code == 404
    assert HelpfulVote.objects.count() == 0


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Origin": "https://elders.example"},
        {"Referer": "https://elders.example/nl/kennisbank/"},
        {"Origin": "https://testserver"},  # same host, other scheme
    ],
)
def test_helpful_vote_refuses_posts_from_other_sites(items, headers):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True, headers=headers)
    response = strict.post(f"/nl/kennisbank/nuttig/{items['guide'].pk}/", {"helpful": "ja"})
    assert response.status_code == 403
    assert HelpfulVote.objects.count() == 0


def test_helpful_vote_from_the_page_itself_needs_no_csrf_cookie(items):
    from django.test import Client

    referer = "http://testserver" + items["guide"].url
    strict = Client(enforce_csrf_checks=True, headers={"Referer": referer})
    html = strict.get(items["guide"].url).content.decode()
    assert 'name="helpful"' in html and "csrfmiddlewaretoken" not in html
    assert "csrftoken" not in strict.cookies
    response = strict.post(f"/nl/kennisbank/nuttig/{items['guide'].pk}/", {"helpful": "ja"})
    assert response.status_code == 302
    assert HelpfulVote.counts_for(items["guide"]) == {"yes": 1, "no": 0}


def test_glossary_page_lists_terms_by_letter(client, kennisbank, locales):
    dutch, _english = locales
    stadsdorp = GlossaryTermFactory(term="Stadsdorp", slug="stadsdorp", locale=dutch)
    binnenbuurt = GlossaryTermFactory(term="Binnenbuurt", slug="binnenbuurt", locale=dutch)
    stadsdorp.related_terms.add(binnenbuurt)
    glossary = GlossaryPageFactory(parent=kennisbank)
    content = client.get(glossary.url).content.decode()
    assert 'href="#letter-B"' in content and 'href="#letter-S"' in content
    assert 'id="begrip-stadsdorp"' in content
    assert content.index("Binnenbuurt") < content.index("Stadsdorp</dt>")
    assert 'aria-disabled="true">Q<' in content
    assert 'Zie ook: <a href="#begrip-binnenbuurt">' in content


def test_english_translation_renders_in_english(client, home_page, kennisbank, items, locales):
    _dutch, english = locales
    home_en = home_page.copy_for_translation(english)
    home_en.save_revision().publish()
    index_en = kennisbank.copy_for_translation(english)
    index_en.save_revision().publish()
    guide_en = items["guide"].copy_for_translation(english).specific
    guide_en.title = "Starting a stadsdorp"
    guide_en.save_revision().publish()
    response = client.get(guide_en.url)
    assert response.status_code == 200
    assert guide_en.url.startswith("/en/")
    content = response.content.decode()
    assert "Step 1" in content and "Was this helpful?" in content
    assert '<html lang="en"' in content
    assert "Stap 1" not in content


def test_article_tips_are_numbered_in_order(client, kennisbank):
    article = ArtikelPageFactory(parent=kennisbank, slug="tips-volgorde")
    content = client.get(article.url).content.decode()
    assert content.index("Tip 1") < content.index("Wees aanwezig") < content.index("Tip 2")


def test_glossary_terms_link_on_first_mention_only(client, kennisbank, locales):
    dutch, _english = locales
    GlossaryTermFactory(term="binnenbuurt", slug="binnenbuurt", locale=dutch)
    GlossaryTermFactory(term="Zorgzame gemeenschap", slug="zorgzame-gemeenschap", locale=dutch)
    glossary = GlossaryPageFactory(parent=kennisbank)
    article = ArtikelPageFactory(
        parent=kennisbank,
        slug="begrippen-in-tekst",
        body=[
            {
                "type": "text",
                "value": {
                    "heading": "Over de binnenbuurt",
                    "text": "<p>Een Binnenbuurt is klein. Elke binnenbuurt telt.</p>"
                    '<p>Een <a href="/x/">binnenbuurt link</a> en een zorgzame gemeenschap.</p>',
                },
            }
        ],
    )
    content = client.get(article.url).content.decode()
    link = f'<a class="kb-term-link" href="{glossary.url}#begrip-binnenbuurt">Binnenbuurt</a>'
    assert link in content
    assert content.count("#begrip-binnenbuurt") == 1  # first mention only, not in the heading
    assert f'href="{glossary.url}#begrip-zorgzame-gemeenschap">zorgzame gemeenschap</a>' in content
    assert '<a href="/x/">binnenbuurt link</a>' in content


def test_every_item_type_renders_in_english(client, home_page, kennisbank, items, locales):
    _dutch, english = locales
    home_page.copy_for_translation(english).save_revision().publish()
    index_en = kennisbank.copy_for_translation(english)
    index_en.title = "Knowledge base"
    index_en.save_revision().publish()
    expected = {
        "guide": ["Step 1", "Contents", "Preconditions", "Was this helpful?"],
        "report": ["About the meeting", "Place", "Organiser"],
        "publication": ["Key findings"],
        "article": ["Tip 1", "Was this helpful?"],
    }
    for key, texts in expected.items():
        translation = items[key].copy_for_translation(english)
        translation.save_revision().publish()
        response = client.get(translation.url)
        assert response.status_code == 200, key
        content = response.content.decode()
        assert '<a href="/en/kennisbank/">Knowledge base</a>' in content
        for text in ["Type", "Published", "Audience", *texts]:
            assert text in content, (key, text)
    index = client.get(index_en.url).content.decode()
    assert "New in the knowledge base" in index and "Browse by theme" not in index


def test_index_and_item_queries_do_not_grow_with_items(client, kennisbank, items, themes):
    def count(url):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    for key in items:
        KennisbankFeaturedItem.objects.create(index_page=kennisbank, page=items[key])
    count(kennisbank.url), count(items["guide"].url)  # warm caches (site root paths, settings)
    index_before, guide_before = count(kennisbank.url), count(items["guide"].url)
    for number in range(8):
        extra = StappenplanPageFactory(
            parent=kennisbank,
            slug=f"meer-{number}",
            themes=[themes["ontmoeting"], themes["cultuur"]],
            tags=["starten"],
        )
        KennisbankFeaturedItem.objects.create(index_page=kennisbank, page=extra)
    count(kennisbank.url), count(items["guide"].url)  # caches were invalidated by the writes
    assert count(kennisbank.url) == index_before
    assert count(items["guide"].url) == guide_before


def test_an_untranslated_item_in_the_english_list_is_marked_dutch(
    client, home_page, kennisbank, items, locales
):
    _dutch, english = locales
    home_page.copy_for_translation(english).save_revision().publish()
    index_en = kennisbank.copy_for_translation(english)
    index_en.title = "Knowledge base"
    index_en.save_revision().publish()
    guide_en = items["guide"].copy_for_translation(english)
    guide_en.title = "Starting a stadsdorp"
    guide_en.save_revision().publish()
    items["article"].copy_for_translation(english, alias=True)  # synchronised, not translated

    content = client.get(index_en.url).content.decode()
    untranslated = re.search(
        r'<a href="[^"]+"([^>]*)>Tien tips voor buurtprofessionals</a>(.*?)</h', content
    )
    translated = re.search(r'<a href="[^"]+"([^>]*)>Starting a stadsdorp</a>(.*?)</h', content)
    assert 'lang="nl"' in untranslated[1] and "(in Dutch)" in untranslated[2]
    assert 'lang="nl"' not in translated[1] and "(in Dutch)" not in translated[2]


def first_match(pattern, html):
    match = re.search(pattern, html, re.S)
    return match.group(0) if match else ""


def related_section(html):
    return first_match(r'<section class="kb-related.*?</section>', html)


def item_meta(html):
    return first_match(r'<dl class="kb-meta">.*?</dl>', html)


@pytest.mark.django_db(transaction=True)
def test_shared_related_items_and_glossary_never_reach_another_audience(
    wagtail_roots, client, items, restrict_to_login, django_user_model
):
    """The item page's themes, tags, related items and glossary terms are built once per content
    generation and audience (``KennisbankItemPage.shared_for``): outside a transaction they
    are kept, fewer queries follow, and what a member may see is not shown to a visitor."""
    restrict_to_login(items["report"])
    guide = items["guide"]
    client.get(items["article"].url)  # the site settings' row is made on a first request
    with CaptureQueriesContext(connection) as first:
        anonymous = client.get(guide.url).content.decode()
    with CaptureQueriesContext(connection) as second:
        assert client.get(guide.url).content.decode() == anonymous
    asked = " ".join(query["sql"] for query in second.captured_queries)
    assert "taggit_tag" in " ".join(query["sql"] for query in first.captured_queries)
    assert "glossaryterm" not in asked and "taggit_tag" not in asked and "COUNT(" not in asked
    assert items["report"].title not in related_section(anonymous)

    member = django_user_model.objects.create_user("lid", "lid@example.org", "wachtwoord-123")
    client.force_login(member)
    as_member = client.get(guide.url).content.decode()
    assert items["report"].title in related_section(as_member)
    client.logout()
    assert items["report"].title not in related_section(client.get(guide.url).content.decode())


@pytest.mark.django_db(transaction=True)
def test_a_preview_shows_its_unsaved_themes_and_the_live_page_keeps_its_own(
    wagtail_roots, client, items, themes, rf
):
    """The item's top and related list are shared blocks read from the cache; an admin preview
    of unsaved changes (Wagtail's ``serve_preview``) is built from the draft, and leaves the live
    page's copies alone."""
    guide, article = items["guide"], items["article"]
    client.get(article.url)  # the site settings' row is made on a first request
    live = client.get(guide.url).content.decode()
    assert client.get(guide.url).content.decode() == live  # now from the shared copies
    assert "Cultuur" not in item_meta(live) and article.title not in related_section(live)

    draft = type(guide).objects.get(pk=guide.pk)
    draft.title = "Concepttitel die nog niemand mag zien"
    draft.themes.set([themes["cultuur"]])  # in memory, as the admin's preview form leaves it
    request = rf.get(guide.url)
    request.user = AnonymousUser()
    request.session = client.session
    request.is_preview = True
    response = draft.serve_preview(request, draft.default_preview_mode)
    response.render()
    preview = response.content.decode()
    assert "Concepttitel" in preview
    assert "Cultuur" in item_meta(preview) and "Ontmoeting" not in item_meta(preview)
    assert article.title in related_section(preview)

    assert client.get(guide.url).content.decode() == live


def test_a_document_links_print_address_without_asking_for_the_site(
    rf, items, django_assert_num_queries
):
    """``{% page_site_root_url page %}`` (the link block's printed address) is what
    ``page.get_site.root_url`` was, without Wagtail's Site query, from the request's root paths."""
    from django.template import Context, Template

    from wagtail.models import Site

    guide = items["guide"]
    template = Template("{% load kennisbank_tags %}{% page_site_root_url page %}")
    expected = guide.get_site().root_url
    request = rf.get(guide.url)
    request._wagtail_cached_site_root_paths = Site.get_site_root_paths()
    with django_assert_num_queries(0):
        assert template.render(Context({"page": guide, "request": request})) == expected
    assert template.render(Context({"page": guide})) == expected
