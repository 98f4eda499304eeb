"""The "was this helpful?" votes."""

from django.db import models
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from .items import KennisbankItemPage


class HelpfulVote(models.Model):
    """One anonymous answer to "was this helpful?"; one per browser per page (signed cookie)."""

    page = models.ForeignKey(
        KennisbankItemPage, on_delete=models.CASCADE, related_name="helpful_votes"
    )
    helpful = models.BooleanField(_("nuttig"))
    created_at = models.DateTimeField(_("gegeven op"), auto_now_add=True)

    class Meta:
        verbose_name = _("stem 'was dit nuttig?'")
        verbose_name_plural = _("stemmen 'was dit nuttig?'")
        indexes = [models.Index(fields=["page", "helpful"])]

    @classmethod
    def counts_for(cls, page):
        return cls.objects.filter(page=page).aggregate(
            yes=Count("pk", filter=Q(helpful=True)), no=Count("pk", filter=Q(helpful=False))
        )
