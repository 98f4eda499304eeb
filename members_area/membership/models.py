"""Applications, the per-stadsdorp membership settings and the membership record of a member.

The member area's own models (``Member``, ``Binnenbuurt``, ``home.StadsdorpPage``) are referenced by
foreign key and never changed here: a ``Membership`` sits next to a ``Member`` and holds what only
the administration needs (consents beyond the member list, status, how they joined). The address is
the member's (``Member.street_address``, ``postcode``, ``city``), kept once.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wagtail.admin.panels import FieldPanel

from home.models import Language
from members_area.addresses import address_line, normalise_postcode, postcode_display


class MembershipSettings(models.Model):
    """Who runs the membership of one stadsdorp (its coordinators and treasurers), and its rules."""

    class Period(models.TextChoices):
        MONTH = "month", _("per maand")
        QUARTER = "quarter", _("per kwartaal")
        YEAR = "year", _("per jaar")

    PERIODS_PER_YEAR = {Period.MONTH: 12, Period.QUARTER: 4, Period.YEAR: 1}

    stadsdorp = models.OneToOneField(
        "home.StadsdorpPage",
        on_delete=models.CASCADE,
        related_name="membership_settings",
        verbose_name=_("stadsdorp"),
    )
    coordinators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="coordinated_stadsdorpen",
        verbose_name=_("coördinatoren"),
        help_text=_(
            "Zij zien de aanmeldingen en de ledenlijst van dit stadsdorp, en keuren nieuwe "
            "leden goed. Coördinatoren van andere stadsdorpen zien hier niets van."
        ),
    )
    # Assigned the same way as the coordinators, on the same row: whoever keeps the money.
    treasurers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="treasurer_of_stadsdorpen",
        verbose_name=_("penningmeesters"),
        help_text=_(
            "Zij zien en houden de contributie van dit stadsdorp bij, sturen herinneringen en "
            "printen de herinneringsbrieven. Aanmeldingen en de ledenadministratie zien zij "
            "niet. De coördinatoren kunnen de contributie ook bijhouden."
        ),
    )
    accepts_applications = models.BooleanField(
        _("aanmelden via de website"),
        default=True,
        help_text=_("Uit: het formulier 'Lid worden' verwijst naar het telefoonnummer."),
    )
    retention_days = models.PositiveIntegerField(
        _("bewaartermijn na einde lidmaatschap (dagen)"),
        default=365,
        validators=[MinValueValidator(0), MaxValueValidator(3650)],
        help_text=_(
            "Zo lang na het einde van een lidmaatschap (of na een afwijzing) bewaren we de "
            "gegevens; daarna worden ze gewist (AVG)."
        ),
    )

    contribution_amount = models.DecimalField(
        _("contributie (euro)"),
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("Het bedrag per termijn, bijvoorbeeld 5,00 per maand. Leeg: geen contributie."),
    )
    contribution_period = models.CharField(
        _("termijn"), max_length=10, choices=Period, default=Period.MONTH
    )
    payment_instructions = models.TextField(
        _("zo betaalt u"),
        blank=True,
        max_length=1000,
        help_text=_(
            "Staat in de herinneringen, bijvoorbeeld: 'Maak het bedrag over op NL00 BANK 0123 "
            "4567 89 t.n.v. Stadsdorp Noord, of geef het contant aan uw contactpersoon.'"
        ),
    )

    panels = [
        FieldPanel("stadsdorp"),
        FieldPanel("coordinators"),
        FieldPanel("treasurers"),
        FieldPanel("accepts_applications"),
        FieldPanel("retention_days"),
        FieldPanel("contribution_amount"),
        FieldPanel("contribution_period"),
        FieldPanel("payment_instructions"),
    ]

    class Meta:
        verbose_name = _("lidmaatschap van een stadsdorp")
        verbose_name_plural = _("lidmaatschap per stadsdorp")

    def __str__(self):
        return str(self.stadsdorp)

    @property
    def yearly_contribution(self):
        """What a member pays in a year, or None when the stadsdorp asks no contribution."""
        if self.contribution_amount is None:
            return None
        return self.contribution_amount * self.PERIODS_PER_YEAR[self.contribution_period]


class BinnenbuurtArea(models.Model):
    """The streets and postcodes of one binnenbuurt, as its coordinators write them down.

    Plain text, one entry a line, so that a volunteer can paste a list from a spreadsheet:
    a street name ("Ringdijk"), or a postcode range ("1097 AA - 1097 CZ" or "1092").
    """

    binnenbuurt = models.OneToOneField(
        "members_area.Binnenbuurt",
        on_delete=models.CASCADE,
        related_name="area",
        verbose_name=_("binnenbuurt"),
    )
    streets = models.TextField(
        _("straten"),
        blank=True,
        help_text=_("Eén straatnaam per regel, zonder huisnummer."),
    )
    postcodes = models.TextField(
        _("postcodes"),
        blank=True,
        help_text=_(
            "Eén postcode of reeks per regel, bijvoorbeeld '1097 AA - 1097 CZ' of alleen '1092'."
        ),
    )

    class Meta:
        verbose_name = _("straten en postcodes van een binnenbuurt")
        verbose_name_plural = _("straten en postcodes van binnenbuurten")

    def __str__(self):
        return str(self.binnenbuurt)


class Source(models.TextChoices):
    """How someone joined: an application and the membership it became keep the same value."""

    ONLINE = "online", _("via de website")
    PAPER = "paper", _("op een papieren formulier")
    PHONE = "phone", _("telefonisch")
    MEETING = "meeting", _("op een bijeenkomst")
    IMPORT = "import", _("uit een ledenlijst ingelezen")


class Application(models.Model):
    """Someone who asked to become a member: online, on paper, by phone or at a meeting."""

    class Status(models.TextChoices):
        NEW = "new", _("nieuw")
        ON_HOLD = "on_hold", _("even laten liggen")
        APPROVED = "approved", _("lid geworden")
        DECLINED = "declined", _("afgewezen")

    OPEN_STATUSES = (Status.NEW, Status.ON_HOLD)

    class HeardFrom(models.TextChoices):
        UNSAID = "", _("Zeg ik liever niet")
        NEIGHBOURS = "neighbours", _("Via buren, vrienden of familie")
        FLYER = "flyer", _("Via een folder of poster")
        MEETING = "meeting", _("Op een bijeenkomst")
        WEBSITE = "website", _("Via de website")
        NEWSPAPER = "newspaper", _("Via de krant of het buurtblad")
        PROFESSIONAL = "professional", _("Via de huisarts, het buurtteam of een andere organisatie")
        OTHER = "other", _("Anders")

    stadsdorp = models.ForeignKey(
        "home.StadsdorpPage",
        on_delete=models.CASCADE,
        related_name="membership_applications",
        verbose_name=_("stadsdorp"),
    )
    first_name = models.CharField(_("voornaam"), max_length=150)
    last_name = models.CharField(_("achternaam"), max_length=150)
    street_address = models.CharField(_("straat en huisnummer"), max_length=200)
    postcode = models.CharField(_("postcode"), max_length=7)
    city = models.CharField(_("woonplaats"), max_length=100, blank=True)
    phone = models.CharField(_("telefoonnummer"), max_length=30, blank=True)
    email = models.EmailField(_("e-mailadres"), blank=True)
    language = models.CharField(
        _("voorkeurstaal"), max_length=5, choices=Language, default=Language.NL
    )
    heard_from = models.CharField(_("hoe kent u ons"), max_length=20, choices=HeardFrom, blank=True)
    binnenbuurt = models.ForeignKey(
        "members_area.Binnenbuurt",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("gekozen binnenbuurt"),
    )
    suggested_binnenbuurt = models.ForeignKey(
        "members_area.Binnenbuurt",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("voorgestelde binnenbuurt"),
    )
    share_phone = models.BooleanField(_("naam en telefoon op de lijst"), default=False)
    share_address = models.BooleanField(_("adres op de lijst"), default=False)
    prefers_phone = models.BooleanField(_("liever gebeld"), default=False)
    paper_newsletter = models.BooleanField(_("nieuwsbrief op papier"), default=False)
    note = models.TextField(_("opmerking"), blank=True, max_length=2000)

    source = models.CharField(_("aangemeld"), max_length=10, choices=Source, default=Source.ONLINE)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("ingevoerd door"),
    )
    # The one-time id of the form that was shown: a second post of the same form is the same
    # application (home.form_protection).
    submission_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    created_at = models.DateTimeField(
        pgettext_lazy("membership application", "aangemeld op"), default=timezone.now
    )

    status = models.CharField(
        _("stand van zaken"), max_length=10, choices=Status, default=Status.NEW
    )
    decision_message = models.TextField(_("bericht aan de aanmelder"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("behandeld door"),
    )
    decided_at = models.DateTimeField(_("behandeld op"), null=True, blank=True)
    member = models.OneToOneField(
        "members_area.Member",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="application",
        verbose_name=_("lid"),
    )

    class Meta:
        verbose_name = pgettext_lazy("membership application", "aanmelding")
        verbose_name_plural = pgettext_lazy("membership application", "aanmeldingen")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["stadsdorp", "status", "-created_at"])]

    def __str__(self):
        return f"{self.full_name} ({self.created_at:%d-%m-%Y})"

    def save(self, *args, **kwargs):
        self.postcode = normalise_postcode(self.postcode)
        self.email = self.email.strip().lower()
        super().save(*args, **kwargs)

    @property
    def full_name(self):
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def is_open(self):
        return self.status in self.OPEN_STATUSES

    @property
    def address_line(self):
        return address_line(self.street_address, self.postcode, self.city)

    @property
    def postcode_display(self):
        return postcode_display(self.postcode)


class Membership(models.Model):
    """What the administration keeps about one member, beside the member area's profile."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("lid")
        ENDED = "ended", _("opgezegd")

    member = models.OneToOneField(
        "members_area.Member",
        on_delete=models.CASCADE,
        related_name="membership",
        verbose_name=_("lid"),
    )
    stadsdorp = models.ForeignKey(
        "home.StadsdorpPage",
        on_delete=models.PROTECT,
        related_name="memberships",
        verbose_name=_("stadsdorp"),
    )
    # The address itself is the member's (Member.street_address, postcode, city): one copy, which
    # the member's profile edits; this is only the consent to put it on the binnenbuurt's list.
    share_address = models.BooleanField(_("adres op de lijst van de binnenbuurt"), default=False)
    prefers_phone = models.BooleanField(_("bel mij liever"), default=False)
    paper_newsletter = models.BooleanField(_("nieuwsbrief op papier"), default=False)
    source = models.CharField(_("aangemeld"), max_length=10, choices=Source, default=Source.ONLINE)
    member_since = models.DateField(_("lid sinds"), default=timezone.localdate)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.ACTIVE)
    ended_on = models.DateField(_("einddatum"), null=True, blank=True)
    end_reason = models.CharField(_("reden van opzeggen"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("lidmaatschap")
        verbose_name_plural = _("lidmaatschappen")
        indexes = [models.Index(fields=["stadsdorp", "status"])]

    def __str__(self):
        return str(self.member)


class MemberImport(models.Model):
    """An uploaded member list between its preview and the coordinator's "Inlezen".

    The file is stored privately (never under a served media folder) and deleted once it has been
    read in; unread uploads go with ``purge_memberships`` after a day.
    """

    stadsdorp = models.ForeignKey("home.StadsdorpPage", on_delete=models.CASCADE, related_name="+")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    file = models.FileField(upload_to="membership-imports/")
    filename = models.CharField(max_length=255)
    binnenbuurt_column = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("ingelezen ledenlijst")
        verbose_name_plural = _("ingelezen ledenlijsten")


class EmailChange(models.Model):
    """A member's request to log in with another e-mail address, until the new address confirms.

    The link in the confirmation e-mail carries only this row's id and a random nonce, signed and
    time-limited (``self_service.py``); the row keeps a hash of the nonce, so a leaked database
    does not give working links. The login address changes only when the link is used, once.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="email_changes"
    )
    old_email = models.EmailField(_("oud e-mailadres"), blank=True)
    new_email = models.EmailField(_("nieuw e-mailadres"))
    nonce_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("wijziging van een e-mailadres")
        verbose_name_plural = _("wijzigingen van e-mailadressen")

    def __str__(self):
        return f"{self.user_id}: {self.new_email}"


def current_year():
    return timezone.localdate().year


class Contribution(models.Model):
    """One member's contribution for one year: paid, not (yet) paid, or exempt.

    Written only through ``contributions.py`` (the treasurer's screen, the import, and a payment
    provider if one is ever connected); one row per membership and year.
    """

    class Status(models.TextChoices):
        OPEN = "open", _("niet betaald")
        PAID = "paid", _("betaald")
        EXEMPT = "exempt", _("vrijgesteld")

    class Method(models.TextChoices):
        TRANSFER = "transfer", _("overboeking")
        CASH = "cash", _("contant")
        DIRECT_DEBIT = "debit", _("automatische incasso")
        ONLINE = "online", _("online betaald")
        OTHER = "other", _("anders")

    membership = models.ForeignKey(
        Membership,
        on_delete=models.CASCADE,
        related_name="contributions",
        verbose_name=_("lidmaatschap"),
    )
    year = models.PositiveSmallIntegerField(_("jaar"), default=current_year)
    status = models.CharField(_("betaald?"), max_length=10, choices=Status, default=Status.OPEN)
    amount = models.DecimalField(
        _("bedrag (euro)"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    paid_on = models.DateField(_("betaald op"), null=True, blank=True)
    method = models.CharField(_("hoe"), max_length=10, choices=Method, blank=True)
    # A bank statement line or, with a payment provider, its payment id (keeps a repeated
    # notification from the provider harmless).
    reference = models.CharField(_("kenmerk"), max_length=100, blank=True)
    note = models.CharField(_("opmerking"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("bijgewerkt door"),
    )
    updated_at = models.DateTimeField(_("bijgewerkt op"), default=timezone.now)
    reminded_at = models.DateTimeField(_("herinnering gestuurd op"), null=True, blank=True)
    # When the reminder of the batch marked at ``reminded_at`` went out (``contributions.
    # send_reminders``): a retried batch skips whoever already got theirs.
    reminder_sent_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("contributie")
        verbose_name_plural = _("contributies")
        constraints = [
            models.UniqueConstraint(fields=["membership", "year"], name="one_contribution_a_year")
        ]
        indexes = [models.Index(fields=["year", "status"])]

    def __str__(self):
        return f"{self.membership} {self.year}: {self.get_status_display()}"
