"""The "Te herzien" report: kennisbank items whose content has not been checked for too long.

The period comes from the setting ``KENNISBANK_REVIEW_AFTER_DAYS`` (default 365 days). Items that
were never reviewed count as stale from their first publication. Editors only see pages they may
edit. https://docs.wagtail.org/en/stable/extending/adding_reports.html
"""

import datetime

from django.conf import settings
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from wagtail.admin.views.reports import PageReportView
from wagtail.permission_policies.pages import PagePermissionPolicy

from cms.spreadsheets import FormulaSafeExportMixin

from .models import KennisbankItemPage

DEFAULT_REVIEW_AFTER_DAYS = 365


def review_after_days():
    return int(getattr(settings, "KENNISBANK_REVIEW_AFTER_DAYS", DEFAULT_REVIEW_AFTER_DAYS))


def stale_items(today=None):
    """Items not reviewed within the review period (never-reviewed items by publication date)."""
    today = today or datetime.date.today()
    cutoff = today - datetime.timedelta(days=review_after_days())
    return KennisbankItemPage.objects.filter(
        Q(last_reviewed__lt=cutoff) | Q(last_reviewed__isnull=True, publication_date__lt=cutoff)
    )


class ReviewReportView(FormulaSafeExportMixin, PageReportView):
    page_title = _("Te herzien")
    header_icon = "calendar-alt"
    results_template_name = "kennisbank/admin/review_report_results.html"
    index_url_name = "kennisbank_review"
    index_results_url_name = "kennisbank_review_results"
    any_permission_required = ["add", "change", "publish"]
    list_export = [
        *PageReportView.list_export,
        "content_owner",
        "last_reviewed",
        "helpful_yes",
        "helpful_no",
    ]
    export_headings = {
        **PageReportView.export_headings,
        "content_owner": _("Eigenaar"),
        "last_reviewed": _("Laatst gecontroleerd"),
        "helpful_yes": _("Nuttig: ja"),
        "helpful_no": _("Nuttig: nee"),
    }

    @staticmethod
    def user_may_view(user):
        return PagePermissionPolicy().user_has_any_permission(user, ["add", "change", "publish"])

    def get_filename(self):
        return f"kennisbank-te-herzien-{datetime.date.today():%Y-%m-%d}"

    def get_queryset(self):
        editable = self.permission_policy.instances_user_has_permission_for(
            self.request.user, "change"
        )
        return (
            stale_items()
            .filter(pk__in=editable.values("pk"))
            .select_related("content_owner", "content_type", "locale")
            .annotate(
                helpful_yes=Count("helpful_votes", filter=Q(helpful_votes__helpful=True)),
                helpful_no=Count("helpful_votes", filter=Q(helpful_votes__helpful=False)),
            )
            .order_by("last_reviewed", "publication_date")
        )

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        context["review_after_days"] = review_after_days()
        return context
