"""Keep the search index in sync with publishing, moving and deleting pages.

Wagtail signals: https://docs.wagtail.org/en/stable/reference/signals.html. Privacy is checked at
query time, so view-restriction changes need no handler. When the Elasticsearch engine is chosen,
the same handlers also update Elasticsearch; the database index is kept either way (it is cheap and
lets a site switch engines back without a reindex). Glossary terms and themes are snippets: their
changes are indexed from the admin's snippet hooks (``wagtail_hooks.py``).
"""

import logging

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete

from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished, post_page_move

from . import elastic, indexing
from .models import SearchEntry

logger = logging.getLogger(__name__)


def elastic_enabled():
    return getattr(settings, "KENNISBANK_SEARCH_ENGINE", "database") == "elasticsearch"


def _elastic(action, *arguments):
    if not elastic_enabled():
        return

    def run():
        try:
            getattr(elastic, action)(*arguments)
        except Exception:  # noqa: BLE001 - a search outage must never block publishing
            logger.exception("Elasticsearch %s failed for %r", action, arguments)

    transaction.on_commit(run)


def on_published(sender, instance, **kwargs):
    if indexing.is_item(instance):
        indexing.index_page(instance)
        _elastic("index_page", instance)
    elif indexing.is_glossary(instance):
        indexing.index_glossary(instance.locale_id)
        _elastic("index_glossary", instance.locale_id)


def on_unpublished(sender, instance, **kwargs):
    if indexing.is_item(instance):
        indexing.remove_page(instance.pk)
        _elastic("remove_page", instance.pk)
    elif indexing.is_glossary(instance):
        indexing.index_glossary(instance.locale_id)
        _elastic("index_glossary", instance.locale_id)


def on_moved(sender, instance, **kwargs):
    moved = Page.objects.filter(path__startswith=instance.path).specific()
    for page in moved:
        if indexing.is_item(page):
            indexing.index_page(page)
            _elastic("index_page", page)


def on_page_deleted(sender, instance, **kwargs):
    if indexing.is_item(instance):
        _elastic("remove_page", instance.pk)
    elif indexing.is_glossary(instance):
        _elastic("index_glossary", instance.locale_id)


def on_entry_deleted(sender, instance, **kwargs):
    indexing.forget_entry(instance)


def connect():
    page_published.connect(on_published, dispatch_uid="kbsearch_published")
    page_unpublished.connect(on_unpublished, dispatch_uid="kbsearch_unpublished")
    post_page_move.connect(on_moved, dispatch_uid="kbsearch_moved")
    post_delete.connect(on_page_deleted, dispatch_uid="kbsearch_page_deleted")
    post_delete.connect(on_entry_deleted, sender=SearchEntry, dispatch_uid="kbsearch_entry_deleted")
