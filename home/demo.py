"""Demo content of the public pages: locales, themes, home page, content pages, stadsdorpen,
the contact form, menus, site settings and the editor accounts. Idempotent: a second run finds
what exists and only adds what is missing (it never overwrites editors' changes).

All text is written for this demo; facts and figures come from the network's own research.
"""

import io

from PIL import Image as PILImage
from PIL import ImageDraw

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile

from wagtail.documents import get_document_model
from wagtail.embeds.embeds import get_embed_hash
from wagtail.embeds.models import Embed
from wagtail.images import get_image_model
from wagtail.models import Collection, Locale, Page, Site
from wagtail_localize.models import LocaleSynchronization

from home.demo_loader import DemoAccount
from home.models import (
    ContentPage,
    FooterLink,
    FormField,
    FormPage,
    HomePage,
    MenuItem,
    NavigationSettings,
    SiteSettings,
    StadsdorpIndexPage,
    StadsdorpPage,
    Theme,
)

PASSWORDS = {
    "admin": "Stadsdorp-beheer-2026",
    "redacteur": "Stadsdorp-redactie-2026",
    "moderator": "Stadsdorp-moderatie-2026",
}

# (Dutch name, slug, English name, English slug, Dutch description)
THEMES = [
    ("Ontmoeting", "ontmoeting", "Meeting", "meeting", "Koffieochtenden, borrels, buurtfeesten."),
    ("Cultuur", "cultuur", "Culture", "culture", "Lezingen, leesclubs, filmclubs, koren."),
    ("Wonen en zorg", "wonen-en-zorg", "Housing and care", "housing-and-care", ""),
    ("Veiligheid", "veiligheid", "Safety", "safety", ""),
    ("Mobiliteit", "mobiliteit", "Mobility", "mobility", "Vrijwillig vervoer."),
    ("Duurzaamheid", "duurzaamheid", "Sustainability", "sustainability", "Repaircafés, energie."),
    ("Openbare ruimte", "openbare-ruimte", "Public space", "public-space", "Opruimploegen."),
    ("Groen", "groen", "Green spaces", "green-spaces", ""),
    ("Onderwijs", "onderwijs", "Education", "education", ""),
    ("Gezondheid", "gezondheid", "Health", "health", "Wandelgroepen, valpreventie, tai chi."),
    ("Sociale cohesie", "sociale-cohesie", "Social cohesion", "social-cohesion", ""),
    ("Sport en bewegen", "sport-en-bewegen", "Sports and exercise", "sports-and-exercise", ""),
    ("Inkomen en geld", "inkomen-en-geld", "Income and money", "income-and-money", ""),
    (
        "Themabijeenkomsten",
        "themabijeenkomsten",
        "Theme meetings",
        "theme-meetings",
        "Over dementie, wilsverklaringen of de geschiedenis van de buurt.",
    ),
]

STADSDORPEN = [
    {
        "title": "Stadsdorp Rivierenbuurt-Noord",
        "slug": "rivierenbuurt-noord",
        "area": "Rivierenbuurt, tussen de Amstel en het Amstelkanaal",
        "short_description": (
            "Ruim vierhonderd buren die elkaar helpen met kleine dingen en elke twee weken "
            "samen koffie drinken in de bibliotheek."
        ),
        "binnenbuurten_count": 12,
        "themes": ["ontmoeting", "cultuur", "gezondheid", "themabijeenkomsten"],
        "contact_name": "Marijke de Boer",
        "contact_phone": "020 555 01 12",
        "address": "Buurthuis De Pijp-Zuid, Maasstraat (voorbeeldadres)",
        "latitude": "52.346000",
        "longitude": "4.903000",
        "area_description": (
            "<p>Een buurt met veel portiekwoningen uit de jaren dertig en veel oudere bewoners "
            "die er al tientallen jaren wonen. Twaalf binnenbuurten, waarvan er tien actief "
            "zijn, houden een oogje in het zeil.</p>"
        ),
    },
    {
        "title": "Stadsdorp Spaarndammerhout",
        "slug": "spaarndammerhout",
        "area": "Spaarndammerbuurt en Houthavens",
        "short_description": (
            "Acht binnenbuurten met samen zeventig betalende leden (vijf euro per maand) en een "
            "repaircafé op de eerste zaterdag van de maand."
        ),
        "binnenbuurten_count": 8,
        "themes": ["ontmoeting", "duurzaamheid", "openbare-ruimte", "groen"],
        "contact_name": "Ahmed el Amrani",
        "contact_phone": "020 555 02 23",
        "address": "Het Wilde Hout, Zaanstraat (voorbeeldadres)",
        "latitude": "52.390000",
        "longitude": "4.877000",
        "area_description": (
            "<p>Oude arbeiderswoningen en nieuwbouw aan het water. Jonge gezinnen en "
            "bewoners die hier al hun hele leven wonen ontmoeten elkaar bij de opruimploeg.</p>"
        ),
    },
    {
        "title": "Stadsdorp Oostelijke Eilanden",
        "slug": "oostelijke-eilanden",
        "area": "Kattenburg, Wittenburg en Oostenburg",
        "short_description": (
            "Een stadsdorp met vrijwillige chauffeurs die buren naar het ziekenhuis brengen, "
            "en een wandelgroep die elke dinsdag vertrekt."
        ),
        "binnenbuurten_count": 5,
        "themes": ["mobiliteit", "gezondheid", "sport-en-bewegen", "sociale-cohesie"],
        "contact_name": "Joke Verhoeven",
        "contact_phone": "020 555 03 34",
        "address": "Buurtkamer Wittenburg (voorbeeldadres)",
        "latitude": "52.373000",
        "longitude": "4.920000",
        "area_description": "<p>Drie eilanden met veel sociale huurwoningen en nieuwbouw.</p>",
    },
    {
        "title": "Stadsdorp Bos en Lommer-Midden",
        "slug": "bos-en-lommer-midden",
        "area": "Bos en Lommer, rond het Bos en Lommerplein",
        "short_description": (
            "Jong en oud door elkaar: taalmaatjes, een buurtmaaltijd en hulp bij formulieren "
            "en geldzaken."
        ),
        "binnenbuurten_count": 4,
        "themes": ["onderwijs", "inkomen-en-geld", "sociale-cohesie", "ontmoeting"],
        "contact_name": "Fatma Yilmaz",
        "contact_phone": "020 555 04 45",
        "address": "Huiskamer van de buurt, Bos en Lommerweg (voorbeeldadres)",
        "latitude": "52.379000",
        "longitude": "4.848000",
        "area_description": "<p>Een gemengde wijk met veel huurders en veel nieuwkomers.</p>",
    },
    {
        "title": "Stadsdorp Middenmeer-Betondorp",
        "slug": "middenmeer-betondorp",
        "area": "Middenmeer en Betondorp, in Watergraafsmeer",
        "short_description": (
            "Leden betalen tien euro per maand; daarvan organiseert het stadsdorp zes lezingen "
            "per jaar en uitstapjes naar theater en museum."
        ),
        "binnenbuurten_count": 9,
        "themes": ["cultuur", "themabijeenkomsten", "veiligheid", "wonen-en-zorg"],
        "contact_name": "Hans Kooiman",
        "contact_phone": "020 555 05 56",
        "address": "Het Brink-gebouw, Betondorp (voorbeeldadres)",
        "latitude": "52.353000",
        "longitude": "4.951000",
        "area_description": (
            "<p>Een tuindorp met lage huizen en veel groen. De gemiddelde leeftijd van de leden "
            "is 74 jaar; het stadsdorp zoekt nadrukkelijk jongere buren.</p>"
        ),
    },
    {
        "title": "Stadsdorp Westelijke Tuinsteden",
        "slug": "westelijke-tuinsteden",
        "area": "Geuzenveld en Slotermeer",
        "short_description": (
            "Net begonnen: drie binnenbuurten, een koffieochtend om de week en een groeiende "
            "groep meedenkers."
        ),
        "binnenbuurten_count": 3,
        "themes": ["ontmoeting", "groen", "wonen-en-zorg"],
        "contact_name": "Ria Zwart",
        "contact_phone": "020 555 06 67",
        "address": "",
        "latitude": None,
        "longitude": None,
        "area_description": "",
    },
]


def load(ctx):
    nl, en = ensure_locales()
    themes = ensure_themes(nl, en)
    ctx.log(f"home: {len(themes)} thema's (nl en en)")
    images = ensure_images()
    document = ensure_document()
    embed_url = ensure_embed()

    home = ensure_home_page(nl)
    ensure_content_pages(home, images, document, embed_url)
    directory = ensure_directory(home, themes, images)
    contact = ensure_contact_form(home)
    home = HomePage.objects.get(pk=home.pk)
    if home.cta_page_id is None:
        home.cta_page = ContentPage.objects.child_of(home).get(slug="lid-worden")
        home.save_revision().publish()

    home_en = ensure_english(home, en)
    ensure_site_settings()
    ensure_navigation(home, directory, contact)
    ensure_locale_synchronization(nl, en)
    accounts = ensure_accounts()

    ctx.home_page = HomePage.objects.get(pk=home.pk)
    ctx.home_page_en = HomePage.objects.get(pk=home_en.pk)
    ctx.accounts.extend(accounts)
    ctx.log("home: homepage, inhoudspagina's, stadsdorpen, contactformulier en menu klaar")


# --- locales and themes ---------------------------------------------------------------------


def ensure_locales():
    nl, _ = Locale.objects.get_or_create(language_code="nl")
    en, _ = Locale.objects.get_or_create(language_code="en")
    return nl, en


def ensure_locale_synchronization(nl, en):
    """New Dutch pages made by editors get an English alias until someone translates them."""
    if not LocaleSynchronization.objects.filter(locale=en).exists():
        LocaleSynchronization.objects.create(locale=en, sync_from=nl)


def ensure_themes(nl, en):
    themes = {}
    for name, slug, name_en, slug_en, description in THEMES:
        theme = Theme.objects.filter(locale=nl, slug=slug).first()
        if theme is None:
            theme = Theme.objects.create(locale=nl, slug=slug, name=name, description=description)
        if not Theme.objects.filter(locale=en, translation_key=theme.translation_key).exists():
            Theme.objects.create(
                locale=en, translation_key=theme.translation_key, slug=slug_en, name=name_en
            )
        themes[slug] = theme
    return themes


# --- media ----------------------------------------------------------------------------------


def _drawn_image(colours, label):
    """A calm illustration drawn with Pillow: houses around a green square."""
    sky, ground, roof = colours
    picture = PILImage.new("RGB", (1200, 800), sky)
    draw = ImageDraw.Draw(picture)
    draw.rectangle([0, 520, 1200, 800], fill=ground)
    for index, x in enumerate(range(60, 1140, 180)):
        height = 220 + (index % 3) * 40
        draw.rectangle([x, 520 - height, x + 140, 520], fill="#f2e8d5", outline="#333333")
        draw.polygon(
            [(x - 10, 520 - height), (x + 70, 440 - height), (x + 150, 520 - height)], fill=roof
        )
        for wx in (x + 20, x + 85):
            draw.rectangle([wx, 560 - height, wx + 35, 600 - height], fill="#ffd966")
    draw.ellipse([480, 600, 720, 760], fill="#3f7d3a")
    draw.text((40, 40), label, fill="#1a1a1a")
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG")
    return buffer.getvalue()


def ensure_images():
    Image = get_image_model()
    specs = [
        ("Demo: buurt met huizen en een plein", ("#cfe2f3", "#93c47d", "#a64d3c"), "buurt.png"),
        ("Demo: koffieochtend in de buurtkamer", ("#fce5cd", "#b6a58a", "#6b4f3a"), "koffie.png"),
    ]
    images = []
    collection = Collection.get_first_root_node()
    for title, colours, filename in specs:
        image = Image.objects.filter(title=title).first()
        if image is None:
            content = _drawn_image(colours, title.removeprefix("Demo: "))
            image = Image(title=title, collection=collection)
            image.file = ImageFile(io.BytesIO(content), name=filename)
            image.save()
        images.append(image)
    return images


def ensure_document():
    Document = get_document_model()
    title = "Checklist voor een eerste buurtbijeenkomst"
    document = Document.objects.filter(title=title).first()
    if document is None:
        text = (
            "Checklist voor een eerste buurtbijeenkomst\n\n"
            "- Zoek twee of drie buren die willen meehelpen.\n"
            "- Spreek een datum en een gratis plek af (buurthuis, cafe, school).\n"
            "- Maak een flyer met een manier om je aan te melden zonder internet.\n"
            "- Neem papier, pennen en naamstickers mee.\n"
            "- Vraag aan het eind: wie wil er meedenken?\n"
        )
        document = Document(title=title, collection=Collection.get_first_root_node())
        document.file = ContentFile(text.encode(), name="checklist-eerste-bijeenkomst.txt")
        document.save()
    return document


def ensure_embed():
    """The demo video's embed is stored up front, so no page render needs the internet."""
    url = "https://www.youtube.com/watch?v=stadsdorpen"
    for max_width in (None,):
        Embed.objects.update_or_create(
            hash=get_embed_hash(url, max_width),
            defaults={
                "url": url,
                "max_width": max_width,
                "type": "video",
                "html": (
                    '<iframe title="Wat is een stadsdorp? (demovideo)" width="560" height="315" '
                    'src="about:blank" loading="lazy"></iframe>'
                ),
                "title": "Wat is een stadsdorp?",
                "provider_name": "YouTube",
                "width": 560,
                "height": 315,
            },
        )
    return url


# --- pages ----------------------------------------------------------------------------------


def publish(page):
    page.save_revision().publish()
    return page


def ensure_home_page(nl):
    root = Page.get_first_root_node()
    home = HomePage.objects.filter(depth=2, locale=nl).first()
    if home is None:
        home = root.add_child(
            instance=HomePage(
                title="Netwerk Stadsdorpen",
                slug="netwerk-stadsdorpen",
                locale=nl,
                introduction=(
                    "<p>In een stadsdorp zorgen buren voor elkaar en voor hun buurt. Rond "
                    "Amsterdam zijn er zo'n 36. Samen vormen ze een netwerk dat kennis, "
                    "ervaring en goede ideeën deelt.</p>"
                ),
                cta_title="Start een stadsdorp",
                cta_text=(
                    "Wilt u in uw eigen buurt beginnen? Met een paar enthousiaste buren kunt u "
                    "al een eerste bijeenkomst houden. Wij helpen u op weg."
                ),
                cta_link_text="Zo begint u",
                search_description=(
                    "Het netwerk van stadsdorpen in en rond Amsterdam: buren die elkaar helpen."
                ),
            )
        )
        publish(home)
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(
            hostname="localhost",
            port=80,
            root_page=home,
            is_default_site=True,
            site_name="Netwerk Stadsdorpen",
        )
    elif site.root_page_id != home.pk:
        site.root_page = home
        site.site_name = "Netwerk Stadsdorpen"
        site.save()
    # Wagtail's "Welcome to your new Wagtail site!" page is no longer needed.
    for welcome in Page.objects.filter(depth=2, content_type__model="page"):
        if not Site.objects.filter(root_page=welcome).exists():
            welcome.delete()
    return home


def child(parent, model, slug):
    return model.objects.child_of(parent).filter(slug=slug).first()


def rich(text):
    return {"text": text}


def ensure_content_pages(home, images, document, embed_url):
    buurt, koffie = images
    pages = [
        {
            "title": "Over het netwerk",
            "slug": "over-het-netwerk",
            "introduction": (
                "Het netwerk verbindt stadsdorpen, zodat niemand het wiel opnieuw hoeft uit te "
                "vinden."
            ),
            "body": [
                {
                    "type": "heading",
                    "value": {
                        "text": "Wat is een stadsdorp?",
                        "level": "h2",
                        "anchor": "wat-is-een-stadsdorp",
                    },
                },
                {
                    "type": "paragraph",
                    "value": rich(
                        "<p>Een stadsdorp is een vereniging van bewoners van een stadsbuurt, vaak "
                        "tussen de vijf- en vijftienduizend inwoners. Bewoners organiseren zelf "
                        "ontmoeting, activiteiten en burenhulp: een boodschap, een lift naar het "
                        "ziekenhuis of de hond uitlaten. Persoonlijke verzorging hoort daar niet "
                        "bij; dat laten we aan de zorg over.</p>"
                    ),
                },
                {
                    "type": "image",
                    "value": {
                        "image": buurt.pk,
                        "alt_text": "Getekende straat met huizen rond een groen plein",
                        "caption": "Een stadsdorp is zo groot als een buurt.",
                    },
                },
                {
                    "type": "heading",
                    "value": {"text": "Binnenbuurten", "level": "h3", "anchor": ""},
                },
                {
                    "type": "paragraph",
                    "value": rich(
                        "<p>Een binnenbuurt is een klein groepje van twintig tot vijftig buren die "
                        "dicht bij elkaar wonen en een paar keer per jaar bij iemand thuis "
                        "samenkomen. Elke binnenbuurt heeft twee contactpersonen, zodat het niet "
                        "van één persoon afhangt. Zo merken buren sneller als het met iemand niet "
                        "goed gaat.</p>"
                    ),
                },
                {
                    "type": "quote",
                    "value": {
                        "quote": "Vroeger groette ik mijn buren alleen. Nu weet ik wie er even "
                        "hulp nodig heeft.",
                        "attribution": "Lid van een binnenbuurt in Oost",
                    },
                },
                {
                    "type": "embed",
                    "value": {
                        "embed": embed_url,
                        "title": "Wat is een stadsdorp? (demovideo)",
                        "transcript": "Drie bewoners vertellen waarom ze lid werden van hun "
                        "stadsdorp en wat ze samen doen.",
                    },
                },
                {
                    "type": "document",
                    "value": {
                        "document": document.pk,
                        "title": "",
                        "description": "Handig om te printen voor een eerste bijeenkomst.",
                    },
                },
            ],
        },
        {
            "title": "Nieuw hier?",
            "slug": "nieuw-hier",
            "introduction": "Welkom! Hier leest u in een paar minuten wat een stadsdorp doet.",
            "body": [
                {
                    "type": "paragraph",
                    "value": rich(
                        "<p>Stadsdorpen organiseren koffieochtenden, borrels, lezingen, "
                        "wandelgroepen en leesclubs. Ook als u niet meteen wilt helpen, bent u van "
                        "harte welkom.</p>"
                    ),
                },
                {
                    "type": "image",
                    "value": {
                        "image": koffie.pk,
                        "alt_text": "Tekening van een buurtkamer waar mensen koffie drinken",
                        "caption": "",
                    },
                },
                {
                    "type": "faq",
                    "value": {
                        "title": "Veelgestelde vragen",
                        "items": [
                            {
                                "question": "Moet ik oud zijn om mee te doen?",
                                "answer": "<p>Nee. Veel leden zijn senior, maar jonge buren, "
                                "gezinnen, "
                                "huurders en expats zijn net zo welkom.</p>",
                            },
                            {
                                "question": "Wat kost het?",
                                "answer": "<p>Dat verschilt per stadsdorp. Sommige zijn gratis, "
                                "andere "
                                "vragen vijf of tien euro per maand.</p>",
                            },
                            {
                                "question": "Ik vind het lastig om om hulp te vragen.",
                                "answer": "<p>Dat herkennen veel mensen. Juist daarom zijn er "
                                "binnenbuurten: u leert uw buren eerst gewoon kennen.</p>",
                            },
                        ],
                    },
                },
                {
                    "type": "call_to_action",
                    "value": {
                        "title": "Zoek een stadsdorp bij u in de buurt",
                        "text": "In het overzicht ziet u welke stadsdorpen er zijn en wat ze doen.",
                        "link_text": "Bekijk de stadsdorpen",
                        "page": None,
                        "url": "",
                    },
                },
            ],
        },
        {
            "title": "Lid worden",
            "slug": "lid-worden",
            "introduction": "Lid worden gaat via het stadsdorp in uw eigen buurt.",
            "body": [
                {
                    "type": "heading",
                    "value": {"text": "Zo wordt u lid", "level": "h2", "anchor": "zo-wordt-u-lid"},
                },
                {
                    "type": "paragraph",
                    "value": rich(
                        "<ol><li>Zoek uw stadsdorp in het overzicht.</li><li>Bel of mail de "
                        "contactpersoon; een formulier op papier kan ook.</li><li>U hoort binnen "
                        "twee weken in welke binnenbuurt u terechtkomt.</li></ol>"
                    ),
                },
                {
                    "type": "call_to_action",
                    "value": {
                        "title": "Liever eerst iets vragen?",
                        "text": "Stuur ons een bericht. We antwoorden binnen een week.",
                        "link_text": "Naar het contactformulier",
                        "page": None,
                        "url": "",
                    },
                },
                {
                    "type": "faq",
                    "value": {
                        "title": "",
                        "items": [
                            {
                                "question": "Is er geen stadsdorp in mijn buurt?",
                                "answer": "<p>Begin er dan zelf een! Het netwerk helpt u met een "
                                "stappenplan en ervaringen van anderen.</p>",
                            }
                        ],
                    },
                },
                {
                    "type": "document",
                    "value": {
                        "document": document.pk,
                        "title": "Checklist eerste bijeenkomst",
                        "description": "",
                    },
                },
            ],
        },
    ]
    for spec in pages:
        if child(home, ContentPage, spec["slug"]) is None:
            body = spec["body"]
            for block in body:
                if block["type"] == "call_to_action":
                    # Filled in below once the target pages exist.
                    block["value"]["url"] = "https://stadsdorpen.example/"
            page = home.add_child(
                instance=ContentPage(
                    title=spec["title"],
                    slug=spec["slug"],
                    introduction=spec["introduction"],
                    listing_summary=spec["introduction"],
                    body=body,
                )
            )
            publish(page)


def _link_call_to_actions(home, directory, contact):
    """Points the call-to-action blocks at the directory and the contact form."""
    targets = {"nieuw-hier": directory, "lid-worden": contact}
    for slug, target in targets.items():
        page = child(home, ContentPage, slug)
        if page is None:
            continue
        raw = list(page.body.raw_data)
        changed = False
        for block in raw:
            if block["type"] == "call_to_action" and not block["value"].get("page"):
                block["value"]["page"] = target.pk
                block["value"]["url"] = ""
                changed = True
        if changed:
            page.body = raw
            publish(page)


def ensure_directory(home, themes, images):
    directory = child(home, StadsdorpIndexPage, "stadsdorpen")
    if directory is None:
        directory = home.add_child(
            instance=StadsdorpIndexPage(
                title="Stadsdorpen",
                slug="stadsdorpen",
                introduction=(
                    "<p>Een greep uit de stadsdorpen in het netwerk. Kies een thema om te zien "
                    "wie er bijvoorbeeld aan cultuur of gezondheid doet.</p>"
                ),
                listing_summary="Alle stadsdorpen van het netwerk, te filteren op thema.",
            )
        )
        publish(directory)
    for index, spec in enumerate(STADSDORPEN):
        if child(directory, StadsdorpPage, spec["slug"]) is not None:
            continue
        page = StadsdorpPage(
            title=spec["title"],
            slug=spec["slug"],
            area=spec["area"],
            short_description=spec["short_description"],
            area_description=spec["area_description"],
            binnenbuurten_count=spec["binnenbuurten_count"],
            contact_name=spec["contact_name"],
            contact_email=f"info@{spec['slug']}.stadsdorpen.example",
            contact_phone=spec["contact_phone"],
            website=f"https://{spec['slug']}.stadsdorpen.example/",
            address=spec["address"],
            latitude=spec["latitude"],
            longitude=spec["longitude"],
            image=images[index % 2] if index < 2 else None,
        )
        page.themes = [themes[slug] for slug in spec["themes"]]
        directory.add_child(instance=page)
        publish(page)
    return directory


CONTACT_FIELDS = [
    ("Naam", "Name", "singleline", True, ""),
    ("E-mailadres", "E-mail address", "email", True, ""),
    ("Telefoonnummer", "Phone number", "singleline", False, "Als u liever gebeld wordt."),
    ("Uw buurt of stadsdorp", "Your neighbourhood", "singleline", False, ""),
    ("Uw vraag of bericht", "Your question or message", "multiline", True, ""),
]


def ensure_contact_form(home):
    contact = child(home, FormPage, "contact")
    if contact is None:
        contact = FormPage(
            title="Contact",
            slug="contact",
            introduction=(
                "<p>Heeft u een vraag, wilt u een stadsdorp beginnen of wilt u lid worden? "
                "Laat het ons weten. We antwoorden binnen een week.</p>"
            ),
            thank_you_text=(
                "<p>Dank u wel! We hebben uw bericht ontvangen en antwoorden binnen een week.</p>"
            ),
            subject="Nieuw bericht via de website",
        )
        contact.form_fields = [
            FormField(label=label, field_type=field_type, required=required, help_text=help_text)
            for label, _en, field_type, required, help_text in CONTACT_FIELDS
        ]
        home.add_child(instance=contact)
        publish(contact)
    return contact


# --- English --------------------------------------------------------------------------------

ENGLISH_HOME = {
    "title": "Network of Stadsdorpen",
    "introduction": (
        '<p>In a stadsdorp ("city village") neighbours look after each other and their '
        "neighbourhood. There are about 36 around Amsterdam. Together they form a network that "
        "shares knowledge, experience and good ideas.</p>"
    ),
    "cta_title": "Start a stadsdorp",
    "cta_text": (
        "Would you like to start one in your own neighbourhood? A few enthusiastic neighbours "
        "are enough for a first meeting. We will help you on your way."
    ),
    "cta_link_text": "How to begin",
    "search_description": "The network of stadsdorpen in and around Amsterdam.",
}

ENGLISH_CONTENT = {
    "over-het-netwerk": {
        "title": "About the network",
        "slug": "about-the-network",
        "introduction": "The network connects stadsdorpen so that nobody has to reinvent the "
        "wheel.",
        "texts": {
            "heading": ["What is a stadsdorp?", "Inner neighbourhoods"],
            "paragraph": [
                "<p>A stadsdorp is an association of the residents of a city neighbourhood, "
                "often between five and fifteen thousand people. Residents organise meetings, "
                "activities and help between neighbours: some shopping, a lift to the hospital, "
                "walking the dog. Personal care is not part of it; that is left to "
                "professionals.</p>",
                "<p>A binnenbuurt (inner neighbourhood) is a small group of twenty to fifty "
                "neighbours living close together who meet a few times a year in someone's "
                "living room. Each has two contact persons, so it never depends on one person. "
                "Neighbours notice sooner when someone is not doing well.</p>",
            ],
            "quote": [
                "I used to just say hello to my neighbours. Now I know who could use a hand."
            ],
            "image": [
                (
                    "Drawing of a street with houses around a green square",
                    "A stadsdorp is as big as a neighbourhood.",
                )
            ],
            "embed": [
                (
                    "What is a stadsdorp? (demo video)",
                    "Three residents explain why they joined their stadsdorp and what they "
                    "do together.",
                )
            ],
            "document": [("", "Useful to print for a first meeting.")],
        },
    },
    "nieuw-hier": {
        "title": "New here?",
        "slug": "new-here",
        "introduction": "Welcome! Read in a few minutes what a stadsdorp does.",
        "texts": {
            "paragraph": [
                "<p>Stadsdorpen organise coffee mornings, drinks, lectures, walking groups and "
                "reading clubs. You are very welcome, even if you do not want to help out "
                "straight away.</p>"
            ],
            "image": [("Drawing of a neighbourhood room where people drink coffee", "")],
            "faq": [
                (
                    "Frequently asked questions",
                    [
                        (
                            "Do I have to be old to join?",
                            "<p>No. Many members are seniors, but young neighbours, "
                            "families, renters and "
                            "expats are just as welcome.</p>",
                        ),
                        (
                            "What does it cost?",
                            "<p>That depends on the stadsdorp. Some are free, "
                            "others ask five or ten euros "
                            "a month.</p>",
                        ),
                        (
                            "I find it hard to ask for help.",
                            "<p>Many people feel that way. That is exactly why there are inner "
                            "neighbourhoods: first you simply get to know your neighbours.</p>",
                        ),
                    ],
                )
            ],
            "call_to_action": [
                (
                    "Find a stadsdorp near you",
                    "The overview shows which stadsdorpen there are and what they do.",
                    "See the stadsdorpen",
                )
            ],
        },
    },
    "lid-worden": {
        "title": "Become a member",
        "slug": "become-a-member",
        "introduction": "You become a member through the stadsdorp in your own neighbourhood.",
        "texts": {
            "heading": ["How to become a member"],
            "paragraph": [
                "<ol><li>Find your stadsdorp in the overview.</li><li>Call or e-mail the "
                "contact person; a paper form is fine too.</li><li>Within two weeks you hear "
                "which inner neighbourhood you will join.</li></ol>"
            ],
            "call_to_action": [
                (
                    "Would you rather ask something first?",
                    "Send us a message. We reply within a week.",
                    "Go to the contact form",
                )
            ],
            "faq": [
                (
                    "",
                    [
                        (
                            "Is there no stadsdorp in your neighbourhood?",
                            "<p>Then start one yourself! The network helps with a step-by-step "
                            "plan and the experience of others.</p>",
                        )
                    ],
                )
            ],
            "document": [("Checklist for a first meeting", "")],
        },
    },
}


def _translate_body(raw, texts):
    """Replaces the Dutch text of each block with the English text for the same position."""
    counters = {}
    for block in raw:
        kind = block["type"]
        position = counters.get(kind, 0)
        counters[kind] = position + 1
        values = texts.get(kind, [])
        if position >= len(values):
            continue
        english = values[position]
        value = block["value"]
        if kind == "heading" or kind == "paragraph":
            value["text"] = english
        elif kind == "quote":
            value["quote"] = english
            value["attribution"] = "Member of an inner neighbourhood in Oost"
        elif kind == "image":
            value["alt_text"], value["caption"] = english
        elif kind == "embed":
            value["title"], value["transcript"] = english
        elif kind == "document":
            value["title"], value["description"] = english
        elif kind == "call_to_action":
            value["title"], value["text"], value["link_text"] = english
        elif kind == "faq":
            title, items = english
            value["title"] = title
            for item, (question, answer) in zip(value["items"], items, strict=False):
                item_value = item["value"] if "value" in item and "question" not in item else item
                item_value["question"] = question
                item_value["answer"] = answer
    return raw


def _translation(page, en):
    existing = page.get_translation_or_none(en)
    if existing is not None and not existing.alias_of_id:
        return existing.specific, False
    if existing is not None:  # an alias made by the locale synchronisation: replace it
        existing.delete()
    return page.copy_for_translation(en, copy_parents=True).specific, True


def ensure_english(home, en):
    home_en, created = _translation(home, en)
    if created:
        for field, value in ENGLISH_HOME.items():
            setattr(home_en, field, value)
        home_en.slug = "network-of-stadsdorpen"
        publish(home_en)

    for slug, spec in ENGLISH_CONTENT.items():
        page = child(home, ContentPage, slug)
        if page is None:
            continue
        page_en, created = _translation(page, en)
        if not created:
            continue
        page_en.title = spec["title"]
        page_en.slug = spec["slug"]
        page_en.introduction = spec["introduction"]
        page_en.listing_summary = spec["introduction"]
        page_en.body = _translate_body(list(page.body.raw_data), spec["texts"])
        _localise_block_links(page_en, en)
        publish(page_en)

    directory = child(home, StadsdorpIndexPage, "stadsdorpen")
    if directory is not None:
        directory_en, created = _translation(directory, en)
        if created:
            directory_en.title = "Stadsdorpen"
            directory_en.introduction = (
                "<p>A selection of the stadsdorpen in the network. Choose a theme to see who "
                "works on culture or health, for example.</p>"
            )
            directory_en.listing_summary = "All stadsdorpen of the network, filtered by theme."
            publish(directory_en)

    contact = child(home, FormPage, "contact")
    if contact is not None:
        contact_en, created = _translation(contact, en)
        if created:
            contact_en.title = "Contact"
            contact_en.introduction = (
                "<p>Do you have a question, would you like to start a stadsdorp or become a "
                "member? Let us know. We reply within a week.</p>"
            )
            contact_en.thank_you_text = (
                "<p>Thank you! We have received your message and will reply within a week.</p>"
            )
            english_labels = {label: label_en for label, label_en, *_rest in CONTACT_FIELDS}
            for field in contact_en.form_fields.all():
                field.label = english_labels.get(field.label, field.label)
                if field.help_text:
                    field.help_text = "If you would rather be called."
                field.save()
            publish(contact_en)
    return home_en


def _localise_block_links(page_en, en):
    raw = list(page_en.body.raw_data)
    for block in raw:
        if block["type"] == "call_to_action" and block["value"].get("page"):
            target = Page.objects.filter(pk=block["value"]["page"]).first()
            translated = target.get_translation_or_none(en) if target else None
            if translated is not None:
                block["value"]["page"] = translated.pk
    page_en.body = raw


# --- settings, menus, accounts ---------------------------------------------------------------


def ensure_site_settings():
    site_settings = SiteSettings.load()
    if not site_settings.contact_email:
        site_settings.organisation_name = "Netwerk Stadsdorpen"
        site_settings.contact_email = "info@stadsdorpen.example"
        site_settings.phone = "020 555 00 00"
        site_settings.postal_address = "Netwerk Stadsdorpen\nPostbus 12345\n1000 AB Amsterdam"
        site_settings.newsletter_url = "https://stadsdorpen.example/nieuwsbrief"
        site_settings.mastodon_url = "https://mastodon.example/@stadsdorpen"
        site_settings.linkedin_url = "https://www.linkedin.com/company/stadsdorpen-example"
        site_settings.save()


def add_menu_item(page, label="", label_en="", footer=False):
    """Adds a page to the main menu (or the footer) unless it is already there.

    Other apps' demo loaders may call this for their index pages (kennisbank, agenda).
    """
    navigation = NavigationSettings.load()
    model = FooterLink if footer else MenuItem
    if model.objects.filter(setting=navigation, link_page=page).exists():
        return
    sort_order = model.objects.filter(setting=navigation).count()
    model.objects.create(
        setting=navigation, link_page=page, label=label, label_en=label_en, sort_order=sort_order
    )


def ensure_navigation(home, directory, contact):
    _link_call_to_actions(home, directory, contact)
    navigation = NavigationSettings.load()
    if not navigation.pk:
        navigation.save()
    for slug in ("nieuw-hier", "over-het-netwerk"):
        add_menu_item(child(home, ContentPage, slug))
    add_menu_item(directory)
    add_menu_item(child(home, ContentPage, "lid-worden"))
    add_menu_item(contact)
    add_menu_item(child(home, ContentPage, "over-het-netwerk"), footer=True)
    add_menu_item(contact, label="Contact en vragen", label_en="Contact and questions", footer=True)
    if not FooterLink.objects.filter(setting=navigation, link_url__startswith="https").exists():
        FooterLink.objects.create(
            setting=navigation,
            link_url="https://www.amsterdam.nl/",
            label="Gemeente Amsterdam",
            label_en="City of Amsterdam",
            sort_order=FooterLink.objects.filter(setting=navigation).count(),
        )


def ensure_accounts():
    User = get_user_model()
    accounts = []
    specs = [
        ("beheerder (alles)", "admin", None, True),
        ("redacteur", "redacteur", "Redacteuren", False),
        ("moderator", "moderator", "Moderatoren", False),
    ]
    for role, username, group_name, is_superuser in specs:
        user, _ = User.objects.get_or_create(
            username=username,
            defaults={"email": f"{username}@stadsdorpen.example", "first_name": username.title()},
        )
        user.is_superuser = is_superuser
        user.is_staff = is_superuser
        user.set_password(PASSWORDS[username])
        user.save()
        if group_name:
            group, _ = Group.objects.get_or_create(name=group_name)
            user.groups.add(group)
        accounts.append(DemoAccount(role, username, PASSWORDS[username], "Wagtail-beheer: /admin/"))
    return accounts


def finalize(ctx):
    """Adds the other apps' index pages (kennisbank, agenda) to the main menu.

    Meant to run after every app's ``load``: the home loader runs first, before those pages
    exist. Idempotent; skips apps that are not there.
    """
    home = ctx.home_page
    if home is None:
        return
    for label in ("kennisbank.KennisbankIndexPage", "events.EventIndexPage"):
        try:
            model = apps.get_model(label)
        except LookupError:
            continue
        index = model.objects.child_of(home).live().first()
        if index is not None:
            add_menu_item(index)
    # "Start een stadsdorp" leads to the kennisbank's start-up guide once it exists.
    guide = Page.objects.descendant_of(home).filter(slug="een-stadsdorp-starten").live().first()
    home = HomePage.objects.get(pk=home.pk)
    if guide is not None and home.cta_page_id != guide.pk:
        default_target = child(home, ContentPage, "lid-worden")
        if home.cta_page_id is None or (default_target and home.cta_page_id == default_target.pk):
            home.cta_page = guide
            home.cta_link_text = "Lees het stappenplan"
            publish(home)
            home_en = home.get_translation_or_none(Locale.objects.get(language_code="en"))
            if home_en is not None:
                home_en = home_en.specific
                home_en.cta_page = guide
                home_en.cta_link_text = "Read the step-by-step guide"
                publish(home_en)
    # Keep "Contact" as the last item of the main menu.
    navigation = NavigationSettings.load()
    items = list(MenuItem.objects.filter(setting=navigation).order_by("sort_order"))
    contact = [item for item in items if item.link_page_id and item.link_page.slug == "contact"]
    ordered = [item for item in items if item not in contact] + contact
    for position, item in enumerate(ordered):
        if item.sort_order != position:
            item.sort_order = position
            item.save(update_fields=["sort_order"])
