"""The English agenda: untranslated Dutch activities name their kind in English, say they are in
Dutch, and appear in the English category feed as they do in the filtered list."""

import icalendar
import pytest

from events.factories import EventCategoryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def english_agenda(agenda, locales):
    _dutch, english = locales
    agenda.get_parent().copy_for_translation(english).save_revision().publish()
    translated = agenda.copy_for_translation(english)
    translated.title = "Events"
    translated.save_revision().publish()
    return translated


@pytest.fixture
def borrel(locales):
    dutch, english = locales
    dutch_category = EventCategoryFactory(name="Borrel", slug="borrel", locale=dutch)
    EventCategoryFactory(
        name="Drinks", slug="borrel", locale=english, translation_key=dutch_category.translation_key
    )
    return dutch_category


def test_untranslated_event_in_the_english_list_says_drinks_and_in_dutch(
    client, make_event, english_agenda, borrel
):
    make_event(title="Nieuwjaarsborrel", category=borrel)
    content = client.get(english_agenda.url).content.decode()
    assert "Nieuwjaarsborrel" in content
    assert '<span class="event-item__category">Drinks</span>' in content
    assert "(in Dutch)" in content
    assert 'lang="nl" hreflang="nl">Nieuwjaarsborrel</a>' in content


def test_english_category_feed_holds_what_the_filtered_list_shows(
    client, make_event, english_agenda, borrel
):
    make_event(title="Nieuwjaarsborrel", category=borrel)
    make_event(title="Lezing over buren")
    listed = client.get(f"{english_agenda.url}?categorie=borrel").content.decode()
    assert "Nieuwjaarsborrel" in listed and "Lezing over buren" not in listed
    feed = icalendar.Calendar.from_ical(client.get(f"{english_agenda.url}ical/borrel/").content)
    assert [str(event["SUMMARY"]) for event in feed.walk("VEVENT")] == ["Nieuwjaarsborrel"]
