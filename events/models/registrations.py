"""Sign-ups for an activity: one lockable slot per occurrence and the registrations."""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .pages import EventPage


class SignupSlot(models.Model):
    """One row per event occurrence that takes sign-ups: the row that is locked.

    On PostgreSQL, ``select_for_update()`` on this row serialises concurrent sign-ups for the
    same occurrence; on SQLite every transaction is IMMEDIATE (see settings) and so serialised.
    """

    event = models.ForeignKey(EventPage, on_delete=models.CASCADE, related_name="signup_slots")
    occurrence_date = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["event", "occurrence_date"], name="unique_signup_slot")
        ]


def new_cancel_secret():
    return secrets.token_urlsafe(16)


class Registration(models.Model):
    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Aangemeld")
        WAITLISTED = "waitlisted", _("Op de wachtlijst")
        CANCELLED = "cancelled", _("Afgemeld")

    class Source(models.TextChoices):
        WEBSITE = "website", _("Website")
        PHONE = "phone", _("Telefoon")
        PAPER = "paper", _("Papieren lijst")

    event = models.ForeignKey(
        EventPage,
        on_delete=models.CASCADE,
        related_name="registrations",
        verbose_name=_("activiteit"),
    )
    occurrence_date = models.DateField(_("datum"))
    name = models.CharField(_("naam"), max_length=120)
    email = models.EmailField(_("e-mailadres"), blank=True)
    phone = models.CharField(_("telefoon"), max_length=40, blank=True)
    number_of_people = models.PositiveSmallIntegerField(_("aantal personen"), default=1)
    status = models.CharField(_("status"), max_length=20, choices=Status)
    source = models.CharField(
        _("aangemeld via"), max_length=20, choices=Source, default=Source.WEBSITE
    )
    language = models.CharField(max_length=8, default="nl")
    created_at = models.DateTimeField(_("aangemeld op"), default=timezone.now)
    cancelled_at = models.DateTimeField(_("afgemeld op"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # A one-time token from the form: a double submit finds the first registration.
    form_token = models.CharField(max_length=64, null=True, blank=True, unique=True)
    cancel_secret = models.CharField(max_length=32, default=new_cancel_secret)

    class Meta:
        verbose_name = _("aanmelding")
        verbose_name_plural = _("aanmeldingen")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["event", "occurrence_date", "status"])]

    def __str__(self):
        return f"{self.name} ({self.number_of_people})"

    @property
    def is_active(self):
        return self.status in (self.Status.CONFIRMED, self.Status.WAITLISTED)
