"""Fixtures for the kennisbank tests: an index under the Dutch home, themes and items."""

import pytest

from wagtail.models import PageViewRestriction

from home.models import Theme
from kennisbank.factories import (
    ArtikelPageFactory,
    KennisbankIndexPageFactory,
    PublicatiePageFactory,
    StappenplanPageFactory,
    VerslagPageFactory,
)


@pytest.fixture
def themes(locales):
    dutch, _english = locales
    return {
        slug: Theme.objects.create(name=name, slug=slug, locale=dutch)
        for slug, name in (
            ("ontmoeting", "Ontmoeting"),
            ("cultuur", "Cultuur"),
            ("sociale-cohesie", "Sociale cohesie"),
        )
    }


@pytest.fixture
def kennisbank(home_page):
    return KennisbankIndexPageFactory(parent=home_page)


@pytest.fixture
def items(kennisbank, themes):
    """One item of each type; the guide and the report share themes and a tag."""
    guide = StappenplanPageFactory(
        parent=kennisbank,
        title="Een stadsdorp starten",
        slug="een-stadsdorp-starten",
        themes=[themes["ontmoeting"], themes["sociale-cohesie"]],
        tags=["starten", "flyer"],
    )
    report = VerslagPageFactory(
        parent=kennisbank,
        title="Netwerkbijeenkomst binnenbuurten",
        slug="verslag-binnenbuurten",
        themes=[themes["ontmoeting"], themes["sociale-cohesie"]],
        tags=["starten"],
    )
    publication = PublicatiePageFactory(
        parent=kennisbank,
        title="Stadsdorpen in beeld",
        slug="stadsdorpen-in-beeld",
        themes=[themes["ontmoeting"]],
    )
    article = ArtikelPageFactory(
        parent=kennisbank,
        title="Tien tips voor buurtprofessionals",
        slug="tien-tips",
        themes=[themes["cultuur"]],
    )
    return {"guide": guide, "report": report, "publication": publication, "article": article}


@pytest.fixture
def restrict_to_login():
    def restrict(page):
        return PageViewRestriction.objects.create(
            page=page, restriction_type=PageViewRestriction.LOGIN
        )

    return restrict
