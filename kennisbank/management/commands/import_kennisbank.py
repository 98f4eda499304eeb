"""./manage.py import_kennisbank PATH... — import files as kennisbank pages (see importer.py)."""

from tqdm import tqdm

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from wagtail.models import Locale

from kennisbank.importer import KennisbankImporter
from kennisbank.models import KennisbankIndexPage, Kind

STATUS_LABELS = {
    "created": "aangemaakt",
    "updated": "bijgewerkt",
    "unchanged": "ongewijzigd",
    "skipped": "overgeslagen",
    "failed": "mislukt",
}


class Command(BaseCommand):
    help = (
        "Importeer .txt-, .md-, .pdf- en .docx-bestanden (mappen worden doorzocht) als "
        "kennisbankpagina's. Maakt standaard concepten; gebruik --publish om te publiceren."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="Bestanden of mappen om te importeren.")
        parser.add_argument("--publish", action="store_true", help="Publiceer de pagina's meteen.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Laat zien wat er zou gebeuren; schrijf niets."
        )
        parser.add_argument(
            "--type",
            dest="kind",
            choices=Kind.values,
            default="",
            help="Soort voor alle bestanden.",
        )
        parser.add_argument(
            "--theme", dest="themes", action="append", default=[], help="Thema (slug), herhaalbaar."
        )
        parser.add_argument(
            "--tag", dest="tags", action="append", default=[], help="Trefwoord, herhaalbaar."
        )
        parser.add_argument(
            "--parent", type=int, help="ID van de kennisbankpagina om onder te zetten."
        )
        parser.add_argument("--locale", default="nl", help="Taal van de kennisbank (standaard nl).")
        parser.add_argument("--no-progress", action="store_true", help="Geen voortgangsbalk tonen.")

    def handle(self, *args, **options):
        parent = self.find_parent(options)
        importer = KennisbankImporter(
            parent,
            publish=options["publish"],
            dry_run=options["dry_run"],
            kind=options["kind"],
            themes=options["themes"],
            tags=options["tags"],
        )
        files, missing = importer.collect(options["paths"])
        for path in missing:
            self.stderr.write(_("Niet gevonden: %(path)s") % {"path": path})
        if not files:
            raise CommandError(_("Geen bestanden gevonden om te importeren."))

        prefix = _("(proefdraai) ") if options["dry_run"] else ""
        counts = dict.fromkeys(STATUS_LABELS, 0)
        progress = tqdm(
            files,
            desc=_("Importeren"),
            unit=_("bestand"),
            file=self.stderr._out,
            disable=options["no_progress"] or options["verbosity"] == 0,
        )
        for root, path in progress:
            result = importer.import_file(root, path)
            counts[result.status] += 1
            line = f"{prefix}{STATUS_LABELS[result.status]}: {result.source_key}"
            if result.title:
                line += f" → “{result.title}” ({result.kind})"
            details = [result.reason, *result.notes]
            if any(details):
                line += " — " + "; ".join(detail for detail in details if detail)
            if options["verbosity"] > 0 or result.status == "failed":
                stream = self.stderr if result.status == "failed" else self.stdout
                tqdm.write(line, file=stream._out)
        summary = ", ".join(
            f"{count} {STATUS_LABELS[status]}" for status, count in counts.items() if count
        )
        self.stdout.write(prefix + _("Klaar: %(summary)s.") % {"summary": summary})
        if counts["failed"] == len(files):
            raise CommandError(_("Geen enkel bestand kon worden geïmporteerd."))

    def find_parent(self, options):
        if options["parent"]:
            parent = KennisbankIndexPage.objects.filter(pk=options["parent"]).first()
            if parent is None:
                raise CommandError(
                    _("Pagina %(id)s is geen kennisbankpagina.") % {"id": options["parent"]}
                )
            return parent
        locale = Locale.objects.filter(language_code=options["locale"]).first()
        if locale is None:
            raise CommandError(_("Onbekende taal: %(locale)s") % {"locale": options["locale"]})
        parent = KennisbankIndexPage.objects.filter(locale=locale).first()
        if parent is None:
            raise CommandError(
                _("Er is nog geen kennisbankpagina in deze taal; maak die eerst aan.")
            )
        return parent
