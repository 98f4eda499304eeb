"""./manage.py import_members FILE.csv|FILE.xlsx --stadsdorp SLUG [--dry-run] [--invite]

All or nothing: one row with an error and nothing is saved; the report says which row and why.
No e-mail is sent unless ``--invite`` is given (then new members with an address get the welcome
e-mail with a set-password link).
"""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from home.models import StadsdorpPage
from members_area.membership import emails
from members_area.membership.importer import FIELD_LABELS, ImportFileError, import_members

OUTCOME_LABELS = {
    "new": "nieuw",
    "updated": "bijgewerkt",
    "unchanged": "ongewijzigd",
    "skipped": "overgeslagen",
    "error": "FOUT",
}


class Command(BaseCommand):
    help = "Leest een ledenlijst (CSV of XLSX) in voor een stadsdorp."

    def add_arguments(self, parser):
        parser.add_argument("file", help="het bestand: .csv of .xlsx")
        parser.add_argument("--stadsdorp", required=True, help="de slug van het stadsdorp")
        parser.add_argument(
            "--dry-run", action="store_true", help="alleen het verslag, niets opslaan"
        )
        parser.add_argument("--binnenbuurt-column", help="de naam van de kolom met de binnenbuurt")
        parser.add_argument(
            "--column",
            action="append",
            default=[],
            metavar="VELD=KOLOM",
            help=f"een kolom met een andere naam; velden: {', '.join(FIELD_LABELS.values())}",
        )
        parser.add_argument(
            "--invite",
            action="store_true",
            help="nieuwe leden met een e-mailadres een welkomstmail sturen",
        )

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"Het bestand {path} bestaat niet.")
        stadsdorp = StadsdorpPage.objects.filter(slug=options["stadsdorp"]).order_by("pk").first()
        if stadsdorp is None:
            raise CommandError(f"Er is geen stadsdorp met slug '{options['stadsdorp']}'.")
        overrides = {}
        labels = {label: field_name for field_name, label in FIELD_LABELS.items()}
        for item in options["column"]:
            label, _sep, header = item.partition("=")
            if label.strip().lower() not in labels or not header:
                raise CommandError(
                    f"--column {item}: schrijf het als veld=kolom, bijv. e-mail=Mail"
                )
            overrides[labels[label.strip().lower()]] = header
        if options["binnenbuurt_column"]:
            overrides["binnenbuurt"] = options["binnenbuurt_column"]
        try:
            result = import_members(
                path.read_bytes(),
                path.name,
                stadsdorp,
                dry_run=options["dry_run"],
                overrides=overrides,
                progress=self._progress,
            )
        except ImportFileError as error:
            raise CommandError(str(error)) from error
        self.stderr.write("")
        for note in result.notes:
            self.stdout.write(note)
        for row in result.rows:
            if row.outcome == "unchanged" and not row.messages:
                continue
            details = f": {'; '.join(row.messages)}" if row.messages else ""
            self.stdout.write(
                f"regel {row.line} ({row.name or '-'}): {OUTCOME_LABELS[row.outcome]}{details}"
            )
        self.stdout.write(result.summary)
        if not result.ok:
            raise CommandError("Er zijn fouten; er is niets opgeslagen. Verbeter het bestand.")
        if options["dry_run"]:
            self.stdout.write("Proefrun: er is niets opgeslagen.")
            return
        if options["invite"]:
            messages = []
            for member in result.new_members:
                messages += emails.invitation(member, stadsdorp)
            emails.deliver(messages)
            self.stdout.write(f"{len(messages)} welkomstmails verstuurd.")

    def _progress(self, done, total):
        if not sys.stderr.isatty() and done not in (total,) and done % 1000:
            return
        width = 30
        filled = int(width * done / total) if total else width
        self.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}", ending="")
