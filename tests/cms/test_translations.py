"""One translation workflow: every catalogue is complete and compiled, and the English site speaks
English, for strings from the shared templates (``locale/``) and from an app's code."""

import gettext
import re
from pathlib import Path

import pytest

from django.apps import apps
from django.conf import settings
from django.utils import translation

PROJECT_PACKAGES = {"cms", "home", "kennisbank", "events", "members_area"}
ENTRY = re.compile(r'^msgid (".*?")\n(?:msgid_plural .*\n)?(msgstr.*?)(?=\n\n|\Z)', re.S | re.M)


def catalogues():
    """Our .po files: LOCALE_PATHS and the locale folder of every app of the project."""
    folders = [Path(path) for path in settings.LOCALE_PATHS]
    for config in apps.get_app_configs():
        if config.name.split(".")[0] in PROJECT_PACKAGES:
            folders.append(Path(config.path) / "locale")
    return sorted(
        folder / "en" / "LC_MESSAGES" / "django.po"
        for folder in folders
        if (folder / "en" / "LC_MESSAGES" / "django.po").exists()
    )


def test_the_shared_catalogue_and_every_apps_are_found():
    folders = {str(path.relative_to(settings.BASE_DIR).parents[2]) for path in catalogues()}
    assert folders == {
        "locale",
        "cms/accounts/locale",
        "home/locale",
        "kennisbank/locale",
        "kennisbank/search/locale",
        "events/locale",
        "members_area/locale",
        "members_area/subscriptions/locale",
        "members_area/burenhulp/locale",
        "members_area/membership/locale",
    }


@pytest.mark.parametrize("po", catalogues(), ids=lambda path: str(path.parents[2]))
def test_the_catalogue_is_translated_and_compiled(po):
    text = po.read_text()
    # Any entry flagged fuzzy, also one with its earlier msgid ("#| msgid") kept below the flag.
    fuzzy = re.findall(r"^#,[^\n]*\bfuzzy\b", text.split("\n\n", 1)[1], re.M)
    assert not fuzzy, f"{po}: {len(fuzzy)} fuzzy entries"
    entries = [(msgid, msgstr) for msgid, msgstr in ENTRY.findall(text) if msgid != '""']
    untranslated = [msgid for msgid, msgstr in entries if re.fullmatch(r'msgstr ""', msgstr)]
    assert not untranslated, f"{po}: {untranslated[:5]}"
    with po.with_suffix(".mo").open("rb") as compiled:
        catalogue = gettext.GNUTranslations(compiled)._catalog
    # Plural entries count once per form in the .mo; the .mo is out of date when it has fewer.
    assert len([key for key in catalogue if key]) >= len(entries), f"{po}: run make messages"


@pytest.mark.parametrize(
    "dutch, english",
    [
        ("Direct naar de inhoud", "Skip to content"),  # templates/base.html, locale/
        ("Stemmen kan alleen vanaf de pagina zelf.", "You can only vote from the page itself."),
    ],
)
def test_english_is_english(dutch, english):
    with translation.override("en"):
        assert translation.gettext(dutch) == english
    with translation.override("nl"):
        assert translation.gettext(dutch) == dutch


def test_a_dutch_string_has_one_english_translation_in_all_catalogues():
    """Django merges every catalogue into one, so a string translated two ways in two catalogues
    shows one of them everywhere; where the meanings differ the string needs a context."""
    english, clashes = {}, []
    for po in catalogues():
        with po.with_suffix(".mo").open("rb") as compiled:
            catalogue = gettext.GNUTranslations(compiled)._catalog
        for key, value in catalogue.items():
            if key:
                first, where = english.setdefault(key, (value, po))
                if first != value:
                    clashes.append(f"{key!r}: {first!r} ({where.parents[2]}), {value!r} ({po})")
    assert not clashes, "\n".join(clashes)


@pytest.mark.parametrize(
    "context, dutch, english",
    [
        (None, "Aanmelden", "Sign up"),
        ("newsletter", "Aanmelden", "Subscribe"),
        (None, "aanmelding", "sign-up"),
        ("membership application", "aanmelding", "application"),
        (None, "Afgemeld", "Cancelled"),
        ("newsletter", "Afgemeld", "Unsubscribed"),
        (None, "Plaatsen", "Places"),
        ("post a message", "Plaatsen", "Post"),
    ],
)
def test_one_dutch_word_with_two_meanings_gets_both_in_english(context, dutch, english):
    with translation.override("en"):
        if context is None:
            assert translation.gettext(dutch) == english
        else:
            assert translation.pgettext(context, dutch) == english
