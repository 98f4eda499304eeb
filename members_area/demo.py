"""Demo content for the member area: "Mijn stadsdorp", two binnenbuurten, members and news.

Idempotent: everything is looked up by a stable key (slug, name, e-mail address) before it is
created, so running ``load_demo`` twice changes nothing.
"""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone

from wagtail.documents import get_document_model
from wagtail.models import Locale

from events.models import EventPage
from home.demo_loader import DemoAccount
from home.models import StadsdorpIndexPage, StadsdorpPage

from .models import Binnenbuurt, BinnenbuurtNewsPage, Member, MembersAreaPage
from .services import ensure_login_restriction

PASSWORD = "Buurt-2026-lid"

BINNENBUURTEN = [
    {
        "name": "Zonnehof",
        "description": (
            "Zo'n dertig buren rond het hofje en de twee straten erachter. We drinken een paar "
            "keer per jaar koffie bij iemand thuis en letten een beetje op elkaar."
        ),
        "meeting_place": "Bij een van de buren thuis, op toerbeurt",
    },
    {
        "name": "Lindengracht",
        "description": (
            "Buren aan de gracht en de zijstraatjes. Wie hulp nodig heeft met boodschappen "
            "of een ritje naar het ziekenhuis, kan het hier vragen."
        ),
        "meeting_place": "In de huiskamer van Dirk, Lindengracht 40",
    },
]

# (key, first name, last name, e-mail, binnenbuurt, phone, consent, role note)
PEOPLE = [
    ("member_a", "Anna", "de Boer", "anna@leden.example", "Zonnehof", "020 555 01 01", True),
    ("contact_a", "Carla", "Visser", "carla@leden.example", "Zonnehof", "06 5555 0202", True),
    ("member_b", "Bert", "Jansen", "bert@leden.example", "Lindengracht", "020 555 03 03", True),
    ("contact_b", "Dirk", "Smit", "dirk@leden.example", "Lindengracht", "06 5555 0404", False),
    ("member_a2", "Fatima", "El Amrani", "fatima@leden.example", "Zonnehof", "", False),
]

NEWS = {
    "Zonnehof": [
        (
            "koffie-in-maart",
            "Koffie bij Anna was een succes",
            "Met veertien buren aan tafel en twee nieuwe gezichten uit de nieuwbouw. Volgende "
            "keer schuiven we aan bij Carla.",
        ),
        (
            "boodschappenlijst",
            "Wie doet er boodschappen voor wie?",
            "Op de lijst bij de deur van Carla kunt u zetten wanneer u naar de markt gaat. "
            "Dan kan een buur een boodschap meegeven.",
        ),
    ],
    "Lindengracht": [
        (
            "nieuwe-buren",
            "Welkom aan de nieuwe buren op nummer 12",
            "Sinds deze maand wonen Sanne en Joost op nummer 12. Ze komen graag kennismaken "
            "op de borrel.",
        ),
    ],
}

GENERAL_NEWS = [
    (
        "ledenvergadering",
        "Ledenvergadering in het buurthuis",
        "Alle leden zijn welkom op de jaarlijkse ledenvergadering. We bespreken de plannen "
        "voor volgend jaar en kiezen twee nieuwe bestuursleden.",
    ),
]


def load(ctx):
    home = ctx.home_page
    if home is None:
        ctx.log("members_area: geen homepage, overgeslagen")
        return
    members_area = _members_area(home, ctx.home_page_en)
    stadsdorp = _stadsdorp(home)
    users = {key: _user(first, last, email) for key, first, last, email, *_rest in PEOPLE}

    binnenbuurten = {}
    for spec in BINNENBUURTEN:
        binnenbuurt = Binnenbuurt.objects.filter(name=spec["name"]).first()
        if binnenbuurt is None:
            binnenbuurt = Binnenbuurt(name=spec["name"])
        binnenbuurt.stadsdorp = stadsdorp
        binnenbuurt.description = spec["description"]
        binnenbuurt.meeting_place = spec["meeting_place"]
        binnenbuurt.coordinator = users["contact_a" if spec["name"] == "Zonnehof" else "contact_b"]
        binnenbuurt.save()  # sets up groups, section, collection and permissions
        binnenbuurten[spec["name"]] = binnenbuurt

    for key, _first, _last, _email, binnenbuurt_name, phone, consent in PEOPLE:
        member, _created = Member.objects.get_or_create(user=users[key])
        member.binnenbuurt = binnenbuurten[binnenbuurt_name]
        member.phone = phone
        member.listed_consent = consent
        member.save()

    for name, binnenbuurt in binnenbuurten.items():
        binnenbuurt.refresh_from_db()
        section = binnenbuurt.pages.order_by("path").first()
        poster = binnenbuurt.coordinator
        for slug, title, text in NEWS.get(name, []):
            _news(section, slug, title, text, poster)
        _document(binnenbuurt)
        _event(section, binnenbuurt)
    for slug, title, text in GENERAL_NEWS:
        _news(members_area, slug, title, text, None)

    ctx.accounts.extend(
        [
            DemoAccount("lid binnenbuurt Zonnehof (A)", "anna@leden.example", PASSWORD),
            DemoAccount("lid binnenbuurt Lindengracht (B)", "bert@leden.example", PASSWORD),
            DemoAccount(
                "contactpersoon Zonnehof (A)",
                "carla@leden.example",
                PASSWORD,
                "Kan nieuws plaatsen vanaf de binnenbuurtpagina",
            ),
        ]
    )
    ctx.log(f"members_area: {members_area.url} met {len(binnenbuurten)} binnenbuurten")


def _members_area(home, home_en):
    page = MembersAreaPage.objects.child_of(home).first()
    if page is None:
        page = home.add_child(
            instance=MembersAreaPage(
                title="Mijn stadsdorp",
                slug="mijn-stadsdorp",
                introduction=(
                    "<p>Welkom! Hier ziet u het nieuws en de activiteiten van uw eigen "
                    "binnenbuurt en van het stadsdorp.</p>"
                ),
                live=False,
            )
        )
    ensure_login_restriction(page)
    if not page.live:
        page.save_revision().publish()
    english = Locale.objects.filter(language_code="en").first()
    if english is not None and home_en is not None:
        translation = page.get_translation_or_none(english)
        if translation is not None and translation.alias_of_id:
            translation.delete()  # an alias from locale synchronisation: make a real one
            translation = None
        if translation is None:
            translation = page.copy_for_translation(english, copy_parents=True).specific
            translation.title = "My stadsdorp"
            translation.slug = "my-stadsdorp"
            translation.introduction = (
                "<p>Welcome! Here you find the news and activities of your own binnenbuurt "
                "(inner neighbourhood) and of the stadsdorp.</p>"
            )
            translation.save_revision().publish()
        ensure_login_restriction(translation)
    return page


def _stadsdorp(home):
    stadsdorp = StadsdorpPage.objects.descendant_of(home).order_by("path").first()
    if stadsdorp is not None:
        return stadsdorp
    index = StadsdorpIndexPage.objects.child_of(home).first()
    if index is None:
        index = home.add_child(instance=StadsdorpIndexPage(title="Stadsdorpen", slug="stadsdorpen"))
    return index.add_child(
        instance=StadsdorpPage(
            title="Stadsdorp Oost",
            slug="stadsdorp-oost",
            short_description="Buren in Oost die elkaar helpen en ontmoeten.",
            area="Amsterdam-Oost",
        )
    )


def _user(first, last, email):
    user, created = get_user_model().objects.get_or_create(
        username=email, defaults={"email": email, "first_name": first, "last_name": last}
    )
    if created or not user.check_password(PASSWORD):
        user.set_password(PASSWORD)
        user.save()
    return user


def _news(parent, slug, title, text, poster):
    if BinnenbuurtNewsPage.objects.child_of(parent).filter(slug=slug).exists():
        return
    paragraphs = "".join(f"<p>{part}</p>" for part in text.split("\n\n"))
    news = parent.add_child(
        instance=BinnenbuurtNewsPage(
            title=title,
            slug=slug,
            body=paragraphs,
            date=timezone.localdate(),
            posted_by=poster,
            owner=poster,
        )
    )
    news.save_revision(user=poster).publish()


def _document(binnenbuurt):
    title = f"Verslag buurtoverleg {binnenbuurt.name}"
    documents = get_document_model().objects
    if documents.filter(title=title, collection=binnenbuurt.collection).exists():
        return
    text = (
        f"Verslag van het overleg van binnenbuurt {binnenbuurt.name}.\n\n"
        "Aanwezig: negen buren. Afgesproken: de koffieochtend blijft op de eerste dinsdag, "
        "en iedereen zet zijn telefoonnummer op de lijst als hij dat wil.\n"
    )
    documents.create(
        title=title,
        file=ContentFile(text.encode(), name=f"verslag-{binnenbuurt.name.lower()}.txt"),
        collection=binnenbuurt.collection,
    )


def _event(section, binnenbuurt):
    slug = "buurtborrel"
    if EventPage.objects.child_of(section).filter(slug=slug).exists():
        return
    start = (timezone.localtime() + timedelta(days=10)).replace(
        hour=16, minute=0, second=0, microsecond=0
    )
    event = section.add_child(
        instance=EventPage(
            title=f"Buurtborrel {binnenbuurt.name}",
            slug=slug,
            start=start,
            end=start + timedelta(hours=2),
            description=f"<p>{binnenbuurt.meeting_place}. Neem gerust iets lekkers mee.</p>",
            audience=EventPage.AUDIENCE_BINNENBUURT,
            audience_group=binnenbuurt.members_group,
            owner=binnenbuurt.coordinator,
        )
    )
    event.save_revision().publish()
