"""Demo content for the agenda (idempotent: a second run updates, never duplicates).

The events are written in Dutch only. The English agenda page (a translation of the Dutch one)
lists them anyway: ``events.listings`` falls back to the Dutch original of an event that has no
English translation, which is how most stadsdorpen work in practice (one volunteer, one language),
and expats still find every activity. Categories are translated, so the English filter has names.
"""

from datetime import datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.utils import timezone

from wagtail.models import GroupPagePermission, Locale

from home.demo_loader import DemoAccount
from home.models import HomePage, StadsdorpPage

from .models import (
    EventCategory,
    EventException,
    EventIndexPage,
    EventPage,
    Location,
    Registration,
)
from .recurrence import LOCAL_TZ

CATEGORIES = [
    ("koffieochtend", "Koffieochtend", "Coffee morning"),
    ("borrel", "Borrel", "Drinks"),
    ("lezing", "Lezing", "Lecture"),
    ("excursie", "Excursie", "Excursion"),
    ("cursus", "Cursus", "Course"),
    ("netwerkbijeenkomst", "Netwerkbijeenkomst", "Network meeting"),
    ("buurtfeest", "Buurtfeest", "Neighbourhood party"),
]

LOCATIONS = [
    {
        "name": "Buurthuis De Ringdijk",
        "address": "Ringdijkstraat 14",
        "postcode": "1097 AB",
        "city": "Amsterdam",
        "route_description": "Tram 19 tot de halte Ringdijk, dan twee minuten lopen. Fietsenrek "
        "bij de ingang; parkeren kan in de straat (betaald).",
        "accessibility_notes": "Alles gelijkvloers, brede deuren en een invalidentoilet. Er is een "
        "ringleiding in de grote zaal.",
        "wheelchair_accessible": Location.WHEELCHAIR_YES,
        "latitude": "52.352900",
        "longitude": "4.933100",
    },
    {
        "name": "Wijkbibliotheek Oost",
        "address": "Linnaeusstraat 220",
        "postcode": "1092 CR",
        "city": "Amsterdam",
        "route_description": "Bus 22 of tram 3, halte Muiderpoortstation. De ingang is aan de "
        "pleinkant.",
        "accessibility_notes": "Leeszaal op de eerste verdieping, bereikbaar met een lift. "
        "Invalidentoilet op de begane grond.",
        "wheelchair_accessible": Location.WHEELCHAIR_YES,
    },
    {
        "name": "Café De Dorpspomp",
        "address": "Middenweg 61",
        "postcode": "1098 AD",
        "city": "Amsterdam",
        "route_description": "Tram 19, halte Hogeweg. Het café zit op de hoek.",
        "accessibility_notes": "Eén hoge drempel bij de ingang en de toiletten zijn in de kelder "
        "(trap). Helaas niet geschikt voor een rolstoel.",
        "wheelchair_accessible": Location.WHEELCHAIR_NO,
    },
    {
        "name": "Verzamelpunt Amstelstation",
        "address": "Julianaplein 1",
        "postcode": "1097 DN",
        "city": "Amsterdam",
        "route_description": "We verzamelen in de stationshal bij de kaartautomaten en reizen "
        "samen met het openbaar vervoer verder.",
        "accessibility_notes": "Het station heeft liften. In het museum zijn rolstoelen te leen; "
        "geef het door bij de aanmelding.",
        "wheelchair_accessible": Location.WHEELCHAIR_UNKNOWN,
    },
]


def p(*paragraphs):
    return "".join(f"<p>{text}</p>" for text in paragraphs)


def local_dt(day, hour, minute=0):
    return datetime.combine(day, time(hour, minute)).replace(tzinfo=LOCAL_TZ)


def next_weekday(from_day, weekday):
    """The first date on or after ``from_day`` with this weekday (0 = Monday)."""
    return from_day + timedelta(days=(weekday - from_day.weekday()) % 7)


def first_weekday_of_month(year, month, weekday):
    return next_weekday(datetime(year, month, 1).date(), weekday)


def load_categories(dutch, english):
    categories = {}
    for slug, name_nl, name_en in CATEGORIES:
        category, _created = EventCategory.objects.get_or_create(
            locale=dutch, slug=slug, defaults={"name": name_nl}
        )
        categories[slug] = category
        if english is not None:
            translation = category.get_translation_or_none(english)
            if translation is None:
                translation = category.copy_for_translation(english)
            translation.slug = slug
            translation.name = name_en
            translation.save()
    return categories


def load_locations():
    locations = []
    for data in LOCATIONS:
        location, _created = Location.objects.update_or_create(name=data["name"], defaults=data)
        locations.append(location)
    return locations


def upsert_event(agenda, slug, exceptions=(), **fields):
    existing = EventPage.objects.child_of(agenda).filter(slug=slug).first()
    page = existing or EventPage(slug=slug, locale=agenda.locale)
    for name, value in fields.items():
        setattr(page, name, value)
    page.exceptions = [EventException(**data) for data in exceptions]
    if existing is None:
        agenda.add_child(instance=page)
    page.save_revision().publish()
    return EventPage.objects.get(pk=page.pk)


def load(context):
    home = context.home_page or _find_home()
    if home is None:
        context.log("events: no Dutch home page, skipping the agenda demo.")
        return
    dutch = home.locale
    english = Locale.objects.filter(language_code="en").first()
    categories = load_categories(dutch, english)
    buurthuis, bibliotheek, cafe, station = load_locations()

    agenda = EventIndexPage.objects.child_of(home).first()
    if agenda is None:
        agenda = EventIndexPage(title="Agenda", slug="agenda", locale=dutch)
        home.add_child(instance=agenda)
    agenda.title = "Agenda"
    agenda.introduction = p(
        "Koffie drinken, een lezing bijwonen of samen een museum in: hier staat wat er in de "
        "stadsdorpen te doen is. De meeste activiteiten zijn gratis en iedereen is welkom."
    )
    agenda.listing_summary = (
        "Alle activiteiten van de stadsdorpen: koffieochtenden, lezingen, uitjes."
    )
    agenda.save_revision().publish()

    if english is not None and home.get_translation_or_none(english) is not None:
        agenda_en = agenda.get_translation_or_none(english)
        if agenda_en is None:
            agenda_en = agenda.copy_for_translation(english, copy_parents=False)
        agenda_en = agenda_en.specific
        agenda_en.title = "Events"
        agenda_en.slug = "events"
        agenda_en.introduction = p(
            "Coffee, a talk or a museum trip with the neighbours: this is what is on in the "
            "stadsdorpen. Most activities are free and everyone is welcome. Activities without an "
            "English description are shown in Dutch."
        )
        agenda_en.listing_summary = "All activities of the stadsdorpen."
        agenda_en.save_revision().publish()

    stadsdorp = _first_stadsdorp(dutch)
    today = timezone.localdate()

    # A coffee morning every two weeks on Tuesday, one date cancelled and one moved.
    coffee_start = next_weekday(today + timedelta(days=1), 1)
    coffee_dates = [coffee_start + timedelta(weeks=2 * n) for n in range(8)]
    upsert_event(
        agenda,
        "koffieochtend",
        title="Koffieochtend in het buurthuis",
        start=local_dt(coffee_start, 10),
        end=local_dt(coffee_start, 12),
        location=buurthuis,
        category=categories["koffieochtend"],
        stadsdorp=stadsdorp,
        organiser_name="Werkgroep Ontmoeting",
        contact_name="Els de Wit",
        contact_email="ontmoeting@example.org",
        contact_phone="020 123 45 67",
        description=p(
            "Elke twee weken staat de koffie klaar in het buurthuis. U hoeft niets voor te "
            "bereiden: schuif aan, maak kennis met buren en hoor wat er speelt in de wijk.",
            "Nieuw in de buurt? Dit is de makkelijkste manier om mensen te leren kennen.",
        ),
        frequency="biweekly",
        repeat_count=26,
        repeat_until=None,
        price=None,
        price_note="koffie en thee zijn gratis",
        exceptions=[
            {"date": coffee_dates[2], "kind": "cancelled", "note": "Het buurthuis is gesloten."},
            {
                "date": coffee_dates[4],
                "kind": "moved",
                "new_start": local_dt(coffee_dates[4] + timedelta(days=1), 10),
                "new_end": local_dt(coffee_dates[4] + timedelta(days=1), 12),
                "note": "Een dag later, wegens een verkiezing in het buurthuis.",
            },
        ],
    )

    # Drinks on the first Friday of every month.
    month = today.replace(day=1)
    first_friday = first_weekday_of_month(month.year, month.month, 4)
    if first_friday < today:
        following = (month + timedelta(days=32)).replace(day=1)
        first_friday = first_weekday_of_month(following.year, following.month, 4)
    upsert_event(
        agenda,
        "vrijdagmiddagborrel",
        title="Vrijdagmiddagborrel",
        start=local_dt(first_friday, 17),
        end=local_dt(first_friday, 19),
        location=cafe,
        category=categories["borrel"],
        stadsdorp=stadsdorp,
        organiser_name="Werkgroep Ontmoeting",
        contact_email="ontmoeting@example.org",
        description=p(
            "Op de eerste vrijdag van de maand drinken we samen iets in het café op de hoek. "
            "Iedereen betaalt zijn eigen drankje; de bitterballen zijn van het stadsdorp."
        ),
        frequency="monthly_nth",
        week_of_month=1,
        repeat_until=first_friday + timedelta(days=365),
        repeat_count=None,
        price=None,
        price_note="eigen consumpties",
    )

    # Six lectures a year, every two months on a Thursday evening.
    lectures = [
        ("lezing-levenstestament", "Lezing: wilsverklaring en levenstestament"),
        ("lezing-buurtgeschiedenis", "Lezing: honderd jaar buurtgeschiedenis"),
        ("lezing-valpreventie", "Lezing: zeker op de been, vallen voorkomen"),
        ("lezing-dementie", "Lezing: dementie in de buurt, wat kunt u doen?"),
        ("lezing-energie", "Lezing: energie besparen in een oud huis"),
        ("lezing-wonen-zorg", "Lezing: prettig oud worden in uw eigen huis"),
    ]
    first_thursday = next_weekday(today + timedelta(days=10), 3)
    for number, (slug, title) in enumerate(lectures):
        day = first_thursday + timedelta(weeks=9 * number)
        upsert_event(
            agenda,
            slug,
            title=title,
            start=local_dt(day, 19, 30),
            end=local_dt(day, 21),
            location=bibliotheek,
            category=categories["lezing"],
            stadsdorp=stadsdorp,
            organiser_name="Werkgroep Cultuur",
            contact_email="cultuur@example.org",
            description=p(
                "Een deskundige vertelt in gewone taal over het onderwerp; daarna is er ruim tijd "
                "voor vragen en een kop koffie.",
            ),
            price="3.00",
            price_note="leden gratis",
            signup_enabled=True,
            capacity=60,
            max_per_signup=2,
            waitlist_enabled=False,
        )

    # The museum excursion: 12 places, a waiting list, partly full.
    excursion_day = next_weekday(today + timedelta(days=18), 2)
    excursion = upsert_event(
        agenda,
        "excursie-museum",
        title="Excursie naar het stadsmuseum",
        start=local_dt(excursion_day, 13, 30),
        end=local_dt(excursion_day, 16, 30),
        location=station,
        category=categories["excursie"],
        stadsdorp=stadsdorp,
        organiser_name="Werkgroep Cultuur",
        contact_name="Ahmed Bouzid",
        contact_email="cultuur@example.org",
        contact_phone="06 12 34 56 78",
        description=p(
            "Met een rondleider bekijken we de tentoonstelling over de geschiedenis van de stad. "
            "We reizen samen met het openbaar vervoer; wie slecht ter been is, kan met de "
            "vrijwillige chauffeursdienst mee.",
            "Er zijn twaalf plaatsen. Is het vol, dan komt u op de wachtlijst.",
        ),
        price="12.50",
        price_note="inclusief entree en rondleiding, museumkaart geldig",
        signup_enabled=True,
        capacity=12,
        max_per_signup=2,
        waitlist_enabled=True,
        signup_deadline=local_dt(excursion_day - timedelta(days=2), 18),
    )
    if not Registration.objects.filter(event=excursion).exists():
        people = [
            ("Marijke Jansen", 2, "website"),
            ("Henk Visser", 1, "phone"),
            ("Fatima El Amrani", 2, "website"),
            ("Joop en Ria de Boer", 2, "paper"),
            ("Sanne Bakker", 1, "website"),
            ("Pieter Smit", 2, "website"),
        ]
        for name, count, source in people:
            Registration.objects.create(
                event=excursion,
                occurrence_date=excursion_day,
                name=name,
                email="" if source != "website" else f"{name.split()[0].lower()}@example.org",
                phone="020 765 43 21" if source != "website" else "",
                number_of_people=count,
                status=Registration.STATUS_CONFIRMED,
                source=source,
            )

    party_day = next_weekday(today + timedelta(days=30), 5)
    upsert_event(
        agenda,
        "winterbuurtfeest",
        title="Winterbuurtfeest",
        start=local_dt(party_day, 14),
        end=local_dt(party_day, 18),
        location=buurthuis,
        category=categories["buurtfeest"],
        stadsdorp=stadsdorp,
        organiser_name="Stadsdorp en bewonerscommissie",
        contact_email="feest@example.org",
        description=p(
            "Snert, warme chocolademelk, een draaiorgel en een tafel vol spelletjes voor "
            "kleinkinderen. Neem gerust uw buren mee, ook als ze (nog) geen lid zijn."
        ),
    )

    walk_day = next_weekday(today + timedelta(days=12), 6)
    upsert_event(
        agenda,
        "wandeling-park",
        title="Wandeling door het park",
        start=local_dt(walk_day, 11),
        end=local_dt(walk_day, 12, 30),
        location=buurthuis,
        category=categories["excursie"],
        organiser_name="Wandelgroep",
        description=p("Een rustige wandeling van anderhalf uur met een gids van het park."),
        status=EventPage.STATUS_CANCELLED,
        cancellation_reason="De gids is ziek; we plannen een nieuwe datum.",
    )

    meeting_day = next_weekday(today + timedelta(days=21), 0)
    upsert_event(
        agenda,
        "ledenvergadering",
        title="Algemene ledenvergadering",
        start=local_dt(meeting_day, 19, 30),
        end=local_dt(meeting_day, 21, 30),
        location=bibliotheek,
        category=categories["netwerkbijeenkomst"],
        stadsdorp=stadsdorp,
        organiser_name="Bestuur",
        contact_email="bestuur@example.org",
        description=p(
            "Het bestuur legt verantwoording af over het afgelopen jaar en we kiezen de plannen "
            "voor volgend jaar. De stukken krijgt u vooraf per e-mail."
        ),
        audience=EventPage.AUDIENCE_MEMBERS,
    )
    _agenda_editor(context, agenda)
    context.log(f"events: agenda with {EventPage.objects.child_of(agenda).count()} activities.")


def _agenda_editor(context, agenda):
    """An editor of the agenda only: sees its sign-ups, not those of other sections."""
    group, _created = Group.objects.get_or_create(name="Redactie agenda")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    for codename in ("add_page", "change_page", "publish_page"):
        GroupPagePermission.objects.get_or_create(
            group=group,
            page=agenda,
            permission=Permission.objects.get(
                content_type__app_label="wagtailcore", codename=codename
            ),
        )
    user, _created = get_user_model().objects.get_or_create(
        username="agenda-redactie",
        defaults={"first_name": "Els", "last_name": "de Wit", "email": "agenda@example.org"},
    )
    password = "agenda-demo-2026"
    user.set_password(password)
    user.save()
    user.groups.add(group)
    context.accounts.append(
        DemoAccount(
            "redacteur agenda",
            user.username,
            password,
            "Beheert de agenda en ziet de aanmeldingen (knop 'Aanmeldingen' bij elke activiteit)",
        )
    )


def _first_stadsdorp(locale):
    return StadsdorpPage.objects.filter(locale=locale).live().order_by("path").first()


def _find_home():
    dutch = Locale.objects.filter(language_code="nl").first()
    return HomePage.objects.filter(locale=dutch).first() if dutch else None
