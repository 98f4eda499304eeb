"""Keep the search index in sync with publishing, moving and deleting pages.

Wagtail signals: https://docs.wagtail.org/en/stable/reference/signals.html. Privacy is checked at
query time, so view-restriction changes need no handler. When the Elasticsearch engine is chosen,
the same handlers also update Elasticsearch; the database index is kept either way (it is cheap and
lets a site switch engines back without a reindex).
"""

import logging

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete

from wagtail.signals import page_published, page_unpublished, post_page_move

from . import indexing
from .models import SearchEntry

logger = logging.getLogger(__name__)


def _elastic_enabled():
    return getattr(settings, "KENNISBANK_SEARCH_ENGINE", "database") == "elasticsearch"


def _elastic(action, page_or_id):
    if not _elastic_enabled():
        return
    from . import elastic

    def run():
        try:
            getattr(elastic, action)(page_or_id)
        except Exception:  # noqa: BLE001 - a search outage must never block publishing
            logger.exception("Elasticsearch %s failed for %r", action, page_or_id)

    transaction.on_commit(run)


def on_published(sender, instance, **kwargs):
    if indexing.is_item(instance):
        indexing.index_page(instance)
        _elastic("index_page", instance)


def on_unpublished(sender, instance, **kwargs):
    if indexing.is_item(instance):
        indexing.remove_page(instance.pk)
        _elastic("remove_page", instance.pk)


def on_moved(sender, instance, **kwargs):
    from wagtail.models import Page

    moved = Page.objects.filter(path__startswith=instance.path).specific()
    for page in moved:
        if indexing.is_item(page):
            indexing.index_page(page)
            _elastic("index_page", page)


def on_page_deleted(sender, instance, **kwargs):
    if indexing.is_item(instance):
        _elastic("remove_page", instance.pk)


def on_entry_deleted(sender, instance, **kwargs):
    indexing.forget_entry(instance)


def connect():
    page_published.connect(on_published, dispatch_uid="kbsearch_published")
    page_unpublished.connect(on_unpublished, dispatch_uid="kbsearch_unpublished")
    post_page_move.connect(on_moved, dispatch_uid="kbsearch_moved")
    post_delete.connect(on_page_deleted, dispatch_uid="kbsearch_page_deleted")
    post_delete.connect(on_entry_deleted, sender=SearchEntry, dispatch_uid="kbsearch_entry_deleted")
