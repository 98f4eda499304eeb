"""Newsletter issues and their web archive, subscribers, deliveries and personal calendar feeds.

The send state of an issue lives in ``Dispatch`` (one per issue), not on the page itself: page
fields are part of Wagtail's revisions, so publishing an older revision would otherwise roll the
send state back. See README.md in this folder for how sending works and how cron runs it.
"""

import hashlib
import hmac
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from home.models import BasePage, IntroductionMixin, Language
from home.privacy import visible_pages

from .blocks import NewsletterStreamBlock, default_body


def normalise_email(value):
    """Addresses are compared without regard to case: one subscriber per mailbox."""
    return (value or "").strip().lower()


# --- Pages ---------------------------------------------------------------------------------------


class NewsletterIndexPage(IntroductionMixin, BasePage):
    """The public web archive of sent issues (public sections only)."""

    content_panels = [
        *Page.content_panels,
        FieldPanel(
            "introduction",
            help_text=_(
                "Een korte tekst boven het archief, bijvoorbeeld hoe vaak de nieuwsbrief komt."
            ),
        ),
    ]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["subscriptions.NewsletterPage"]
    max_count_per_parent = 1
    template = "subscriptions/newsletter_index_page.html"

    class Meta:
        verbose_name = _("nieuwsbriefarchief")
        verbose_name_plural = _("nieuwsbriefarchieven")

    def sent_issues(self, user=None):
        queryset = (
            NewsletterPage.objects.child_of(self)
            .filter(dispatch__status=Dispatch.Status.SENT)
            .select_related("dispatch")
            .order_by("-dispatch__started_at")
        )
        return list(visible_pages(queryset, user))

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["issues"] = self.sent_issues(request.user)
        return context


class NewsletterPage(IntroductionMixin, BasePage):
    """One issue: an introduction, then sections (automatic ones are resolved per subscriber)."""

    body = StreamField(
        NewsletterStreamBlock(),
        blank=True,
        default=default_body,
        verbose_name=_("rubrieken"),
        help_text=_(
            "Automatische blokken worden bij het versturen gevuld met wat nieuw is sinds de "
            "vorige nieuwsbrief. Versleep, verwijder of voeg blokken toe. Met 'Vul automatisch' "
            "(knop 'Nieuwsbrief versturen') zet u de huidige berichten vast, zodat u ze kunt "
            "inkorten."
        ),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel(
            "introduction",
            help_text=_("Een persoonlijk woord vooraf; staat bovenaan in de e-mail."),
        ),
        FieldPanel("body"),
    ]
    search_fields = [*BasePage.search_fields, index.SearchField("introduction")]
    parent_page_types = ["subscriptions.NewsletterIndexPage"]
    subpage_types = []
    template = "subscriptions/newsletter_page.html"
    # The composition (``composition.py``) reads this model's dispatch, so this module does not
    # import it; ``SubscriptionsConfig.ready()`` hands it over.
    composition = None

    class Meta:
        verbose_name = _("nieuwsbrief")
        verbose_name_plural = _("nieuwsbrieven")

    @property
    def dispatch_or_none(self):
        try:
            return self.dispatch
        except Dispatch.DoesNotExist:
            return None

    @property
    def is_sent(self):
        dispatch = self.dispatch_or_none
        return bool(dispatch and dispatch.status == Dispatch.Status.SENT)

    def serve(self, request, *args, **kwargs):
        # The web archive shows an issue once it has been sent; before that, only editors (who
        # must publish it in order to send it) can open it.
        if not self.is_sent and not self.permissions_for_user(request.user).can_edit():
            raise Http404
        return super().serve(request, *args, **kwargs)

    def get_sitemap_urls(self, request=None):
        return super().get_sitemap_urls(request) if self.is_sent else []

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["sections"] = self.composition.public_sections(self)
        context["dispatch"] = self.dispatch_or_none
        return context


# --- Subscribers ---------------------------------------------------------------------------------


class SubscriberAdminForm(WagtailAdminModelForm):
    """The editors' form: add someone who gave consent on paper, or correct a subscription."""

    def clean_email(self):
        email = normalise_email(self.cleaned_data.get("email"))
        duplicate = Subscriber.objects.filter(email__iexact=email).exclude(pk=self.instance.pk)
        existing = duplicate.first()
        if existing is not None:
            raise ValidationError(
                _(
                    "Dit e-mailadres staat al in de lijst (status: %(status)s). Open die "
                    "inschrijving om haar te wijzigen, zo krijgt niemand de nieuwsbrief dubbel."
                )
                % {"status": existing.get_status_display()}
            )
        return email

    def clean(self):
        cleaned = super().clean()
        source = cleaned.get("consent_source")
        if (
            self.instance.pk is None
            and source == Subscriber.Source.PAPER
            and not cleaned.get("consent_note")
        ):
            self.add_error(
                "consent_note",
                _("Schrijf op waar en wanneer de toestemming op papier is gegeven."),
            )
        return cleaned

    def save(self, commit=True):
        subscriber = super().save(commit=False)
        if subscriber.pk is None:
            subscriber.consent_recorded_at = timezone.now()
            if self.for_user is not None and self.for_user.is_authenticated:
                subscriber.recorded_by = self.for_user
            if subscriber.consent_source in (Subscriber.Source.PAPER, Subscriber.Source.MEMBER):
                # Signed on paper (or a member): no confirmation e-mail needed.
                subscriber.status = Subscriber.Status.ACTIVE
        if commit:
            subscriber.save()
        return subscriber


class Subscriber(models.Model):
    """Someone who receives the newsletter: a member (by default) or a confirmed non-member."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Wacht op bevestiging")
        ACTIVE = "active", _("Actief")
        UNSUBSCRIBED = "unsubscribed", pgettext_lazy("newsletter", "Afgemeld")

    class Source(models.TextChoices):
        WEBSITE = "website", _("Aangemeld op de website (bevestigd per e-mail)")
        PAPER = "paper", _("Toestemming op papier")
        MEMBER = "member", _("Lid (standaard ingeschreven)")

    email = models.EmailField(_("e-mailadres"), max_length=254, unique=True)
    name = models.CharField(_("naam"), max_length=150, blank=True)
    # CASCADE: removing an account (privacy request) removes its subscription with it.
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="newsletter_subscriber",
        verbose_name=_("account"),
        help_text=_("Alleen bij leden: hun account. Leden krijgen ook het nieuws van hun buurt."),
    )
    language = models.CharField(_("taal"), max_length=5, choices=Language, default=Language.NL)
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.PENDING)
    consent_source = models.CharField(
        _("toestemming gegeven via"),
        max_length=20,
        choices=Source,
        default=Source.PAPER,
        help_text=_("Kies 'Toestemming op papier' voor iemand die een formulier heeft ingevuld."),
    )
    consent_note = models.CharField(
        _("waar en wanneer"),
        max_length=200,
        blank=True,
        help_text=_("Bijvoorbeeld: 'intekenlijst koffieochtend 4 maart, map Nieuwsbrief'."),
    )
    consent_recorded_at = models.DateTimeField(
        _("toestemming vastgelegd op"), null=True, blank=True
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    confirmation_token_hash = models.CharField(max_length=64, blank=True, editable=False)
    confirmation_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    unsubscribed_at = models.DateTimeField(
        pgettext_lazy("newsletter", "afgemeld op"), null=True, blank=True, editable=False
    )

    base_form_class = SubscriberAdminForm
    panels = [
        FieldPanel("email"),
        FieldPanel("name"),
        FieldPanel("language"),
        MultiFieldPanel(
            [FieldPanel("consent_source"), FieldPanel("consent_note"), FieldPanel("status")],
            heading=_("Toestemming"),
        ),
    ]

    class Meta:
        verbose_name = _("abonnee")
        verbose_name_plural = _("abonnees")
        ordering = ["email"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="subscriber_email_ci_unique"),
        ]

    def __str__(self):
        return f"{self.name} <{self.email}>" if self.name else self.email

    def save(self, *args, **kwargs):
        self.email = normalise_email(self.email)
        super().save(*args, **kwargs)

    @property
    def is_active(self):
        return self.status == self.Status.ACTIVE

    # Confirmation links carry a random nonce whose hash is stored: a new link replaces the old
    # one, and a used link stops working.
    def new_confirmation_nonce(self):
        nonce = secrets.token_urlsafe(16)
        self.confirmation_token_hash = hashlib.sha256(nonce.encode()).hexdigest()
        return nonce

    def nonce_matches(self, nonce):
        if not self.confirmation_token_hash or not nonce:
            return False
        candidate = hashlib.sha256(str(nonce).encode()).hexdigest()
        return hmac.compare_digest(candidate, self.confirmation_token_hash)


# --- Sending -------------------------------------------------------------------------------------


class Dispatch(models.Model):
    """The send of one issue: scheduled, running, done; and which process is running it."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Ingepland")
        SENDING = "sending", _("Wordt verstuurd")
        SENT = "sent", _("Verstuurd")

    newsletter = models.OneToOneField(
        NewsletterPage, on_delete=models.CASCADE, related_name="dispatch"
    )
    status = models.CharField(max_length=20, choices=Status, default=Status.SCHEDULED)
    send_at = models.DateTimeField(_("versturen op"), null=True, blank=True)
    # The period whose news goes into this issue, frozen when the send starts.
    period_start = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # "host:pid" of the process that is sending, and when it last reported in.
    runner = models.CharField(max_length=120, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("verzending")
        verbose_name_plural = _("verzendingen")

    def __str__(self):
        return f"{self.newsletter} ({self.get_status_display()})"


class Delivery(models.Model):
    """One issue to one subscriber. Created for every recipient when the send starts.

    ``claimed``: picked up by a sender, not yet handed to the mail server (safe to send again).
    ``sending``: being handed to the mail server right now; a row still in this state after a
    crash may or may not have been accepted, so it becomes ``unknown`` and is never re-sent
    automatically (see sending.py).
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("In de wachtrij")
        CLAIMED = "claimed", _("Opgepakt")
        SENDING = "sending", _("Wordt verstuurd")
        SENT = "sent", _("Verstuurd")
        FAILED = "failed", _("Mislukt")
        BOUNCED = "bounced", _("Geweigerd door de ontvanger")
        UNKNOWN = "unknown", _("Onbekend (verzending onderbroken)")
        SKIPPED = "skipped", _("Overgeslagen (afgemeld voor het versturen)")

    newsletter = models.ForeignKey(
        NewsletterPage, on_delete=models.CASCADE, related_name="deliveries"
    )
    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="deliveries")
    status = models.CharField(max_length=20, choices=Status, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    claimed_by = models.CharField(max_length=120, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("bezorging")
        verbose_name_plural = _("bezorgingen")
        constraints = [
            models.UniqueConstraint(
                fields=["newsletter", "subscriber"], name="delivery_once_per_subscriber"
            )
        ]
        indexes = [models.Index(fields=["newsletter", "status"])]

    def __str__(self):
        return f"{self.subscriber_id} – {self.get_status_display()}"


# --- Personal calendars --------------------------------------------------------------------------


class CalendarFeedToken(models.Model):
    """A member's secret calendar address.

    The token in the URL is an HMAC of a random nonce under SECRET_KEY, so the site can show the
    address again on the member's page while the database alone does not reveal it; only its
    SHA-256 is used for lookups. A reset draws a new nonce: the old address stops working at once.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed_token"
    )
    nonce = models.CharField(max_length=64, editable=False)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("persoonlijke agenda-link")
        verbose_name_plural = _("persoonlijke agenda-links")

    def __str__(self):
        return str(self.user)

    @staticmethod
    def hash_token(token):
        return hashlib.sha256(token.encode()).hexdigest()

    @property
    def token(self):
        message = f"calendar-feed:{self.user_id}:{self.nonce}".encode()
        return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()

    def reset(self):
        self.nonce = secrets.token_hex(32)
        self.token_hash = self.hash_token(self.token)
        self.created_at = timezone.now()
        self.last_used_at = None

    @classmethod
    def for_user(cls, user):
        existing = cls.objects.filter(user=user).first()
        if existing is not None:
            return existing
        token = cls(user=user)
        token.reset()
        token.save()
        return token

    @classmethod
    def lookup(cls, token):
        if not token or len(token) > 128:
            return None
        return (
            cls.objects.select_related("user")
            .filter(token_hash=cls.hash_token(token), user__is_active=True)
            .first()
        )
