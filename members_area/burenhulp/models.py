"""Help requests and standing offers of neighbours, the "Ik help" answers and reports.

A request and an offer are the same thing seen from two sides (what, when, for whom), so they share
one table (``HelpPost``) with a ``kind``; ``HelpRequest`` and ``HelpOffer`` are proxy models for
code that only deals with one of them. Who may see what is decided in one place: ``access.py``.
"""

from datetime import datetime, time, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# How long a post without a date stays up, and when its author is reminded first.
REQUEST_LIFETIME = timedelta(days=30)
OFFER_LIFETIME = timedelta(days=90)
REMINDER_BEFORE = timedelta(days=3)
# Open requests nobody answered for this long are shown to the contact persons.
UNANSWERED_AFTER = timedelta(hours=48)


class Kind(models.TextChoices):
    REQUEST = "request", _("hulpvraag")
    OFFER = "offer", _("aanbod")


class Category(models.TextChoices):
    GROCERIES = "boodschappen", _("Boodschappen")
    TRANSPORT = "vervoer", _("Vervoer")
    HOSPITAL = "ziekenhuis", _("Vervoer naar het ziekenhuis")
    ODD_JOB = "klusje", _("Een klusje")
    COMPANY = "gezelschap", _("Gezelschap")
    OTHER = "anders", _("Iets anders")


class Timing(models.TextChoices):
    DATE = "datum", _("Op een bepaalde dag")
    PERIOD = "periode", _("In een bepaalde periode")
    FLEXIBLE = "flexibel", _("Flexibel: wanneer het uitkomt")


class Reach(models.TextChoices):
    BINNENBUURT = "binnenbuurt", _("Alleen mijn binnenbuurt")
    STADSDORP = "stadsdorp", _("Het hele stadsdorp")


class Status(models.TextChoices):
    OPEN = "open", _("open")
    MATCHED = "matched", _("er helpt iemand")
    CLOSED = "closed", _("afgesloten")
    EXPIRED = "expired", _("verlopen")
    HIDDEN = "hidden", _("verborgen door een contactpersoon")


# Shown in lists: still current. MATCHED stays listed for offers (an offer helps many).
LISTED_STATUSES = (Status.OPEN, Status.MATCHED)
ACTIVE_STATUSES = (Status.OPEN, Status.MATCHED)


class HelpPostQuerySet(models.QuerySet):
    def current(self, now=None):
        """Open or matched and not past its end (also before the expiry job has run)."""
        now = now or timezone.now()
        return self.filter(status__in=ACTIVE_STATUSES, expires_at__gt=now)

    def requests(self):
        return self.filter(kind=Kind.REQUEST)

    def offers(self):
        return self.filter(kind=Kind.OFFER)


HelpPostManager = models.Manager.from_queryset(HelpPostQuerySet)


class RequestManager(HelpPostManager):
    def get_queryset(self):
        return super().get_queryset().filter(kind=Kind.REQUEST)


class OfferManager(HelpPostManager):
    def get_queryset(self):
        return super().get_queryset().filter(kind=Kind.OFFER)


class HelpPost(models.Model):
    kind = models.CharField(_("soort"), max_length=10, choices=Kind.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="help_posts",
        verbose_name=_("van"),
        help_text=_("De buur die hulp vraagt of aanbiedt."),
    )
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="help_posts_on_behalf",
        verbose_name=_("geplaatst door contactpersoon"),
    )
    # Copied from the author's profile when posting: a move to another binnenbuurt later does not
    # carry the post (and its history) along to neighbours who never saw it.
    binnenbuurt = models.ForeignKey(
        "members_area.Binnenbuurt",
        on_delete=models.CASCADE,
        related_name="help_posts",
        verbose_name=_("binnenbuurt"),
    )
    stadsdorp = models.ForeignKey(
        "home.StadsdorpPage",
        on_delete=models.CASCADE,
        related_name="help_posts",
        verbose_name=_("stadsdorp"),
    )
    category = models.CharField(
        _("waarmee"), max_length=20, choices=Category.choices, default=Category.GROCERIES
    )
    title = models.CharField(_("in een paar woorden"), max_length=80)
    description = models.TextField(
        pgettext_lazy("help request", "toelichting"), max_length=1000, blank=True
    )
    timing = models.CharField(
        _("wanneer"), max_length=10, choices=Timing.choices, default=Timing.FLEXIBLE
    )
    date_from = models.DateField(_("datum"), null=True, blank=True)
    date_until = models.DateField(_("tot en met"), null=True, blank=True)
    reach = models.CharField(
        _("wie het mag zien"), max_length=12, choices=Reach.choices, default=Reach.BINNENBUURT
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    created_at = models.DateTimeField(_("geplaatst op"), default=timezone.now)
    updated_at = models.DateTimeField(_("gewijzigd op"), auto_now=True)
    expires_at = models.DateTimeField(_("verloopt op"))
    reminder_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(null=True, blank=True, editable=False)
    hidden_at = models.DateTimeField(null=True, blank=True, editable=False)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    hidden_reason = models.CharField(_("reden van verbergen"), max_length=300, blank=True)
    # The form's one-time token: a second submit of the same form finds the first post.
    form_token = models.CharField(max_length=64, unique=True, null=True, editable=False)

    objects = HelpPostManager()

    class Meta:
        verbose_name = _("burenhulp-bericht")
        verbose_name_plural = _("burenhulp-berichten")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["binnenbuurt", "status", "expires_at"]),
            models.Index(fields=["stadsdorp", "reach", "status", "expires_at"]),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if self.stadsdorp_id is None and self.binnenbuurt_id is not None:
            self.stadsdorp_id = self.binnenbuurt.stadsdorp_id
        if self.expires_at is None:
            self.expires_at = self.compute_expiry(self.created_at)
        super().save(*args, **kwargs)

    @property
    def is_request(self):
        return self.kind == Kind.REQUEST

    @property
    def is_current(self):
        return self.status in ACTIVE_STATUSES and self.expires_at > timezone.now()

    @property
    def is_open(self):
        return self.status == Status.OPEN and self.expires_at > timezone.now()

    @property
    def lifetime(self):
        return REQUEST_LIFETIME if self.is_request else OFFER_LIFETIME

    def compute_expiry(self, now=None):
        """After its day or period; without a date, 30 days (requests) or 90 days (offers)."""
        now = now or timezone.now()
        last_day = self.date_until if self.timing == Timing.PERIOD else self.date_from
        if self.timing != Timing.FLEXIBLE and last_day:
            next_day = datetime.combine(last_day + timedelta(days=1), time.min)
            return timezone.make_aware(next_day)
        return now + self.lifetime


class HelpRequest(HelpPost):
    objects = RequestManager()

    class Meta:
        proxy = True
        verbose_name = _("hulpvraag")
        verbose_name_plural = _("hulpvragen")

    def save(self, *args, **kwargs):
        self.kind = Kind.REQUEST
        super().save(*args, **kwargs)


class HelpOffer(HelpPost):
    objects = OfferManager()

    class Meta:
        proxy = True
        verbose_name = _("hulpaanbod")
        verbose_name_plural = _("hulpaanbod")

    def save(self, *args, **kwargs):
        self.kind = Kind.OFFER
        super().save(*args, **kwargs)


class Response(models.Model):
    """ "Ik help" on a request, or "Graag" on an offer. The one who posted chooses."""

    class State(models.TextChoices):
        OFFERED = "offered", _("wacht op antwoord")
        ACCEPTED = "accepted", _("aangenomen")
        DECLINED = "declined", _("niet nodig")
        WITHDRAWN = "withdrawn", _("ingetrokken")

    post = models.ForeignKey(HelpPost, on_delete=models.CASCADE, related_name="responses")
    helper = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="help_responses",
        verbose_name=_("buur"),
    )
    message = models.TextField(_("bericht"), max_length=500, blank=True)
    # Answering means agreeing to share name, phone and e-mail with the poster once chosen;
    # the poster agrees by choosing. Nothing is shown before both have agreed.
    state = models.CharField(max_length=10, choices=State.choices, default=State.OFFERED)
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("reactie")
        verbose_name_plural = _("reacties")
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(fields=["post", "helper"], name="burenhulp_one_response")
        ]

    def __str__(self):
        return f"{self.helper} → {self.post}"


class Report(models.Model):
    """A member's report of a post; the binnenbuurt's contact persons look at it."""

    post = models.ForeignKey(HelpPost, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="help_reports"
    )
    reason = models.TextField(_("wat is er mis?"), max_length=500)
    created_at = models.DateTimeField(default=timezone.now)
    handled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("melding")
        verbose_name_plural = _("meldingen")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["post", "reporter"], name="burenhulp_one_report")
        ]

    def __str__(self):
        return f"{self.post} ({self.created_at:%d-%m-%Y})"


class NotificationPreference(models.Model):
    """Opt-in: nothing is mailed until the member chooses it."""

    class Mode(models.TextChoices):
        OFF = "off", _("Geen e-mail")
        IMMEDIATE = (
            "immediate",
            _("Meteen een e-mail bij elke nieuwe hulpvraag in mijn binnenbuurt"),
        )
        DAILY = "daily", _("Eén e-mail per dag met wat er nieuw is")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="burenhulp_preference"
    )
    mode = models.CharField(
        _("e-mail over burenhulp"), max_length=10, choices=Mode.choices, default=Mode.OFF
    )
    last_digest_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("e-mailvoorkeur burenhulp")
        verbose_name_plural = _("e-mailvoorkeuren burenhulp")

    def __str__(self):
        return f"{self.user}: {self.get_mode_display()}"
