"""The agenda and its activities: page types with recurrence and privacy.

Privacy of non-public events uses Wagtail's own view restrictions on the event page (synced from
the ``audience`` field on save); see https://docs.wagtail.org/en/stable/advanced_topics/privacy.html
"""

from datetime import timedelta
from decimal import Decimal

from modelcluster.fields import ParentalKey

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import formats
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.images import get_image_model_string
from wagtail.models import Orderable, Page, PageViewRestriction
from wagtail.search import index

from home.models import BasePage, IntroductionMixin

from .. import recurrence
from .snippets import EventCategory, Location


class EventIndexPage(RoutablePageMixin, IntroductionMixin, BasePage):
    """The agenda: list, month calendar, archive, print view and iCal feeds (see events.views)."""

    # The routes' views (``events.views``) query these page types, so this module does not import
    # them; ``EventsConfig.ready()`` hands them to both page types (docs/architecture.md).
    views = None

    content_panels = [*Page.content_panels, FieldPanel("introduction")]
    search_fields = [*BasePage.search_fields, index.SearchField("introduction")]

    parent_page_types = ["home.HomePage"]
    subpage_types = ["events.EventPage"]

    class Meta:
        verbose_name = _("agenda")
        verbose_name_plural = _("agenda's")

    @path("")
    def list_view(self, request):
        return self.views.agenda_list(request, self)

    @path("maand/")
    def month_view(self, request):
        return self.views.agenda_month(request, self)

    @path("archief/")
    def archive_view(self, request):
        return self.views.agenda_archive(request, self)

    @path("afdrukken/")
    def print_view(self, request):
        return self.views.agenda_print(request, self)

    @path("ical/")
    def feed_view(self, request):
        return self.views.agenda_feed(request, self)

    @path("ical/<slug:category>/")
    def category_feed_view(self, request, category):
        return self.views.agenda_feed(request, self, category_slug=category)


class EventPage(RoutablePageMixin, BasePage):
    """One activity, possibly recurring, possibly with sign-up."""

    views = None  # events.views, from EventsConfig.ready() (as EventIndexPage.views)
    # Set on the copies a list of another language shows (events.listings.localise). A template
    # that asks a page for a missing attribute costs Django a dir() of the page (0.1 ms): the
    # event's own page lists its dates with this default.
    in_other_language = False
    # The page description's last resort for pages that have one (templates/includes/meta.html).
    introduction = ""

    class Audience(models.TextChoices):
        PUBLIC = "public", _("Iedereen")
        MEMBERS = "members", _("Alleen leden")
        BINNENBUURT = "binnenbuurt", _("Eén binnenbuurt")

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Gaat door")
        CANCELLED = "cancelled", _("Geannuleerd")

    class WeekOfMonth(models.IntegerChoices):
        FIRST = 1, _("eerste")
        SECOND = 2, _("tweede")
        THIRD = 3, _("derde")
        FOURTH = 4, _("vierde")
        LAST = -1, _("laatste")

    start = models.DateTimeField(
        _("begin"), help_text=_("Datum en tijd in Nederlandse tijd. Bij een reeks: de eerste keer.")
    )
    end = models.DateTimeField(_("einde"), help_text=_("Datum en tijd waarop het afloopt."))
    all_day = models.BooleanField(
        _("hele dag"), default=False, help_text=_("Dan tonen we geen tijden, alleen de datum.")
    )
    location = models.ForeignKey(
        Location,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
        verbose_name=_("locatie"),
    )
    category = models.ForeignKey(
        EventCategory,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
        verbose_name=_("soort activiteit"),
    )
    stadsdorp = models.ForeignKey(
        "home.StadsdorpPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
        verbose_name=_("stadsdorp"),
        help_text=_("Het stadsdorp dat dit organiseert; leeg laten voor het hele netwerk."),
    )
    organiser_name = models.CharField(_("organisator"), max_length=120, blank=True)
    contact_name = models.CharField(_("contactpersoon"), max_length=120, blank=True)
    contact_email = models.EmailField(_("e-mailadres contactpersoon"), blank=True)
    contact_phone = models.CharField(_("telefoon contactpersoon"), max_length=40, blank=True)
    price = models.DecimalField(
        _("prijs (euro)"),
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Leeg laten of 0 invullen als het gratis is."),
    )
    price_note = models.CharField(
        _("toelichting op de prijs"),
        max_length=120,
        blank=True,
        help_text=_("Bijvoorbeeld: 'inclusief koffie' of 'leden betalen de helft'."),
    )
    description = RichTextField(_("beschrijving"), blank=True)
    image = models.ForeignKey(
        get_image_model_string(),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("afbeelding"),
    )
    audience = models.CharField(
        _("voor wie"),
        max_length=20,
        choices=Audience,
        default=Audience.PUBLIC,
        help_text=_(
            "'Alleen leden' en 'Eén binnenbuurt' verbergen de activiteit voor bezoekers die "
            "niet zijn ingelogd (of niet in die binnenbuurt zitten), ook in de agenda en feeds."
        ),
    )
    audience_group = models.ForeignKey(
        "auth.Group",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("binnenbuurt"),
        help_text=_("Alleen nodig bij 'Eén binnenbuurt': de groep van die binnenbuurt."),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.SCHEDULED)
    cancellation_reason = models.CharField(
        _("reden van annulering"),
        max_length=200,
        blank=True,
        help_text=_("Wordt getoond bij een geannuleerde activiteit."),
    )

    frequency = models.CharField(
        _("herhaling"),
        max_length=20,
        choices=recurrence.Frequency,
        default=recurrence.Frequency.NONE,
        blank=True,
    )
    week_of_month = models.SmallIntegerField(
        _("welke week van de maand"),
        choices=WeekOfMonth,
        null=True,
        blank=True,
        help_text=_(
            "Alleen bij 'elke maand': bijvoorbeeld 'tweede' voor elke 2e dinsdag. De weekdag is "
            "die van de eerste keer. Leeg laten: afgeleid van de eerste datum."
        ),
    )
    repeat_until = models.DateField(
        _("herhalen tot en met"),
        null=True,
        blank=True,
        help_text=_("Een reeks heeft een einddatum óf een aantal keer; hoogstens twee jaar."),
    )
    repeat_count = models.PositiveSmallIntegerField(
        _("aantal keer"),
        null=True,
        blank=True,
        help_text=_("In plaats van een einddatum: hoe vaak het in totaal plaatsvindt (max. 500)."),
    )
    # Computed on save: the end of the last occurrence, so lists can select by window cheaply.
    series_end = models.DateTimeField(editable=False, null=True, db_index=True)

    signup_enabled = models.BooleanField(
        _("aanmelden mogelijk"),
        default=False,
        help_text=_("Zet aan als mensen zich moeten aanmelden."),
    )
    capacity = models.IntegerField(
        _("aantal plaatsen"),
        null=True,
        blank=True,
        help_text=_("Leeg laten als er geen maximum is. Bij een reeks: per keer."),
    )
    signup_deadline = models.DateTimeField(
        _("aanmelden kan tot"),
        null=True,
        blank=True,
        help_text=_("Leeg laten: aanmelden kan tot het begin. Bij een reeks geldt dit niet."),
    )
    max_per_signup = models.IntegerField(
        _("maximaal aantal personen per aanmelding"),
        default=2,
        help_text=_("Hoeveel mensen iemand in één keer mag aanmelden (bijvoorbeeld 2)."),
    )
    waitlist_enabled = models.BooleanField(
        _("wachtlijst"),
        default=True,
        help_text=_(
            "Als het vol is, komen nieuwe aanmeldingen op de wachtlijst. Wie afmeldt maakt plaats "
            "voor de eerste op de wachtlijst."
        ),
    )

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("start"), FieldPanel("end")]), FieldPanel("all_day")],
            heading=_("Wanneer"),
        ),
        FieldPanel("location"),
        FieldRowPanel([FieldPanel("category"), FieldPanel("stadsdorp")]),
        FieldPanel("description"),
        FieldPanel("image"),
        FieldRowPanel([FieldPanel("price"), FieldPanel("price_note")], heading=_("Prijs")),
        MultiFieldPanel(
            [
                FieldPanel("organiser_name"),
                FieldPanel("contact_name"),
                FieldRowPanel([FieldPanel("contact_email"), FieldPanel("contact_phone")]),
            ],
            heading=_("Organisatie en contact"),
        ),
        MultiFieldPanel(
            [FieldPanel("audience"), FieldPanel("audience_group")], heading=_("Voor wie")
        ),
        MultiFieldPanel(
            [FieldPanel("status"), FieldPanel("cancellation_reason")],
            heading=_("Gaat het door?"),
        ),
    ]
    recurrence_panels = [
        MultiFieldPanel(
            [
                FieldPanel("frequency"),
                FieldPanel("week_of_month"),
                FieldRowPanel([FieldPanel("repeat_until"), FieldPanel("repeat_count")]),
            ],
            heading=_("Herhaling"),
        ),
        InlinePanel(
            "exceptions",
            heading=_("Uitzonderingen"),
            label=_("uitzondering"),
            help_text=_("Een keer die niet doorgaat of naar een andere tijd is verplaatst."),
        ),
    ]
    signup_panels = [
        FieldPanel("signup_enabled"),
        FieldRowPanel([FieldPanel("capacity"), FieldPanel("max_per_signup")]),
        FieldPanel("signup_deadline"),
        FieldPanel("waitlist_enabled"),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading=_("Activiteit")),
            ObjectList(recurrence_panels, heading=_("Herhaling")),
            ObjectList(signup_panels, heading=_("Aanmelden")),
            ObjectList(BasePage.promote_panels, heading=_("Webadres en delen")),
            ObjectList(Page.settings_panels, heading=_("Instellingen")),
        ]
    )
    search_fields = [
        *BasePage.search_fields,
        index.SearchField("description"),
        index.FilterField("start"),
        index.FilterField("audience"),
    ]

    parent_page_types = ["events.EventIndexPage", "members_area.BinnenbuurtPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("activiteit")
        verbose_name_plural = _("activiteiten")

    # ---- derived values

    @property
    def is_cancelled(self):
        return self.status == self.Status.CANCELLED

    @property
    def is_recurring(self):
        return bool(self.frequency)

    @property
    def is_free(self):
        return not self.price or self.price == Decimal("0")

    @property
    def rule(self):
        return recurrence.Rule(
            frequency=self.frequency,
            week_of_month=self.week_of_month,
            until=self.repeat_until,
            count=self.repeat_count,
        )

    def load_for_serving(self):
        """What the event's page reads on every request, loaded once per content generation
        with the routed page (``cms.sites.child_route``): its dates' exceptions, its language,
        place, kind and stadsdorp (all followed models). Three queries per request otherwise."""
        self._attached_exceptions = list(self.exceptions.all())
        for name in ("locale", "location", "category", "stadsdorp"):
            getattr(self, name)

    def exception_rows(self):
        """The exceptions, from ``events.listings.attach_exceptions`` when it fetched them."""
        attached = getattr(self, "_attached_exceptions", None)
        if attached is not None:
            return attached
        return list(self.exceptions.all())

    def exception_list(self):
        return [
            recurrence.Exception_(
                date=item.date,
                kind=item.kind,
                new_start=item.new_start,
                new_end=item.new_end,
                note=item.note,
            )
            for item in self.exception_rows()
        ]

    def raw_occurrences(self, window_start=None, window_end=None):
        return recurrence.expand(
            self.start,
            self.end,
            self.rule,
            self.exception_list(),
            window_start=window_start,
            window_end=window_end,
        )

    @property
    def recurrence_text(self):
        """The rule in words, e.g. "Elke tweede dinsdag van de maand, tot en met 1 juni 2027"."""
        if not self.is_recurring:
            return ""
        day = formats.date_format(self.local_start, "l")
        if self.frequency == recurrence.Frequency.WEEKLY:
            text = _("Elke week op %(day)s") % {"day": day}
        elif self.frequency == recurrence.Frequency.BIWEEKLY:
            text = _("Eens in de twee weken op %(day)s") % {"day": day}
        else:
            nth = self.week_of_month or recurrence.default_week_of_month(self.local_start)
            text = _("Elke %(nth)s %(day)s van de maand") % {
                "nth": self.WeekOfMonth(nth).label,
                "day": day,
            }
        if self.repeat_until:
            until = formats.date_format(self.repeat_until, "j F Y")
            text = _("%(rule)s, tot en met %(until)s") % {"rule": text, "until": until}
        elif self.repeat_count:
            text = _("%(rule)s, %(count)s keer") % {"rule": text, "count": self.repeat_count}
        return text

    @cached_property
    def local_start(self):
        return recurrence.to_local(self.start)

    # ---- validation

    def clean(self):
        super().clean()
        errors = {}
        if self.start and self.end and self.end < self.start:
            errors["end"] = _("Het einde ligt vóór het begin. Controleer de datum en tijd.")
        if self.capacity is not None and self.capacity < 0:
            errors["capacity"] = _("Het aantal plaatsen kan niet negatief zijn.")
        if self.max_per_signup is not None and self.max_per_signup < 1:
            errors["max_per_signup"] = _(
                "Iemand moet zich met minstens 1 persoon kunnen aanmelden."
            )
        if self.signup_deadline and self.start and self.signup_deadline > self.start:
            errors["signup_deadline"] = _(
                "De uiterste aanmelddatum ligt na het begin van de activiteit. Kies een moment "
                "vóór het begin."
            )
        if self.frequency:
            if not self.repeat_until and not self.repeat_count:
                errors["repeat_until"] = _(
                    "Een herhaling heeft een einde nodig: vul een einddatum of een aantal keer in."
                )
            if self.repeat_until and self.repeat_count:
                errors["repeat_count"] = _(
                    "Vul óf een einddatum óf een aantal keer in, niet allebei."
                )
            if self.repeat_until and self.start:
                if self.repeat_until < recurrence.to_local(self.start).date():
                    errors["repeat_until"] = _("De einddatum van de herhaling ligt vóór het begin.")
                elif (
                    self.repeat_until
                    > (self.start + timedelta(days=recurrence.MAX_SERIES_DAYS)).date()
                ):
                    errors["repeat_until"] = _(
                        "Een reeks kan hoogstens twee jaar duren. Maak daarna een nieuwe reeks."
                    )
            if self.repeat_count is not None and not 1 <= self.repeat_count <= 500:
                errors["repeat_count"] = _("Het aantal keer moet tussen 1 en 500 liggen.")
        if self.audience == self.Audience.BINNENBUURT and not self.audience_group_id:
            errors["audience_group"] = _("Kies voor welke binnenbuurt deze activiteit is.")
        if errors:
            raise ValidationError(errors)

    # ---- saving: series end and privacy

    def save(self, *args, **kwargs):
        if self.start and self.end:
            try:
                exceptions = self.exception_list()
            except ValueError:  # unsaved inline rows
                exceptions = []
            self.series_end = recurrence.series_end(self.start, self.end, self.rule, exceptions)
        result = super().save(*args, **kwargs)
        update_fields = kwargs.get("update_fields")
        # Saving a draft only updates bookkeeping fields of the live page; the restriction
        # follows the audience when the page itself is saved (creation, publishing).
        if update_fields is None or "audience" in update_fields:
            self.sync_view_restriction()
        return result

    def sync_view_restriction(self):
        """Keep this page's own login/group view restriction in line with ``audience``.

        The audience field owns the LOGIN/GROUPS restriction on the event page itself; password
        restrictions and restrictions on ancestors (set by hand) are left alone.
        """
        own = PageViewRestriction.objects.filter(
            page=self,
            restriction_type__in=[PageViewRestriction.LOGIN, PageViewRestriction.GROUPS],
        )
        if self.audience == self.Audience.MEMBERS:
            restriction = own.first()
            if restriction is None or restriction.restriction_type != PageViewRestriction.LOGIN:
                own.delete()
                PageViewRestriction.objects.create(
                    page=self, restriction_type=PageViewRestriction.LOGIN
                )
            else:
                restriction.groups.clear()
        elif self.audience == self.Audience.BINNENBUURT and self.audience_group_id:
            restriction = own.first()
            if restriction is None or restriction.restriction_type != PageViewRestriction.GROUPS:
                own.delete()
                restriction = PageViewRestriction.objects.create(
                    page=self, restriction_type=PageViewRestriction.GROUPS
                )
            restriction.groups.set([self.audience_group_id])
        elif self.audience == self.Audience.PUBLIC:
            own.delete()

    # ---- routes

    @path("")
    def detail_view(self, request):
        return self.views.event_detail(request, self)

    @path("ical/")
    def ical_view(self, request):
        return self.views.event_ical(request, self)

    @path("aanmelden/")
    def signup_view(self, request):
        return self.views.event_signup(request, self)


class EventException(Orderable):
    """One date of a series that is cancelled or moved."""

    class Kind(models.TextChoices):
        CANCELLED = "cancelled", _("Gaat niet door")
        MOVED = "moved", _("Verplaatst")

    page = ParentalKey(EventPage, on_delete=models.CASCADE, related_name="exceptions")
    date = models.DateField(
        _("datum in de reeks"), help_text=_("De datum waarop het normaal zou plaatsvinden.")
    )
    kind = models.CharField(_("wat"), max_length=20, choices=Kind, default=Kind.CANCELLED)
    new_start = models.DateTimeField(
        _("nieuw begin"), null=True, blank=True, help_text=_("Alleen bij verplaatsen.")
    )
    new_end = models.DateTimeField(_("nieuw einde"), null=True, blank=True)
    note = models.CharField(
        _("toelichting"),
        max_length=200,
        blank=True,
        help_text=_("Bijvoorbeeld: 'wegens Koningsdag' of 'in de bibliotheek'."),
    )

    panels = [
        FieldRowPanel([FieldPanel("date"), FieldPanel("kind")]),
        FieldRowPanel([FieldPanel("new_start"), FieldPanel("new_end")]),
        FieldPanel("note"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("uitzondering")
        verbose_name_plural = _("uitzonderingen")

    def clean(self):
        super().clean()
        if self.kind == self.Kind.MOVED and not self.new_start:
            raise ValidationError({"new_start": _("Vul in naar wanneer het is verplaatst.")})
        if self.new_start and self.new_end and self.new_end < self.new_start:
            raise ValidationError({"new_end": _("Het nieuwe einde ligt vóór het nieuwe begin.")})
