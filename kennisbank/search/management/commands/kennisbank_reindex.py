"""Rebuild the kennisbank search index: ``./manage.py kennisbank_reindex [--engine ...]``."""

from tqdm import tqdm

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from kennisbank.search import elastic, indexing


class Command(BaseCommand):
    help = "Bouwt de zoekindex van de kennisbank opnieuw op (database of Elasticsearch)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--engine",
            choices=["database", "elasticsearch"],
            default=None,
            help="Welke index; standaard de ingestelde KENNISBANK_SEARCH_ENGINE.",
        )
        parser.add_argument("--no-progress", action="store_true", help="Geen voortgangsbalk.")

    def handle(self, *args, engine=None, no_progress=False, **options):
        engine = engine or getattr(settings, "KENNISBANK_SEARCH_ENGINE", "database")
        pages = (
            indexing.item_model()
            .objects.live()
            .specific()
            .select_related("locale")
            .prefetch_related("themes", "tagged_items__tag")
            .order_by("pk")
        )
        total = pages.count()
        progress = tqdm(
            total=total,
            desc=f"kennisbank ({engine})",
            unit="item",
            disable=no_progress or options.get("verbosity", 1) == 0,
            file=self.stderr,
        )
        with progress:
            if engine == "database":
                count = indexing.rebuild(pages, progress=progress)
            else:
                try:
                    count = elastic.rebuild(pages, progress=progress)
                except elastic.ElasticsearchUnavailable as error:
                    raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"{count} items geïndexeerd ({engine})."))
