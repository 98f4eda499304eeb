"""Binnenbuurten, member profiles and their settings: the member area's data, apart from its pages.

Privacy is Wagtail's own: the member home carries a LOGIN view restriction and every binnenbuurt
section a GROUPS restriction for its members and contact persons; documents sit in a collection with
the same restriction (set up by ``members_area.services``). See
https://docs.wagtail.org/en/stable/advanced_topics/privacy.html
"""

import hashlib
import hmac
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.models import Collection
from wagtail.search import index

from home.models import Language
from home.privacy import group_ids

from ..addresses import address_line, normalise_postcode, postcode_display


class StadsdorpMemberSettings(models.Model):
    """Member-area switches of one stadsdorp.

    Kept in its own small model (keyed by the stadsdorp page) so that the home app's page model
    stays about public content, and so that moderators can switch approval on without touching
    the stadsdorp's page (and its publishing workflow).
    """

    stadsdorp = models.OneToOneField(
        "home.StadsdorpPage",
        on_delete=models.CASCADE,
        related_name="member_settings",
        verbose_name=_("stadsdorp"),
    )
    requires_approval = models.BooleanField(
        _("berichten eerst laten goedkeuren"),
        default=False,
        help_text=_(
            "Aan: nieuws en activiteiten van contactpersonen verschijnen pas nadat een "
            "moderator ze heeft goedgekeurd. Uit: ze verschijnen direct."
        ),
    )

    panels = [FieldPanel("stadsdorp"), FieldPanel("requires_approval")]

    class Meta:
        verbose_name = _("ledeninstellingen van een stadsdorp")
        verbose_name_plural = _("ledeninstellingen per stadsdorp")

    def __str__(self):
        return str(self.stadsdorp)


class Binnenbuurt(index.Indexed, models.Model):
    """A small neighbourhood group inside a stadsdorp; saving one sets up all it needs."""

    name = models.CharField(_("naam"), max_length=120, unique=True)
    stadsdorp = models.ForeignKey(
        "home.StadsdorpPage",
        on_delete=models.PROTECT,
        related_name="binnenbuurten",
        verbose_name=_("stadsdorp"),
    )
    description = models.TextField(
        _("omschrijving"),
        blank=True,
        help_text=_("Een paar zinnen over de buurt: welke straten, hoe vaak u samenkomt."),
    )
    meeting_place = models.CharField(
        _("plek van samenkomst"),
        max_length=200,
        blank=True,
        help_text=_("Bijvoorbeeld: 'bij een van de leden thuis, op toerbeurt'."),
    )
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="coordinated_binnenbuurten",
        verbose_name=_("coördinator"),
        help_text=_("De eerste contactpersoon. Mag nieuws en activiteiten plaatsen."),
    )
    stand_in = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="stand_in_binnenbuurten",
        verbose_name=_("vervanger"),
        help_text=_("De tweede contactpersoon. Mag ook nieuws en activiteiten plaatsen."),
    )
    # Filled in by services.setup_binnenbuurt(); editors never pick these.
    members_group = models.OneToOneField(
        Group,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="binnenbuurt_as_members",
    )
    contacts_group = models.OneToOneField(
        Group,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="binnenbuurt_as_contacts",
    )
    collection = models.OneToOneField(
        Collection,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="binnenbuurt",
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("stadsdorp"),
        FieldPanel("description"),
        FieldPanel("meeting_place"),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("coordinator"), FieldPanel("stand_in")])],
            heading=_("Contactpersonen"),
        ),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        verbose_name = _("binnenbuurt")
        verbose_name_plural = _("binnenbuurten")
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def contact_users(self):
        return [user for user in (self.coordinator, self.stand_in) if user is not None]

    @cached_property
    def requires_approval(self):
        member_settings = StadsdorpMemberSettings.objects.filter(
            stadsdorp_id=self.stadsdorp_id
        ).first()
        return bool(member_settings and member_settings.requires_approval)

    def is_contact_person(self, user):
        if not (user and user.is_authenticated):
            return False
        return user.pk in (self.coordinator_id, self.stand_in_id)

    def is_member(self, user):
        if not (user and user.is_authenticated):
            return False
        return self.members_group_id in group_ids(user)

    @classmethod
    def of_member(cls, user):
        """The binnenbuurten this user belongs to as far as privacy goes: those whose members
        group they are in (``home.privacy.group_ids``), the group Wagtail's restriction on their
        pages checks. The profile's binnenbuurt puts a member there (``sync_member_groups``) and
        an ended membership takes them out, so pages, help posts and the member home agree."""
        return cls.objects.filter(members_group_id__in=group_ids(user))

    def can_see_member_list(self, user):
        return bool(user and user.is_authenticated) and (
            user.is_superuser or self.is_member(user) or self.is_contact_person(user)
        )


class Member(models.Model):
    """The member profile that goes with a user account."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="member",
        verbose_name=_("gebruiker"),
    )
    binnenbuurt = models.ForeignKey(
        Binnenbuurt,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
        verbose_name=_("binnenbuurt"),
        help_text=_("Leeg laten als dit lid (nog) niet in een binnenbuurt zit."),
    )
    phone = models.CharField(_("telefoonnummer"), max_length=30, blank=True)
    # The member's one postal address (members_area.addresses): the profile edits it, and the
    # membership's labels, letters, lists, exports and import read and write this copy only.
    street_address = models.CharField(
        _("straat en huisnummer"), max_length=200, blank=True, help_text=_("Niet verplicht.")
    )
    postcode = models.CharField(
        _("postcode"),
        max_length=7,
        blank=True,
        db_index=True,
        help_text=_("Bijvoorbeeld 1097 AB."),
    )
    city = models.CharField(_("woonplaats"), max_length=100, blank=True)
    listed_consent = models.BooleanField(
        _("zichtbaar in de ledenlijst"),
        default=False,
        help_text=_(
            "Alleen met toestemming staan naam en telefoonnummer in de ledenlijst van de "
            "binnenbuurt."
        ),
    )
    language = models.CharField(
        _("voorkeurstaal"), max_length=5, choices=Language, default=Language.NL
    )
    joined_at = models.DateTimeField(_("lid sinds"), default=timezone.now, editable=False)

    panels = [
        FieldPanel("user"),
        FieldPanel("binnenbuurt"),
        FieldPanel("phone"),
        MultiFieldPanel(
            [
                FieldPanel("street_address"),
                FieldRowPanel([FieldPanel("postcode"), FieldPanel("city")]),
            ],
            heading=_("Adres"),
        ),
        FieldPanel("listed_consent"),
        FieldPanel("language"),
    ]

    class Meta:
        verbose_name = _("lid")
        verbose_name_plural = _("leden")
        ordering = ["user__first_name", "user__last_name"]

    def __str__(self):
        return self.display_name

    def save(self, *args, **kwargs):
        self.postcode = normalise_postcode(self.postcode)
        super().save(*args, **kwargs)

    @property
    def display_name(self):
        return self.user.get_full_name() or self.user.email or self.user.get_username()

    @property
    def address_line(self):
        return address_line(self.street_address, self.postcode, self.city)

    @property
    def postcode_display(self):
        return postcode_display(self.postcode)


class AccountRemovalRequest(models.Model):
    """A member's request to remove their account; an administrator carries it out."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="removal_requests",
        verbose_name=_("gebruiker"),
    )
    created_at = models.DateTimeField(_("aangevraagd op"), auto_now_add=True)
    reason = models.TextField(_("toelichting"), blank=True)
    handled = models.BooleanField(_("afgehandeld"), default=False)

    panels = [FieldPanel("user", read_only=True), FieldPanel("reason"), FieldPanel("handled")]

    class Meta:
        verbose_name = _("verzoek om verwijdering")
        verbose_name_plural = _("verzoeken om verwijdering")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.user} ({self.created_at:%d-%m-%Y})"


class LoginCode(models.Model):
    """A one-time login code sent by e-mail; only its keyed hash is stored."""

    VALID_FOR = timedelta(minutes=15)
    MAX_ATTEMPTS = 5

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="login_codes"
    )
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["user", "-created_at"])]

    @staticmethod
    def hash_code(user_id, code):
        message = f"{user_id}:{code}".encode()
        return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()

    @classmethod
    def issue(cls, user):
        """Create a fresh code (earlier unused codes of the user stop working)."""
        now = timezone.now()
        cls.objects.filter(user=user, used_at__isnull=True).update(used_at=now)
        code = f"{secrets.randbelow(1_000_000):06d}"
        cls.objects.create(
            user=user,
            code_hash=cls.hash_code(user.pk, code),
            created_at=now,
            expires_at=now + cls.VALID_FOR,
        )
        return code

    @classmethod
    def verify(cls, user, code):
        """True once for a correct, fresh code; every wrong try counts against the code."""
        now = timezone.now()
        login_code = (
            cls.objects.filter(user=user, used_at__isnull=True, expires_at__gt=now)
            .order_by("-created_at")
            .first()
        )
        if login_code is None or login_code.attempts >= cls.MAX_ATTEMPTS:
            return False
        if hmac.compare_digest(login_code.code_hash, cls.hash_code(user.pk, code)):
            # Conditional update: two simultaneous submissions cannot both use the code.
            return bool(
                cls.objects.filter(pk=login_code.pk, used_at__isnull=True).update(used_at=now)
            )
        cls.objects.filter(pk=login_code.pk).update(attempts=models.F("attempts") + 1)
        return False
