"""Demo content of the kennisbank: an index, items of every type, a glossary, English pages.

Idempotent: pages are found by slug under the index, documents by title in the "Kennisbank"
collection, glossary terms by slug; a second run updates them instead of adding copies.
All texts are written for this site from the facts in the network's domain brief.
"""

import datetime
import hashlib
import io
import textwrap

import docx
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from django.core.files.base import ContentFile
from django.utils.html import escape
from django.utils.text import slugify

from wagtail.documents import get_document_model
from wagtail.models import Collection, Locale

from home.models import HomePage, StadsdorpPage, Theme

from .models import (
    ArtikelPage,
    Audience,
    GlossaryPage,
    GlossaryTerm,
    KennisbankFeaturedItem,
    KennisbankIndexPage,
    PublicatiePage,
    StappenplanPage,
    VerslagPage,
)

INDEX_SLUG = "kennisbank"
COLLECTION_NAME = "Kennisbank"


def p(*paragraphs):
    return "".join(f"<p>{escape(text)}</p>" for text in paragraphs)


def ul(*items):
    return "<ul>" + "".join(f"<li>{escape(item)}</li>" for item in items) + "</ul>"


# --- helpers ---------------------------------------------------------------------------------


def kennisbank_collection():
    existing = Collection.objects.filter(name=COLLECTION_NAME).first()
    if existing:
        return existing
    return Collection.get_first_root_node().add_child(name=COLLECTION_NAME)


def upsert_document(title, filename, content):
    Document = get_document_model()
    collection = kennisbank_collection()
    document = Document.objects.filter(title=title, collection=collection).first()
    if document is None:
        document = Document(title=title, collection=collection)
    elif document.file_hash and document.file_hash == hashlib.sha1(content).hexdigest():
        return document
    document.file.save(filename, ContentFile(content), save=False)
    document.file_size = len(content)
    document._set_file_hash()
    document.save()
    return document


def themes_by_slug(locale, *slugs):
    """Themes of the home app, matched by slug (or name); missing themes are skipped."""
    wanted = [slug.lower() for slug in slugs]
    found = []
    for theme in Theme.objects.filter(locale=locale):
        if theme.slug.lower() in wanted or slugify(theme.name) in wanted:
            found.append(theme)
    return found


def translated_themes(themes, locale):
    result = []
    for theme in themes:
        translation = theme.get_translation_or_none(locale)
        if translation:
            result.append(translation)
    return result


def upsert_child(parent, model, slug, **fields):
    """Create or update a published child page of ``parent`` with this slug."""
    m2m = {
        name: fields.pop(name) for name in ("themes", "participating_stadsdorpen") if name in fields
    }
    tags = fields.pop("tags", None)
    existing = model.objects.child_of(parent).filter(slug=slug).first()
    page = existing or model(slug=slug, locale=parent.locale)
    for name, value in fields.items():
        setattr(page, name, value)
    for name, value in m2m.items():
        getattr(page, name).set(value)
    if tags is not None:
        page.tags.set(tags)
    if existing is None:
        parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def upsert_translation(page, locale, **fields):
    """The page's translation into ``locale`` (created with copy_for_translation), updated."""
    translation = page.get_translation_or_none(locale)
    if translation is None:
        translation = page.copy_for_translation(locale, copy_parents=False)
    translation = translation.specific
    tags = fields.pop("tags", None)
    themes = fields.pop("themes", None)
    for name, value in fields.items():
        setattr(translation, name, value)
    if themes is not None:
        translation.themes.set(themes)
    if tags is not None:
        translation.tags.set(tags)
    translation.save_revision().publish()
    return translation


# --- documents -------------------------------------------------------------------------------


def flyer_template_docx():
    document = docx.Document()
    document.core_properties.title = "Sjabloon flyer eerste bijeenkomst"
    document.add_heading("Wonen we fijn samen in [naam van de buurt]?", level=1)
    document.add_paragraph(
        "Een paar buren willen samen een stadsdorp beginnen: een vereniging van en voor "
        "bewoners, om elkaar te leren kennen, samen dingen te doen en elkaar een handje te helpen."
    )
    document.add_paragraph("Kom naar de eerste bijeenkomst:")
    for line in ("Datum: [dag en datum]", "Tijd: [begin- en eindtijd]", "Plaats: [adres]"):
        document.add_paragraph(line, style="List Bullet")
    document.add_paragraph(
        "Aanmelden kan op drie manieren: bel [telefoonnummer], stop het strookje hieronder "
        "in de brievenbus van [adres], of stuur een e-mail naar [e-mailadres]."
    )
    document.add_paragraph("- - - - - - - - knip hier - - - - - - - -")
    document.add_paragraph("Naam: ............................................")
    document.add_paragraph("Adres: ...........................................")
    document.add_paragraph("Telefoon: ........................................")
    document.add_paragraph("Ik kom met ..... personen.")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


RESEARCH_TEXT = [
    "Stadsdorpen in beeld: een verkenning onder 36 stadsdorpen rond Amsterdam",
    "Het netwerk vroeg alle stadsdorpen hoe ze georganiseerd zijn, wat ze doen en waar ze "
    "tegenaan lopen. Per stadsdorp is een factsheet gemaakt.",
    "Communicatie is het grootste knelpunt: zestien stadsdorpen noemen het. De website hangt "
    "vaak af van een enkele vrijwilliger. De meeste stadsdorpen sturen een maandelijkse "
    "nieuwsbrief per e-mail; sociale media worden weinig gebruikt.",
    "De leden zijn vooral senioren. Stadsdorpen willen jongere bewoners, huurders, gezinnen en "
    "expats bereiken.",
    "Aanbevelingen: investeer in jongere en meer diverse leden, vraag bewoners wat ze missen, "
    "vraag om laagdrempelige structurele ondersteuning, deel kennis tussen stadsdorpen, zoek "
    "ontmoetingsruimte, versterk de lokale samenwerking en vergroot de zichtbaarheid.",
]


def research_pdf():
    """A small PDF made with reportlab."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.setTitle(RESEARCH_TEXT[0])
    pdf.setAuthor("Netwerk Stadsdorpen")
    y = 800
    for number, paragraph in enumerate(RESEARCH_TEXT):
        pdf.setFont("Helvetica-Bold" if number == 0 else "Helvetica", 13 if number == 0 else 11)
        for line in textwrap.wrap(paragraph, 85):
            pdf.drawString(50, y, line)
            y -= 16
        y -= 10
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


# --- content ---------------------------------------------------------------------------------


def step(title, explanation, tips=(), checklist=(), links=()):
    return {
        "title": title,
        "explanation": p(*explanation) if isinstance(explanation, tuple) else p(explanation),
        "tips": list(tips),
        "checklist": list(checklist),
        "links": list(links),
    }


def startup_steps(flyer):
    flyer_link = {"label": "Sjabloon voor de flyer (Word)", "document": flyer.pk, "page": None}
    return [
        {
            "type": "phase",
            "value": {
                "title": "Pioniersfase: verkennen en voorbereiden",
                "description": p(
                    "Een kleine groep initiatiefnemers onderzoekt of er in de buurt draagvlak is "
                    "en bereidt een eerste bijeenkomst voor."
                ),
                "steps": [
                    step(
                        "Zoek een paar medestanders",
                        "Begin niet alleen. Zoek drie tot vijf buren die het ook zien zitten. "
                        "Een groep die elkaar aanvult – iemand die kan schrijven, iemand met een "
                        "groot netwerk, iemand die van regelen houdt – houdt het langer vol.",
                        tips=["Vraag ook mensen die nog maar kort in de buurt wonen."],
                        checklist=["Drie tot vijf kartrekkers gevonden", "Taken verdeeld"],
                    ),
                    step(
                        "Baken het gebied af en kies de leeftijdsgroepen",
                        "Teken op de kaart van de gemeente welke straten bij het stadsdorp horen. "
                        "Spreek af voor wie het stadsdorp is: alleen voor ouderen, of voor alle "
                        "leeftijden.",
                        tips=[
                            "Een stadsdorp telt vaak 5.000 tot 15.000 inwoners, maar kleiner kan."
                        ],
                        checklist=["Kaart met de grenzen gemaakt", "Doelgroep afgesproken"],
                    ),
                    step(
                        "Prik een datum voor de eerste bijeenkomst",
                        "Kies een datum, een tijd die ouderen goed uitkomt (overdag of vroeg in "
                        "de avond) en een gratis plek: een café, een school of een buurthuis.",
                        checklist=["Datum en tijd vastgelegd", "Zaal gereserveerd"],
                    ),
                    step(
                        "Maak een flyer en verspreid hem",
                        "Vertel kort wat een stadsdorp is en nodig iedereen uit. Leg de flyer "
                        "bij winkels, stop hem in brievenbussen en vraag het buurthuis hem mee te "
                        "sturen met de eigen mailing. Zorg dat mensen zich ook zonder internet "
                        "kunnen aanmelden: met een strookje of een telefoonnummer.",
                        tips=[
                            "Gebruik grote letters en weinig tekst.",
                            "Noem een telefoonnummer dat echt wordt opgenomen.",
                        ],
                        checklist=[
                            "Flyer gemaakt",
                            "Aanmelden kan zonder internet",
                            "Flyers bij winkels en in brievenbussen",
                        ],
                        links=[flyer_link],
                    ),
                ],
            },
        },
        {
            "type": "phase",
            "value": {
                "title": "Organisatiefase: de eerste bijeenkomst en verder",
                "description": p(
                    "Nu komen de buren zelf aan het woord. Bewoners houden de regie; "
                    "professionals helpen alleen waar dat nodig is."
                ),
                "steps": [
                    step(
                        "Bereid een programma voor",
                        "Houd het kort: welkom, wat is een stadsdorp, wat doen andere "
                        "stadsdorpen, en vooral: wat willen de mensen in de zaal zelf?",
                        checklist=["Programma op papier", "Iemand die de avond leidt"],
                    ),
                    step(
                        "Neem papier en pennen mee",
                        "Laat mensen opschrijven wat ze zoeken en wat ze willen doen. Vraag hun "
                        "naam, adres en telefoonnummer, zodat je ze daarna kunt bellen.",
                        checklist=["Intekenlijsten", "Pennen", "Naambordjes"],
                    ),
                    step(
                        "Kies een vorm: beweging of rechtspersoon",
                        "Je kunt beginnen als informele beweging. Wil je subsidie of een "
                        "bankrekening, kies dan een vereniging, stichting of coöperatie.",
                        tips=["Startgeld komt vaak uit particuliere fondsen."],
                    ),
                    step(
                        "Begin met binnenbuurten",
                        "Kleine groepjes van twintig tot vijftig buren die dicht bij elkaar "
                        "wonen, zorgen dat hulp dichtbij is en dat opvalt wie het niet goed gaat.",
                        checklist=["Per binnenbuurt twee contactpersonen"],
                    ),
                ],
            },
        },
    ]


STARTUP_PRECONDITIONS = p("Een stadsdorp opzetten vraagt een lange adem. Dit helpt:") + ul(
    "een groep enthousiaste organisatoren met verschillende talenten;",
    "weten wat buren nodig hebben, voordat je activiteiten bedenkt;",
    "gratis ruimtes om samen te komen, zoals cafés en scholen;",
    "pas naar de gemeente stappen als je weet wat je wilt;",
    "binnenbuurten voor directe hulp aan elkaar.",
)


def english_startup_steps(flyer):
    flyer_link = {"label": "Flyer template (Word, in Dutch)", "document": flyer.pk, "page": None}
    return [
        {
            "type": "phase",
            "value": {
                "title": "Pioneer phase: explore and prepare",
                "description": p(
                    "A small group of initiators finds out whether neighbours support the idea "
                    "and prepares a first meeting."
                ),
                "steps": [
                    step(
                        "Find a few allies",
                        "Do not start alone. Find three to five neighbours who like the idea, "
                        "with skills that complement each other.",
                        checklist=["Three to five organisers found", "Tasks shared out"],
                    ),
                    step(
                        "Mark out the area and choose the age groups",
                        "Draw the streets of your stadsdorp on the municipal map and agree "
                        "whom it is for: older residents only, or all ages.",
                        checklist=["Map with the borders", "Target group agreed"],
                    ),
                    step(
                        "Set a date for a first meeting",
                        "Pick a date, a time that suits older residents and a free venue such "
                        "as a café, a school or a community centre.",
                        checklist=["Date and time fixed", "Venue booked"],
                    ),
                    step(
                        "Make and spread a flyer",
                        "Explain briefly what a stadsdorp is and invite everyone. Leave flyers "
                        "in shops and letterboxes. Make sure people can sign up without the "
                        "internet: with a reply slip or a phone number.",
                        tips=["Large type, few words."],
                        checklist=["Flyer made", "Sign-up possible without internet"],
                        links=[flyer_link],
                    ),
                ],
            },
        },
        {
            "type": "phase",
            "value": {
                "title": "Organisation phase: the first meeting and after",
                "description": p("Residents stay in the lead; professionals only facilitate."),
                "steps": [
                    step(
                        "Prepare a programme",
                        "Keep it short: welcome, what a stadsdorp is, and above all what the "
                        "people in the room want.",
                        checklist=["Programme on paper"],
                    ),
                    step(
                        "Bring paper and pens",
                        "Let people write down what they are looking for and what they would "
                        "like to do, with their name and phone number.",
                        checklist=["Sign-up sheets", "Pens", "Name tags"],
                    ),
                    step(
                        "Choose a form: movement or legal entity",
                        "You can start as an informal movement. For a subsidy or a bank "
                        "account, choose an association, foundation or cooperative.",
                    ),
                    step(
                        "Start with binnenbuurten",
                        "Small groups of twenty to fifty neighbours living close together keep "
                        "help nearby and notice who is not doing well.",
                        checklist=["Two contact persons per binnenbuurt"],
                    ),
                ],
            },
        },
    ]


GLOSSARY = [
    (
        "stadsdorp",
        "Stadsdorp",
        "Een vereniging van bewoners van een stadsbuurt die samen ontmoeting, burenhulp en "
        "activiteiten organiseren. Vaak 5.000 tot 15.000 inwoners.",
    ),
    (
        "binnenbuurt",
        "Binnenbuurt",
        "Een klein groepje van twintig tot vijftig buren binnen een stadsdorp, dat een paar keer "
        "per jaar bij iemand thuis bijeenkomt. Heeft twee contactpersonen.",
    ),
    (
        "nabuurschap",
        "Nabuurschap",
        "Buren die naar elkaar omkijken en elkaar helpen met kleine dingen, zoals boodschappen "
        "of een ritje naar het ziekenhuis. Geen persoonlijke verzorging.",
    ),
    (
        "naoberschap",
        "Naoberschap",
        "De oude traditie uit het noorden en oosten van het land waarin buren de plicht hebben "
        "elkaar te helpen.",
    ),
    (
        "kartrekker",
        "Kartrekker",
        "Iemand die het voortouw neemt en anderen meekrijgt om iets te organiseren.",
    ),
    (
        "meedenker",
        "Meedenker",
        "Iemand die meedenkt en advies geeft, zonder zelf de organisatie te dragen.",
    ),
    (
        "initiatiefgroep",
        "Initiatiefgroep",
        "De kleine groep bewoners die een stadsdorp of een activiteit opstart.",
    ),
    (
        "sociale-basis",
        "Sociale basis",
        "Alles wat mensen in een buurt zelf en samen doen om mee te doen en elkaar te steunen, "
        "vóórdat professionele zorg nodig is.",
    ),
    (
        "zorgzame-gemeenschap",
        "Zorgzame gemeenschap",
        "Een dorp of buurt waarin bewoners, vrijwilligers en professionals samen zorgen dat "
        "iedereen erbij hoort en hulp krijgt als dat nodig is.",
    ),
    (
        "dammetje",
        "DAMmetje",
        "Een eenmalige daad van hulp aan een willekeurige buur, bijvoorbeeld een lamp vervangen.",
    ),
]

RELATED_TERMS = {
    "stadsdorp": ["binnenbuurt", "nabuurschap"],
    "binnenbuurt": ["stadsdorp"],
    "nabuurschap": ["naoberschap", "dammetje"],
    "kartrekker": ["initiatiefgroep", "meedenker"],
    "sociale-basis": ["zorgzame-gemeenschap"],
}


def load_glossary(locale):
    terms = {}
    for slug, term, definition in GLOSSARY:
        glossary_term, _created = GlossaryTerm.objects.update_or_create(
            slug=slug, locale=locale, defaults={"term": term, "definition": p(definition)}
        )
        terms[slug] = glossary_term
    for slug, related in RELATED_TERMS.items():
        terms[slug].related_terms.set([terms[other] for other in related])
    return terms


def find_home(context):
    if context.home_page is not None:
        return context.home_page
    dutch = Locale.objects.filter(language_code="nl").first()
    return HomePage.objects.filter(locale=dutch).first() if dutch else None


def load(context):
    home = find_home(context)
    if home is None:
        context.log("kennisbank: no Dutch home page found, skipping the kennisbank demo.")
        return
    dutch = home.locale
    index = KennisbankIndexPage.objects.child_of(home).first()
    if index is None:
        index = KennisbankIndexPage(title="Kennisbank", slug=INDEX_SLUG, locale=dutch)
        home.add_child(instance=index)
    index.title = "Kennisbank"
    index.introduction = p(
        "Verslagen, stappenplannen, onderzoek en tips van en voor stadsdorpen. Leer van wat "
        "andere stadsdorpen al hebben uitgezocht."
    )
    index.listing_summary = "Kennis van en voor stadsdorpen: verslagen, stappenplannen en tips."
    index.save_revision().publish()

    def themes(*slugs):
        return themes_by_slug(dutch, *slugs)

    flyer = upsert_document(
        "Sjabloon flyer eerste bijeenkomst",
        "sjabloon-flyer-eerste-bijeenkomst.docx",
        flyer_template_docx(),
    )
    research = upsert_document(
        "Stadsdorpen in beeld (onderzoek)", "stadsdorpen-in-beeld.pdf", research_pdf()
    )

    reviewed = datetime.date.today() - datetime.timedelta(days=30)
    items = {}
    items["startup"] = upsert_child(
        index,
        StappenplanPage,
        "een-stadsdorp-starten",
        title="Een stadsdorp starten",
        summary_text=(
            "Van een paar enthousiaste buren naar een eerste bijeenkomst en een stadsdorp: "
            "de stappen op een rij, met een flyer om te downloaden."
        ),
        introduction=p(
            "Dit stappenplan is voor bewoners die in hun buurt een stadsdorp willen beginnen. "
            "Het is gebaseerd op de ervaring van stadsdorpen in en rond Amsterdam. Print het en "
            "neem het mee naar je eerste overleg."
        ),
        steps=startup_steps(flyer),
        preconditions=STARTUP_PRECONDITIONS,
        publication_date=datetime.date(2024, 3, 1),
        audience=Audience.INITIATIEFNEMERS,
        last_reviewed=reviewed,
        themes=themes("ontmoeting", "sociale-cohesie"),
        tags=["starten", "flyer", "eerste bijeenkomst"],
    )
    items["binnenbuurt-guide"] = upsert_child(
        index,
        StappenplanPage,
        "een-binnenbuurt-opzetten",
        title="Een binnenbuurt opzetten",
        summary_text="Zo begin je een binnenbuurt van twintig tot vijftig buren.",
        introduction=p(
            "Een binnenbuurt maakt een groot stadsdorp klein en dichtbij. Zo zet je er een op."
        ),
        steps=[
            {
                "type": "step",
                "value": step(
                    "Zoek twee contactpersonen",
                    "Een coördinator en een vervanger: dan is de binnenbuurt niet kwetsbaar.",
                    checklist=["Coördinator", "Vervanger"],
                ),
            },
            {
                "type": "step",
                "value": step(
                    "Nodig de buren uit in een huiskamer",
                    "Begin met een borrel of koffie bij iemand thuis. Houd het klein en gezellig.",
                    tips=["Minstens één keer per jaar een binnenbuurtborrel."],
                ),
            },
            {
                "type": "step",
                "value": step(
                    "Let op elkaar",
                    "Spreek af hoe je merkt dat het met iemand niet goed gaat en wie dan "
                    "langsgaat.",
                ),
            },
        ],
        publication_date=datetime.date(2023, 9, 15),
        audience=Audience.COORDINATOREN,
        last_reviewed=datetime.date(2022, 1, 10),
        themes=themes("sociale-cohesie", "wonen-en-zorg"),
        tags=["binnenbuurt", "burenhulp"],
    )
    items["verslag-2014"] = upsert_child(
        index,
        VerslagPage,
        "netwerkbijeenkomst-juni-2014-binnenbuurten",
        title="Netwerkbijeenkomst juni 2014: binnenbuurten",
        summary_text=(
            "Stadsdorpen vertelden hoe zij hun binnenbuurten organiseren, waarom ze het doen en "
            "waar ze tegenaan lopen."
        ),
        meeting_date=datetime.date(2014, 6, 12),
        publication_date=datetime.date(2014, 6, 20),
        place="Amsterdam",
        organiser="Netwerk Stadsdorpen",
        participants="Stadsdorp Zuid, Stadsdorp Oost",
        participating_stadsdorpen=list(
            StadsdorpPage.objects.filter(locale=dutch).live().order_by("path")[:2]
        ),
        body=[
            {
                "type": "text",
                "value": {
                    "heading": "Besproken onderwerpen",
                    "text": p(
                        "Waarom binnenbuurten? Om nabuurschap en saamhorigheid te versterken, te "
                        "merken "
                        "wie het niet goed maakt en eenzaamheid te verminderen.",
                        "Mensen vinden het moeilijk om om hulp te vragen. In een kleine groep "
                        "bekenden "
                        "is die drempel lager.",
                    ),
                },
            },
            {
                "type": "experience",
                "value": {
                    "stadsdorp": "Stadsdorp Zuid",
                    "text": p(
                        "Twaalf binnenbuurten, waarvan tien actief. De contactpersonen komen "
                        "samen in "
                        "een werkgroep."
                    ),
                },
            },
            {
                "type": "experience",
                "value": {
                    "stadsdorp": "Stadsdorp Oost",
                    "text": p(
                        "Acht binnenbuurten met samen zeventig betalende leden (vijf euro per "
                        "maand)."
                    ),
                },
            },
            {
                "type": "text",
                "value": {
                    "heading": "Conclusies",
                    "text": p(
                        "Let op de balans tussen geven en vragen. Wederkerigheid werkt beter dan "
                        "een "
                        "claimende houding. Twee contactpersonen per binnenbuurt maken het minder "
                        "kwetsbaar."
                    ),
                },
            },
            {
                "type": "action_points",
                "value": {
                    "heading": "Actiepunten",
                    "items": [
                        {
                            "action": "Voorbeelden van binnenbuurten verzamelen",
                            "who": "Werkgroep",
                            "deadline": "september 2014",
                        },
                        {
                            "action": "Volgende netwerkbijeenkomst plannen",
                            "who": "Netwerk",
                            "deadline": "najaar 2014",
                        },
                    ],
                },
            },
        ],
        audience=Audience.COORDINATOREN,
        themes=themes("sociale-cohesie", "ontmoeting", "wonen-en-zorg"),
        tags=["binnenbuurt", "netwerkbijeenkomst", "burenhulp"],
    )
    items["verslag-communicatie"] = upsert_child(
        index,
        VerslagPage,
        "netwerkbijeenkomst-communicatie",
        title="Netwerkbijeenkomst: communicatie en nieuwsbrieven",
        summary_text="Hoe houd je een website bij met één vrijwilliger? Ervaringen en tips.",
        meeting_date=datetime.date(2025, 2, 6),
        publication_date=datetime.date(2025, 2, 14),
        place="Buurthuis De Ruimte",
        organiser="Werkgroep communicatie",
        body=[
            {
                "type": "text",
                "value": {
                    "heading": "Besproken onderwerpen",
                    "text": p(
                        "Websites hangen vaak af van één vrijwilliger. Bijna iedereen heeft een "
                        "maandelijkse nieuwsbrief. De pagina's 'Nieuw hier?' en 'Lid worden' "
                        "worden het "
                        "best bezocht."
                    ),
                },
            },
            {
                "type": "text",
                "value": {
                    "heading": "Conclusies",
                    "text": p("Zorg dat minstens twee mensen de website kunnen bijwerken."),
                },
            },
        ],
        audience=Audience.COORDINATOREN,
        themes=themes("ontmoeting"),
        tags=["communicatie", "nieuwsbrief", "website"],
    )
    items["onderzoek"] = upsert_child(
        index,
        PublicatiePage,
        "stadsdorpen-in-beeld",
        title="Stadsdorpen in beeld: onderzoek onder 36 stadsdorpen",
        summary_text=(
            "Het netwerk onderzocht hoe 36 stadsdorpen werken, met een factsheet per stadsdorp "
            "en aanbevelingen."
        ),
        document=research,
        key_findings=[
            {"type": "finding", "value": {"text": text}}
            for text in (
                "Zestien stadsdorpen noemen communicatie een knelpunt.",
                "De meeste leden zijn senioren; jongere bewoners en expats zijn moeilijk te "
                "bereiken.",
                "Stadsdorpen willen kennis delen en vragen om laagdrempelige ondersteuning.",
            )
        ],
        publication_date=datetime.date(2025, 5, 1),
        audience=Audience.PROFESSIONALS,
        themes=themes("sociale-cohesie", "ontmoeting"),
        tags=["onderzoek", "communicatie", "vrijwilligers"],
    )
    items["tips"] = upsert_child(
        index,
        ArtikelPage,
        "tien-tips-voor-buurtprofessionals",
        title="Tien tips voor buurtprofessionals",
        summary_text="Hoe steun je bewonersinitiatieven zonder ze over te nemen?",
        introduction=(
            "Buurtteams en welzijnswerkers kunnen stadsdorpen veel helpen, als ze de bewoners "
            "aan het roer laten. Tien tips uit de praktijk."
        ),
        body=[
            {"type": "tip", "value": {"title": title, "text": p(text)}}
            for title, text in (
                ("Wees aanwezig", "Kom langs op de koffieochtend, ook zonder agenda."),
                ("Versterk ontmoeting", "Help aan een ruimte, niet aan een programma."),
                ("Steun initiatieven", "Vraag wat nodig is voordat je iets aanbiedt."),
                ("Laat bewoners de regie", "Faciliteer; neem het niet over."),
                ("Ken de binnenbuurten", "Daar zie je wie hulp nodig heeft."),
                ("Verbind", "Breng stadsdorpen in contact met huisarts en wijkteam."),
                ("Wees geduldig", "Vrijwilligers hebben een eigen tempo."),
                ("Deel kennis", "Wijs op de kennisbank en op andere stadsdorpen."),
                ("Denk aan zichtbaarheid", "Help met een flyer of een stukje in de krant."),
                ("Blijf", "Een vast gezicht werkt beter dan steeds een ander."),
            )
        ],
        publication_date=datetime.date(2024, 11, 20),
        audience=Audience.PROFESSIONALS,
        last_reviewed=reviewed,
        themes=themes("sociale-cohesie", "wonen-en-zorg"),
        tags=["professionals", "bewonersinitiatief"],
    )
    items["flyer"] = upsert_child(
        index,
        ArtikelPage,
        "een-goede-flyer-maken",
        title="Een goede flyer maken",
        summary_text="Grote letters, weinig tekst en aanmelden zonder internet.",
        introduction="Een flyer is vaak het eerste wat buren van je stadsdorp zien.",
        body=[
            {
                "type": "text",
                "value": {
                    "heading": "Wat moet erop?",
                    "text": p(
                        "Wat, wanneer, waar, en hoe je je aanmeldt – ook per telefoon of met een "
                        "strookje."
                    ),
                },
            },
            {
                "type": "tip",
                "value": {
                    "title": "Test hem bij een buurman van tachtig",
                    "text": p("Kan hij het lezen zonder bril? Dan is het goed."),
                },
            },
        ],
        publication_date=datetime.date(2023, 4, 3),
        audience=Audience.IEDEREEN,
        last_reviewed=datetime.date(2021, 6, 1),
        themes=themes("ontmoeting"),
        tags=["flyer", "communicatie"],
    )
    items["werven"] = upsert_child(
        index,
        ArtikelPage,
        "nieuwe-leden-werven",
        title="Nieuwe leden werven: jongeren, huurders en expats",
        summary_text="Ideeën om je stadsdorp jonger en diverser te maken.",
        introduction="In sommige stadsdorpen is de gemiddelde leeftijd 74. Zo bereik je anderen.",
        body=[
            {
                "type": "text",
                "value": {
                    "heading": "",
                    "text": p(
                        "Zorg voor een Engelse pagina voor expats, organiseer iets voor gezinnen "
                        "en "
                        "vraag nieuwe bewoners wat zij missen in de buurt."
                    ),
                },
            },
        ],
        publication_date=datetime.date(2025, 9, 10),
        audience=Audience.COORDINATOREN,
        last_reviewed=reviewed,
        themes=themes("sociale-cohesie", "cultuur"),
        tags=["vrijwilligers", "ledenwerving", "expats"],
    )

    KennisbankFeaturedItem.objects.filter(index_page=index).delete()
    for order, key in enumerate(("startup", "tips", "onderzoek")):
        KennisbankFeaturedItem.objects.create(index_page=index, page=items[key], sort_order=order)

    load_glossary(dutch)
    glossary = upsert_child(
        index,
        GlossaryPage,
        "begrippen",
        title="Begrippenlijst",
        introduction=p("Woorden die stadsdorpen vaak gebruiken, kort uitgelegd."),
    )

    english = Locale.objects.filter(language_code="en").first()
    if english is not None and home.get_translation_or_none(english) is not None:
        load_english(index, items["startup"], glossary, flyer, english)
    context.log(f"kennisbank: {len(items)} items, {len(GLOSSARY)} glossary terms.")


def load_english(index, startup, glossary, flyer, english):
    index_en = upsert_translation(
        index,
        english,
        title="Knowledge base",
        introduction=p(
            "Meeting reports, step-by-step guides, research and tips by and for stadsdorpen "
            "(resident-run neighbourhood associations)."
        ),
        listing_summary="Knowledge by and for stadsdorpen.",
    )
    upsert_translation(
        startup,
        english,
        title="Starting a stadsdorp",
        slug="starting-a-stadsdorp",
        summary_text=(
            "From a few enthusiastic neighbours to a first meeting and a stadsdorp: the steps, "
            "with a flyer template to download."
        ),
        introduction=p(
            "This guide is for residents who want to start a stadsdorp (a resident-run "
            "neighbourhood association) in their area. Print it and take it to your first "
            "meeting."
        ),
        steps=english_startup_steps(flyer),
        preconditions=p("Starting a stadsdorp takes a long breath. What helps:")
        + ul(
            "a group of enthusiastic organisers with complementary skills;",
            "knowing what neighbours need before planning activities;",
            "free places to meet, such as cafés and schools;",
            "contacting the municipality only once you know what you want;",
            "binnenbuurten for direct help between neighbours.",
        ),
        themes=translated_themes(startup.themes.all(), english),
        tags=["getting started", "flyer", "first meeting"],
    )
    dutch_terms = {term.slug: term for term in GlossaryTerm.objects.filter(locale=index.locale)}
    for slug, term, definition in GLOSSARY_EN:
        defaults = {"term": term, "definition": p(definition)}
        if slug in dutch_terms:
            defaults["translation_key"] = dutch_terms[slug].translation_key
        GlossaryTerm.objects.update_or_create(slug=slug, locale=english, defaults=defaults)
    upsert_translation(
        glossary,
        english,
        title="Glossary",
        slug="glossary",
        introduction=p("Words stadsdorpen often use, briefly explained."),
    )
    KennisbankFeaturedItem.objects.filter(index_page=index_en).delete()
    en_startup = startup.get_translation(english)
    KennisbankFeaturedItem.objects.create(index_page=index_en, page=en_startup, sort_order=0)


GLOSSARY_EN = [
    ("stadsdorp", "Stadsdorp", "A resident-run association of a city neighbourhood."),
    ("binnenbuurt", "Binnenbuurt", "A small group of 20 to 50 neighbours within a stadsdorp."),
    ("nabuurschap", "Neighbourliness", "Neighbours looking out for and helping each other."),
    ("naoberschap", "Naoberschap", "The northern tradition of neighbours' duty to help."),
    ("kartrekker", "Kartrekker", "Someone who takes the lead and gets others on board."),
    ("dammetje", "DAMmetje", "A one-off act of help to any neighbour."),
]
