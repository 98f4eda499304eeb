"""Page rules per type, automatic kind and search text (factories: ``tests/test_factories.py``)."""

import pytest

from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from home.models import HomePage
from kennisbank import models
from kennisbank.factories import KennisbankIndexPageFactory
from tests.conftest import login_with_second_factor

ITEM_MODELS = list(models.ITEM_MODELS.values())


class KennisbankPageRulesTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        root = Page.get_first_root_node()
        cls.home = root.add_child(instance=HomePage(title="Home", slug="home-rules"))
        cls.index = KennisbankIndexPageFactory(parent=cls.home)

    def setUp(self):
        # The administrator's session after both steps (two-factor authentication).
        login_with_second_factor(self.client, self.create_test_user())

    def test_index_lives_under_the_home_page_only(self):
        self.assertAllowedParentPageTypes(models.KennisbankIndexPage, {HomePage})
        self.assertCanNotCreateAt(Page, models.KennisbankIndexPage)

    def test_only_one_index_per_home(self):
        self.assertFalse(models.KennisbankIndexPage.can_create_at(self.home))

    def test_item_types_live_under_the_index(self):
        for model in ITEM_MODELS:
            self.assertAllowedParentPageTypes(model, {models.KennisbankIndexPage})
            self.assertCanCreateAt(models.KennisbankIndexPage, model)
            self.assertCanNotCreateAt(HomePage, model)
            self.assertAllowedSubpageTypes(model, {})

    def test_abstract_base_item_is_never_creatable(self):
        self.assertCanNotCreateAt(models.KennisbankIndexPage, models.KennisbankItemPage)
        self.assertFalse(models.KennisbankItemPage.is_creatable)

    def test_index_subpages(self):
        self.assertAllowedSubpageTypes(
            models.KennisbankIndexPage, {*ITEM_MODELS, models.GlossaryPage}
        )
        self.assertAllowedParentPageTypes(models.GlossaryPage, {models.KennisbankIndexPage})

    def test_editor_can_create_a_guide_with_phases_and_steps(self):
        self.assertCanCreate(
            self.index,
            models.StappenplanPage,
            nested_form_data(
                {
                    "title": "Een stadsdorp starten",
                    "slug": "starten",
                    "summary_text": "Zo begin je.",
                    "introduction": rich_text("<p>Inleiding</p>"),
                    "preconditions": rich_text(""),
                    "publication_date": "2024-03-01",
                    "audience": "initiatiefnemers",
                    "steps": streamfield(
                        [
                            (
                                "step",
                                {
                                    "title": "Zoek medestanders",
                                    "explanation": rich_text("<p>Begin klein.</p>"),
                                    "tips": streamfield([]),
                                    "checklist": streamfield([]),
                                    "links": streamfield([]),
                                },
                            )
                        ]
                    ),
                }
            ),
        )
        guide = models.StappenplanPage.objects.get(slug="starten")
        self.assertEqual(guide.kind, models.Kind.STAPPENPLAN)
        self.assertEqual(guide.outline[0]["steps"][0]["number"], 1)

    def test_editor_can_create_an_article(self):
        self.assertCanCreate(
            self.index,
            models.ArtikelPage,
            nested_form_data(
                {
                    "title": "Tips",
                    "slug": "tips",
                    "summary_text": "",
                    "introduction": "Lees dit.",
                    "publication_date": "2024-03-01",
                    "audience": "professionals",
                    "body": streamfield([]),
                }
            ),
        )


@pytest.mark.django_db
def test_kind_is_set_by_each_subtype(items):
    assert {key: item.kind for key, item in items.items()} == {
        "guide": "stappenplan",
        "report": "verslag",
        "publication": "publicatie",
        "article": "artikel",
    }
    assert models.KennisbankItemPage.objects.filter(kind="stappenplan").count() == 1


@pytest.mark.django_db
def test_search_text_includes_body_and_subtype_fields(items):
    guide_text = " ".join(items["guide"].get_search_text())
    assert "Zoek medestanders" in guide_text and "Drie mensen gevonden" in guide_text
    assert "Een lange adem" in guide_text
    report_text = " ".join(items["report"].get_search_text())
    assert "Binnenbuurten" in report_text and "Amsterdam" in report_text
    article_text = " ".join(items["article"].get_search_text())
    assert "Wees aanwezig" in article_text


@pytest.mark.django_db
def test_admin_edit_views_render_for_every_type(client, django_user_model, kennisbank, items):
    admin = django_user_model.objects.create_superuser("beheer", password="geheim-wachtwoord")
    login_with_second_factor(client, admin)
    for page in [kennisbank, *items.values()]:
        response = client.get(f"/admin/pages/{page.pk}/edit/")
        assert response.status_code == 200, page
    content = client.get(f"/admin/pages/{items['guide'].pk}/edit/").content.decode()
    for tab in ("Inhoud", "Beheer", "Webadres en delen"):
        assert tab in content
    # Themes and tags are on the content tab, not on a tab of their own.
    content_tab = content.split('id="tab-webadres-en-delen"')[0].split('id="tab-inhoud"')[1]
    assert "Thema&#x27;s en trefwoorden" in content_tab or "Thema's en trefwoorden" in content_tab
    assert "Indeling" not in content and "Promoten" not in content
    assert client.get("/admin/snippets/kennisbank/glossaryterm/").status_code == 200
    response = client.get(f"/admin/pages/add/kennisbank/stappenplanpage/{kennisbank.pk}/")
    assert response.status_code == 200


@pytest.mark.django_db
def test_admin_offers_only_themes_of_the_page_language(client, django_user_model, items, locales):
    from home.models import Theme

    _dutch, english = locales
    Theme.objects.create(name="Meeting", slug="meeting", locale=english)
    admin = django_user_model.objects.create_superuser("beheer2", password="geheim-wachtwoord")
    login_with_second_factor(client, admin)
    content = client.get(f"/admin/pages/{items['report'].pk}/edit/").content.decode()
    assert "Ontmoeting" in content
    assert "Meeting" not in content


@pytest.mark.django_db
def test_admin_preview_of_a_new_guide_renders(client, django_user_model, kennisbank, themes):
    admin = django_user_model.objects.create_superuser("beheer3", password="geheim-wachtwoord")
    login_with_second_factor(client, admin)
    url = f"/admin/pages/add/kennisbank/stappenplanpage/{kennisbank.pk}/preview/"
    data = nested_form_data(
        {
            "title": "Nieuw stappenplan",
            "slug": "nieuw",
            "summary_text": "",
            "introduction": rich_text("<p>Inleiding</p>"),
            "preconditions": rich_text(""),
            "publication_date": "2024-03-01",
            "audience": "iedereen",
            "themes": [themes["ontmoeting"].pk],
            "tags": "flyer",
            "steps": streamfield([]),
        }
    )
    response = client.post(url, data)
    assert response.json()["is_valid"] is True
    preview = client.get(url)
    assert preview.status_code == 200
    assert "Nieuw stappenplan" in preview.content.decode()
