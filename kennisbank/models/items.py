"""The item types (verslag, stappenplan, publicatie, artikel) on one concrete base table.

All item types inherit from the concrete ``KennisbankItemPage`` (multi-table inheritance) so that
listings, facets and feeds query a single table. See
https://docs.wagtail.org/en/stable/topics/pages.html
"""

import datetime

from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField

from django import forms
from django.conf import settings
from django.db import models
from django.db.models import Count, Q
from django.utils.functional import cached_property
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from taggit.models import TaggedItemBase
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.rich_text import get_text_for_indexing
from wagtail.search import index

from home.caching import cached
from home.models import BasePage, StadsdorpPage
from home.privacy import audience, visible_pages
from kennisbank import blocks as kb_blocks
from kennisbank.blocks import anchor_for
from kennisbank.forms import KennisbankItemPageForm
from kennisbank.glossary import GlossaryLinker
from kennisbank.votes import has_voted

from .glossary import GlossaryPage, GlossaryTerm


class Kind(models.TextChoices):
    VERSLAG = "verslag", _("Verslag")
    STAPPENPLAN = "stappenplan", _("Stappenplan")
    PUBLICATIE = "publicatie", _("Publicatie")
    ARTIKEL = "artikel", _("Artikel")


class Audience(models.TextChoices):
    INITIATIEFNEMERS = "initiatiefnemers", _("Initiatiefnemers")
    COORDINATOREN = "coordinatoren", _("Coördinatoren")
    PROFESSIONALS = "professionals", _("Professionals")
    IEDEREEN = "iedereen", _("Iedereen")


ITEM_TYPES = [
    "kennisbank.VerslagPage",
    "kennisbank.StappenplanPage",
    "kennisbank.PublicatiePage",
    "kennisbank.ArtikelPage",
]


class KennisbankItemTag(TaggedItemBase):
    content_object = ParentalKey(
        "kennisbank.KennisbankItemPage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class KennisbankItemPage(BasePage):
    """Concrete base of every kennisbank item, so facets and listings query one table."""

    kind = models.CharField(
        _("soort"), max_length=20, choices=Kind.choices, editable=False, db_index=True
    )
    publication_date = models.DateField(
        _("publicatiedatum"),
        default=datetime.date.today,
        db_index=True,
        help_text=_(
            "De datum waarop dit stuk verscheen; bij een verslag de datum van het verslag."
        ),
    )
    audience = models.CharField(
        _("voor wie"),
        max_length=20,
        choices=Audience.choices,
        default=Audience.IEDEREEN,
        help_text=_("Voor wie is dit vooral bedoeld?"),
    )
    themes = ParentalManyToManyField(
        "home.Theme",
        blank=True,
        related_name="kennisbank_items",
        verbose_name=_("thema's"),
        help_text=_("Kies één of meer thema's van het netwerk."),
    )
    tags = ClusterTaggableManager(
        through=KennisbankItemTag,
        blank=True,
        verbose_name=_("trefwoorden"),
        help_text=_("Losse trefwoorden, gescheiden door komma's, bijvoorbeeld: flyer, subsidie."),
    )
    summary_text = models.TextField(
        _("samenvatting"),
        blank=True,
        max_length=1000,
        help_text=_("Waar gaat dit over? Twee tot vier zinnen in gewone taal."),
    )
    content_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="kennisbank_items_owned",
        verbose_name=_("eigenaar"),
        help_text=_("Wie is inhoudelijk verantwoordelijk en controleert of dit nog klopt?"),
    )
    last_reviewed = models.DateField(
        _("laatst gecontroleerd"),
        null=True,
        blank=True,
        help_text=_("Wanneer is de inhoud voor het laatst nagekeken? Leeg: nog nooit."),
    )
    import_source = models.CharField(
        _("importbron"),
        max_length=500,
        blank=True,
        db_index=True,
        editable=False,
        help_text=_("Het bestand waaruit deze pagina is geïmporteerd."),
    )
    import_checksum = models.CharField(max_length=64, blank=True, editable=False)
    source_document = models.ForeignKey(
        "wagtaildocs.Document",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("origineel bestand"),
        help_text=_(
            "Het oorspronkelijke bestand, bijvoorbeeld van een import; lezers kunnen het "
            "downloaden."
        ),
    )

    # Subclasses set this; the base page itself is never created.
    item_kind = None
    is_creatable = False
    base_form_class = KennisbankItemPageForm

    metadata_panels = [
        FieldRowPanel([FieldPanel("publication_date"), FieldPanel("audience")]),
        FieldPanel("themes", widget=forms.CheckboxSelectMultiple),
        FieldPanel("tags"),
    ]
    review_panels = [
        MultiFieldPanel(
            [FieldPanel("content_owner"), FieldPanel("last_reviewed")],
            heading=_("Eigenaar en controle"),
        ),
        FieldPanel("source_document"),
    ]

    search_fields = [
        *BasePage.search_fields,
        index.SearchField("summary_text"),
        index.AutocompleteField("title"),
        index.FilterField("kind"),
        index.FilterField("audience"),
        index.FilterField("publication_date"),
        index.RelatedFields("tags", [index.SearchField("name")]),
        index.RelatedFields("themes", [index.SearchField("name")]),
    ]

    parent_page_types = ["kennisbank.KennisbankIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("kennisbank-item")
        verbose_name_plural = _("kennisbank-items")
        ordering = ["-publication_date"]

    @classmethod
    def build_edit_handler(cls, content_panels):
        """Tabs shared by all item types: content with its themes, review, address and sharing."""
        return TabbedInterface(
            [
                # Themes and tags sit with the content, where editors look for them.
                ObjectList(
                    [
                        *content_panels,
                        MultiFieldPanel(cls.metadata_panels, heading=_("Thema's en trefwoorden")),
                    ],
                    heading=pgettext_lazy("editor tab", "Inhoud"),
                ),
                ObjectList(cls.review_panels, heading=_("Beheer")),
                # Wagtail's "Promoten" tab holds the web address (slug): name it for what it holds.
                ObjectList(cls.promote_panels, heading=_("Webadres en delen")),
                ObjectList(cls.settings_panels, heading=_("Instellingen")),
            ]
        )

    def save(self, *args, **kwargs):
        if self.item_kind:
            self.kind = self.item_kind
        return super().save(*args, **kwargs)

    def full_clean(self, *args, **kwargs):
        if self.item_kind:
            self.kind = self.item_kind
        return super().full_clean(*args, **kwargs)

    @property
    def summary(self):
        return self.summary_text or super().summary

    @property
    def kind_label(self):
        return Kind(self.kind).label if self.kind else ""

    def get_search_text(self) -> list[str]:
        """The text parts a search engine should index for this item (subclasses extend)."""
        parts = [self.title, self.summary_text, self.listing_summary, self.search_description]
        return [part for part in parts if part]

    @staticmethod
    def streamfield_text(page, field_name):
        field = page._meta.get_field(field_name)
        return [text for text in field.get_searchable_content(getattr(page, field_name)) if text]

    def related_items(self, user, limit=4, themes=None, tags=None):
        """Visible items in the same locale sharing themes or tags, most overlap first.

        Three queries whatever the size of the kennisbank: theme ids, tag ids, the ranked items
        (plus the restriction lookup of ``visible_pages``).
        """
        # .all() rather than values_list(): in an admin preview these relations live in memory.
        theme_ids = [theme.pk for theme in (themes if themes is not None else self.themes.all())]
        tag_ids = [tag.pk for tag in (tags if tags is not None else self.tags.all())]
        tag_ids = [pk for pk in tag_ids if pk is not None]
        if not theme_ids and not tag_ids:
            return []
        candidates = (
            KennisbankItemPage.objects.filter(locale_id=self.locale_id)
            .exclude(pk=self.pk)
            .filter(Q(themes__in=theme_ids) | Q(tagged_items__tag_id__in=tag_ids))
            .values("pk")
        )
        ranked = (
            visible_pages(KennisbankItemPage.objects.filter(pk__in=candidates), user)
            .annotate(
                shared_themes=Count("themes", filter=Q(themes__in=theme_ids), distinct=True),
                shared_tags=Count(
                    "tagged_items", filter=Q(tagged_items__tag_id__in=tag_ids), distinct=True
                ),
            )
            .order_by("-shared_tags", "-shared_themes", "-publication_date", "pk")
        )
        return list(ranked[:limit])

    def glossary_linker_for(self, user, site, preview=False):
        """The linker of this page's language (two queries, shared per content generation and
        audience) for a user or a ``home.privacy.Viewer`` on a site, or None without a visible
        glossary: what the item's shared body ({% shared %}, which has no request) links its
        terms with. A new linker each time: it remembers which terms it linked."""

        def glossary():
            found = visible_pages(
                GlossaryPage.objects.filter(locale_id=self.locale_id), user
            ).first()
            if found is None:
                return None
            terms = GlossaryTerm.objects.filter(locale_id=self.locale_id).only("term", "slug")
            return list(terms), found.get_url(None, current_site=site)

        shared = self.shared_for(user, site, "glossary", glossary, preview=preview)
        return GlossaryLinker(*shared) if shared is not None else None

    def shared_for(self, user, site, name, build, preview=False):
        """``build()`` once per content generation and audience for this page on this site
        (``home.caching.cached``), for a user or a ``home.privacy.Viewer``: its themes, tags,
        related items and glossary terms are the same for every visitor who may see the same
        pages, and cost seven queries (about a third of an uncached page). A preview shows the
        page's unsaved state: built for it alone."""
        if preview or self.pk is None:
            return build()
        parts = ("kennisbank-item", name, self.pk, getattr(site, "pk", None))
        return cached((*parts, audience(user)), build)

    def taxonomy_for(self, user, site, preview=False):
        """The item's themes, tags and related items for a user or a ``home.privacy.Viewer``:
        what its shared top and related list ({% shared %}, which has no request) show."""

        def taxonomy():
            themes, tags = list(self.themes.all()), list(self.tags.all())
            related = self.related_items(user, themes=themes, tags=tags)
            return themes, tags, related

        themes, tags, related = self.shared_for(user, site, "taxonomy", taxonomy, preview=preview)
        return {"themes": themes, "tags": tags, "related": related}

    def get_context(self, request, *args, **kwargs):
        # The themes, tags, related items and glossary are read inside the template's shared
        # blocks: a visitor who gets those blocks from the cache costs no lookup for them.
        context = super().get_context(request, *args, **kwargs)
        if self.accepts_votes:
            context["has_voted"] = has_voted(request, self)
        return context

    #: Guides and articles ask "was this helpful?".
    accepts_votes = False


class VerslagPage(KennisbankItemPage):
    """A meeting report."""

    meeting_date = models.DateField(_("datum van de bijeenkomst"), null=True, blank=True)
    place = models.CharField(_("plaats"), max_length=200, blank=True)
    organiser = models.CharField(
        _("organisator"),
        max_length=200,
        blank=True,
        help_text=_("Wie organiseerde de bijeenkomst?"),
    )
    participating_stadsdorpen = ParentalManyToManyField(
        "home.StadsdorpPage",
        blank=True,
        related_name="kennisbank_reports",
        verbose_name=_("deelnemende stadsdorpen"),
        help_text=_("Stadsdorpen met een eigen pagina op deze website."),
    )
    participants = models.TextField(
        _("andere deelnemers"),
        blank=True,
        max_length=2000,
        help_text=_("Deelnemers zonder eigen pagina op deze website, gescheiden door komma's."),
    )
    body = StreamField(
        [
            ("text", kb_blocks.TextSectionBlock()),
            ("experience", kb_blocks.ExperienceBlock()),
            ("action_points", kb_blocks.ActionPointsBlock()),
        ],
        blank=True,
        verbose_name=_("verslag"),
        help_text=_(
            "Bespreek per onderdeel: besproken onderwerpen, ervaringen per stadsdorp, "
            "conclusies en actiepunten."
        ),
    )
    attachments = StreamField(
        [("document", kb_blocks.DocumentBlock())],
        blank=True,
        verbose_name=_("bijlagen"),
    )

    item_kind = Kind.VERSLAG
    is_creatable = True
    template = "kennisbank/verslag_page.html"

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("meeting_date"), FieldPanel("place")]),
                FieldPanel("organiser"),
                FieldPanel("participating_stadsdorpen", widget=forms.CheckboxSelectMultiple),
                FieldPanel("participants"),
            ],
            heading=_("Over de bijeenkomst"),
        ),
        FieldPanel("summary_text"),
        FieldPanel("body"),
        FieldPanel("attachments"),
    ]
    search_fields = [
        *KennisbankItemPage.search_fields,
        index.SearchField("body"),
        index.SearchField("place"),
        index.SearchField("organiser"),
        index.SearchField("participants"),
    ]

    class Meta:
        verbose_name = _("verslag")
        verbose_name_plural = _("verslagen")

    def get_search_text(self):
        return [
            *super().get_search_text(),
            *[part for part in (self.place, self.organiser, self.participants) if part],
            *self.streamfield_text(self, "body"),
        ]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["stadsdorpen"] = visible_pages(
            StadsdorpPage.objects.filter(
                pk__in=[stadsdorp.pk for stadsdorp in self.participating_stadsdorpen.all()]
            ),
            request.user,
        ).order_by("title")
        return context

    @property
    def participant_list(self):
        return [
            name.strip()
            for line in self.participants.splitlines()
            for name in line.split(",")
            if name.strip()
        ]

    def set_imported_body(self, paragraphs):
        self.body = kb_blocks.paragraphs_to_stream(paragraphs)


class StappenplanPage(KennisbankItemPage):
    """A step-by-step guide with optional phases, numbered steps and a print version."""

    introduction = RichTextField(
        _("inleiding"),
        blank=True,
        features=kb_blocks.TEXT_FEATURES,
        help_text=_("Voor wie is dit stappenplan en wat heeft de lezer aan het eind bereikt?"),
    )
    steps = StreamField(
        [("phase", kb_blocks.PhaseBlock()), ("step", kb_blocks.StepBlock())],
        blank=True,
        verbose_name=_("stappen"),
        help_text=_(
            "Losse stappen, of fasen met elk hun eigen stappen. De nummering gaat vanzelf."
        ),
    )
    preconditions = RichTextField(
        _("randvoorwaarden"),
        blank=True,
        features=kb_blocks.TEXT_FEATURES,
        help_text=_("Wat moet er geregeld zijn om te slagen? Verschijnt na de stappen."),
    )

    item_kind = Kind.STAPPENPLAN
    is_creatable = True
    accepts_votes = True
    template = "kennisbank/stappenplan_page.html"
    print_template = "kennisbank/stappenplan_page_print.html"

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary_text"),
        FieldPanel("introduction"),
        FieldPanel("steps"),
        FieldPanel("preconditions"),
    ]
    search_fields = [
        *KennisbankItemPage.search_fields,
        index.SearchField("introduction"),
        index.SearchField("steps"),
        index.SearchField("preconditions"),
    ]

    class Meta:
        verbose_name = _("stappenplan")
        verbose_name_plural = _("stappenplannen")

    def get_search_text(self):
        parts = super().get_search_text()
        parts += [
            get_text_for_indexing(self.introduction),
            *self.streamfield_text(self, "steps"),
            get_text_for_indexing(self.preconditions),
        ]
        return [part for part in parts if part]

    def get_template(self, request, *args, **kwargs):
        if request.GET.get("print") == "1":
            return self.print_template
        return super().get_template(request, *args, **kwargs)

    @cached_property
    def outline(self):
        """Phases and steps with continuous step numbers and anchors, for the ToC and the body."""
        outline = []
        loose_steps = None
        number = 0

        def step_entry(value):
            nonlocal number
            number += 1
            return {
                "number": number,
                "title": value["title"],
                "anchor": anchor_for("stap", number, value["title"]),
                "value": value,
            }

        for phase_number, block in enumerate(self.steps, start=1):
            if block.block_type == "phase":
                loose_steps = None
                outline.append(
                    {
                        "is_phase": True,
                        "title": block.value["title"],
                        "anchor": anchor_for("fase", phase_number, block.value["title"]),
                        "description": block.value["description"],
                        "steps": [step_entry(step) for step in block.value["steps"]],
                    }
                )
            else:
                if loose_steps is None:
                    loose_steps = {"is_phase": False, "steps": []}
                    outline.append(loose_steps)
                loose_steps["steps"].append(step_entry(block.value))
        return outline

    def set_imported_body(self, paragraphs):
        self.introduction = "".join(f"<p>{escape(p)}</p>" for p in paragraphs if p.strip())


class PublicatiePage(KennisbankItemPage):
    """A research report or other document; the file's text is extracted for search.

    On publish, ``kennisbank.tasks`` enqueues the extraction when the document changed; the task
    stores the text and updates both search indexes.
    """

    key_findings = StreamField(
        [("finding", kb_blocks.FindingBlock())],
        blank=True,
        verbose_name=_("belangrijkste bevindingen"),
    )
    document = models.ForeignKey(
        "wagtaildocs.Document",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("bestand"),
        help_text=_("De publicatie zelf: PDF, Word (DOCX) of OpenDocument (ODT)."),
    )
    body = StreamField(
        [("text", kb_blocks.TextSectionBlock())],
        blank=True,
        verbose_name=_("toelichting"),
    )
    document_text = models.TextField(
        _("tekst uit het bestand"),
        blank=True,
        editable=False,
        help_text=_("Automatisch uit het bestand gehaald, zodat de zoekfunctie erin kan zoeken."),
    )
    document_text_source = models.CharField(max_length=200, blank=True, editable=False)

    item_kind = Kind.PUBLICATIE
    is_creatable = True
    template = "kennisbank/publicatie_page.html"

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary_text"),
        FieldPanel("document"),
        FieldPanel("key_findings"),
        FieldPanel("body"),
    ]
    search_fields = [
        *KennisbankItemPage.search_fields,
        index.SearchField("key_findings"),
        index.SearchField("body"),
        index.SearchField("document_text"),
    ]

    class Meta:
        verbose_name = _("publicatie")
        verbose_name_plural = _("publicaties")

    def get_search_text(self):
        return [
            *super().get_search_text(),
            *self.streamfield_text(self, "key_findings"),
            *self.streamfield_text(self, "body"),
            *([self.document_text] if self.document_text else []),
        ]

    def document_source(self):
        """What ``document_text`` must have been taken from: the document's id and file hash."""
        document = self.document
        if document is None:
            return ""
        return f"{document.pk}:{document.file_hash or document.file.name}"

    def needs_text_extraction(self):
        """Whether the document changed since its text was taken out (``kennisbank/tasks.py``).

        The text is extracted by a background task, never in the editor's request: a 20 MB PDF
        takes seconds, and a hostile one up to the extraction's time limit.
        """
        return self.document_source() != self.document_text_source

    def set_imported_body(self, paragraphs):
        self.body = kb_blocks.paragraphs_to_stream(paragraphs)


class ArtikelPage(KennisbankItemPage):
    """Tips and background."""

    introduction = models.TextField(
        _("intro"),
        blank=True,
        max_length=1000,
        help_text=_("Eén alinea die uitnodigt om verder te lezen."),
    )
    body = StreamField(
        [("text", kb_blocks.TextSectionBlock()), ("tip", kb_blocks.TipBlock())],
        blank=True,
        verbose_name=_("tekst"),
    )

    item_kind = Kind.ARTIKEL
    is_creatable = True
    accepts_votes = True
    template = "kennisbank/artikel_page.html"

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary_text"),
        FieldPanel("introduction"),
        FieldPanel("body"),
    ]
    search_fields = [
        *KennisbankItemPage.search_fields,
        index.SearchField("introduction"),
        index.SearchField("body"),
    ]

    class Meta:
        verbose_name = _("artikel")
        verbose_name_plural = _("artikelen")

    def get_search_text(self):
        parts = [*super().get_search_text(), get_text_for_indexing(self.introduction)]
        return [part for part in parts if part] + self.streamfield_text(self, "body")

    @property
    def numbered_body(self):
        """(block, tip number or None) pairs: tips are numbered in reading order."""
        number = 0
        for block in self.body:
            if block.block_type == "tip":
                number += 1
                yield block, number
            else:
                yield block, None

    def set_imported_body(self, paragraphs):
        self.body = kb_blocks.paragraphs_to_stream(paragraphs)


for _item_model in (VerslagPage, StappenplanPage, PublicatiePage, ArtikelPage):
    _item_model.edit_handler = KennisbankItemPage.build_edit_handler(_item_model.content_panels)

ITEM_MODELS = {
    Kind.VERSLAG: VerslagPage,
    Kind.STAPPENPLAN: StappenplanPage,
    Kind.PUBLICATIE: PublicatiePage,
    Kind.ARTIKEL: ArtikelPage,
}
