"""The "Zoektermen" report: what readers search for, and what they do not find."""

import datetime

from django.db.models import Max, Sum
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import SearchLog

PERIODS = {"7": 7, "30": 30, "90": 90, "365": 365}
ROWS = 50


def search_terms_report(request):
    period = request.GET.get("dagen", "30")
    if period not in PERIODS:
        period = "30"
    since = timezone.localdate() - datetime.timedelta(days=PERIODS[period])
    logs = SearchLog.objects.filter(date__gte=since)
    totals = logs.values("query", "language").annotate(total=Sum("searches"), last_seen=Max("date"))
    popular = totals.order_by("-total", "query")[:ROWS]
    # A term counts as "without results" when its most recent search found nothing.
    latest_results = {
        (query, language): results
        for query, language, results in logs.order_by("date").values_list(
            "query", "language", "results"
        )
    }
    without_results = [
        row
        for row in totals.order_by("-total", "query")
        if latest_results.get((row["query"], row["language"])) == 0
    ][:ROWS]
    return render(
        request,
        "kennisbank/search/admin/search_terms.html",
        {
            "page_title": _("Zoektermen"),
            "popular": popular,
            "without_results": without_results,
            "period": period,
            "periods": list(PERIODS),
            "total_searches": logs.aggregate(total=Sum("searches"))["total"] or 0,
        },
    )
