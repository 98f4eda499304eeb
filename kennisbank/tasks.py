"""Background work of the kennisbank: taking the text out of a publication's file.

Publishing a ``PublicatiePage`` whose document changed enqueues ``extract_publication_text``
(Wagtail's ``page_published`` signal, connected in ``apps.py``); the worker reads the file in the
extraction's own limited process (``kennisbank/extraction.py``), stores the text on the live
page without a new revision, and updates the kennisbank search index and Wagtail's search index.
The editor's request only saves and returns. See ``cms/tasks.py`` for the worker and retries.
"""

import logging

from django.db import transaction

from modelsearch import index as search_index

from cms.tasks import retrying_task
from kennisbank.search import elastic, indexing
from kennisbank.search.signal_handlers import elastic_enabled

from .extraction import extract_document_text
from .models import PublicatiePage

logger = logging.getLogger(__name__)


@retrying_task(max_attempts=3, base_delay=30)
def extract_publication_text(page_id):
    page = PublicatiePage.objects.filter(pk=page_id).select_related("document").first()
    if page is None or not page.needs_text_extraction():
        return "unchanged"
    source = page.document_source()
    text = extract_document_text(page.document) if page.document else ""
    with transaction.atomic():
        PublicatiePage.objects.filter(pk=page_id).update(
            document_text=text, document_text_source=source
        )
        page.document_text = text
        page.document_text_source = source
        if page.live:
            indexing.index_page(page)
    if page.live:
        search_index.insert_or_update_object(page)
        if elastic_enabled():
            elastic.index_page(page)
    return f"{len(text)} characters"


def enqueue_extraction(page):
    """Enqueue the extraction when the file changed.

    The queue is a table in the same database, so the task is committed (or rolled back) with
    the publish that asked for it.
    """
    if page.needs_text_extraction():
        extract_publication_text.enqueue(page.pk)


def on_published(sender, instance, **kwargs):
    if isinstance(instance, PublicatiePage):
        enqueue_extraction(instance)
