"""Kennisbank URLs inside i18n_patterns (/nl/..., /en/...), before Wagtail's catch-all."""

from django.urls import path

from .feeds import KennisbankAtomFeed, KennisbankRssFeed
from .views import helpful_vote

app_name = "kennisbank"

urlpatterns = [
    path("kennisbank/feed/rss/", KennisbankRssFeed(), name="feed_rss"),
    path("kennisbank/feed/atom/", KennisbankAtomFeed(), name="feed_atom"),
    path("kennisbank/nuttig/<int:page_id>/", helpful_vote, name="helpful_vote"),
]
