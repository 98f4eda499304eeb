"""Where editors may create each page type, and that the admin can create them."""

from wagtail.models import Locale, Page, Site
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from home.models import ContentPage, FormPage, HomePage, StadsdorpIndexPage, StadsdorpPage
from tests.conftest import login_with_second_factor


class PageRulesTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        Locale.objects.get_or_create(language_code="nl")
        root = Page.get_first_root_node()
        cls.home = root.add_child(instance=HomePage(title="Netwerk", slug="netwerk"))
        Site.objects.update_or_create(
            is_default_site=True,
            defaults={"hostname": "localhost", "port": 80, "root_page": cls.home},
        )
        cls.directory = cls.home.add_child(
            instance=StadsdorpIndexPage(title="Stadsdorpen", slug="stadsdorpen")
        )

    def setUp(self):
        # The administrator's session after both steps (two-factor authentication).
        login_with_second_factor(self.client, self.create_test_user())

    def test_home_page_only_under_the_root(self):
        self.assertAllowedParentPageTypes(HomePage, {Page})
        self.assertCanNotCreateAt(HomePage, HomePage)
        self.assertCanNotCreateAt(ContentPage, HomePage)

    def test_content_pages_under_home_and_content(self):
        self.assertAllowedParentPageTypes(ContentPage, {HomePage, ContentPage})
        self.assertCanCreateAt(HomePage, ContentPage)
        self.assertCanCreateAt(ContentPage, ContentPage)
        self.assertCanNotCreateAt(StadsdorpIndexPage, ContentPage)

    def test_stadsdorp_only_in_the_directory(self):
        self.assertAllowedParentPageTypes(StadsdorpPage, {StadsdorpIndexPage})
        self.assertAllowedSubpageTypes(StadsdorpIndexPage, {StadsdorpPage})
        self.assertAllowedSubpageTypes(StadsdorpPage, set())
        self.assertCanNotCreateAt(HomePage, StadsdorpPage)

    def test_form_page_is_a_leaf(self):
        self.assertAllowedParentPageTypes(FormPage, {HomePage, ContentPage})
        self.assertAllowedSubpageTypes(FormPage, set())

    def test_home_page_allows_the_other_apps_index_pages(self):
        names = {model._meta.label for model in HomePage.clean_subpage_models()}
        assert {"home.ContentPage", "home.StadsdorpIndexPage", "home.FormPage"} <= names
        # Index pages of apps that exist are allowed; missing ones are skipped, never an error.
        assert names <= set(HomePage.subpage_types)

    def test_create_content_page_with_streamfield_in_admin(self):
        self.assertCanCreate(
            self.home,
            ContentPage,
            nested_form_data(
                {
                    "title": "Nieuw hier?",
                    "slug": "nieuw-hier",
                    "introduction": "Welkom.",
                    "body": streamfield(
                        [
                            ("heading", {"text": "Welkom", "level": "h2", "anchor": ""}),
                            ("paragraph", {"text": rich_text("<p>Fijn dat u er bent.</p>")}),
                            ("quote", {"quote": "Gezellig!", "attribution": "Els"}),
                        ]
                    ),
                }
            ),
        )

    def test_create_stadsdorp_in_admin(self):
        self.assertCanCreate(
            self.directory,
            StadsdorpPage,
            nested_form_data(
                {
                    "title": "Stadsdorp Test",
                    "slug": "stadsdorp-test",
                    "short_description": "Buren helpen buren.",
                    "area": "Oost",
                    "area_description": rich_text(""),
                    "binnenbuurten_count": 3,
                }
            ),
        )

    def test_call_to_action_needs_a_page_or_url(self):
        from django.core.exceptions import ValidationError

        from home.blocks import CallToActionBlock

        block = CallToActionBlock()
        value = block.to_python({"title": "Doe mee", "link_text": "Ja", "page": None, "url": ""})
        with self.assertRaises(ValidationError):
            block.clean(value)


class StadsdorpAdminFormTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        from home.models import Theme

        dutch, _ = Locale.objects.get_or_create(language_code="nl")
        english, _ = Locale.objects.get_or_create(language_code="en")
        root = Page.get_first_root_node()
        home = root.add_child(instance=HomePage(title="Netwerk", slug="netwerk-admin"))
        cls.directory = home.add_child(
            instance=StadsdorpIndexPage(title="Stadsdorpen", slug="stadsdorpen")
        )
        cultuur = Theme.objects.create(name="Cultuur", slug="cultuur", locale=dutch)
        Theme.objects.create(
            name="Culture", slug="culture", locale=english, translation_key=cultuur.translation_key
        )

    def test_theme_choices_are_in_the_pages_language(self):
        from django.urls import reverse

        # The administrator's session after both steps (two-factor authentication).
        login_with_second_factor(self.client, self.create_test_user())
        url = reverse("wagtailadmin_pages:add", args=("home", "stadsdorppage", self.directory.pk))
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Cultuur")
        self.assertNotContains(response, "Culture")
