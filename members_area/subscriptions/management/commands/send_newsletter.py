"""Send (or resume sending) one newsletter issue now, with a progress bar.

    ./manage.py send_newsletter <page id> [--batch-size 50] [--email-backend dotted.path]
    ./manage.py send_newsletter <page id> --requeue-unknown   # after checking the mail log

Safe to run again after a crash: nobody gets the issue twice (see sending.py).
"""

import sys

from tqdm import tqdm

from django.core.mail import get_connection
from django.core.management.base import BaseCommand, CommandError

from members_area.subscriptions import sending
from members_area.subscriptions.models import Delivery, NewsletterPage


class Command(BaseCommand):
    help = "Verstuur een nieuwsbrief (of ga verder waar een onderbroken verzending stopte)."

    def add_arguments(self, parser):
        parser.add_argument("newsletter_id", type=int)
        parser.add_argument("--batch-size", type=int, default=sending.BATCH_SIZE)
        parser.add_argument("--max-attempts", type=int, default=sending.MAX_ATTEMPTS)
        parser.add_argument("--retry-base", type=float, default=sending.RETRY_BASE_SECONDS)
        parser.add_argument(
            "--email-backend", default=None, help="Another e-mail backend for this run only."
        )
        parser.add_argument(
            "--requeue-unknown",
            action="store_true",
            help="Verstuur ook de berichten met status 'onbekend' (alleen na controle van het "
            "logboek van de mailserver).",
        )
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, newsletter_id, **options):
        newsletter = NewsletterPage.objects.filter(pk=newsletter_id).first()
        if newsletter is None:
            raise CommandError(f"Nieuwsbrief {newsletter_id} bestaat niet.")
        if options["requeue_unknown"]:
            count = sending.requeue_unknown(newsletter)
            self.stdout.write(f"{count} bericht(en) met status 'onbekend' opnieuw in de wachtrij.")
        backend = options["email_backend"]
        total = sending.recipients(newsletter).count()
        already = Delivery.objects.filter(
            newsletter=newsletter,
            status__in=[
                Delivery.Status.SENT,
                Delivery.Status.FAILED,
                Delivery.Status.BOUNCED,
                Delivery.Status.UNKNOWN,
                Delivery.Status.SKIPPED,
            ],
        ).count()
        bar = tqdm(
            total=max(total, already),
            initial=already,
            unit="e-mail",
            desc=newsletter.title[:30],
            disable=options["no_progress"],
            file=sys.stderr,
        )
        try:
            report = sending.send_issue(
                newsletter,
                connection_factory=(lambda: get_connection(backend)) if backend else None,
                batch_size=options["batch_size"],
                max_attempts=options["max_attempts"],
                retry_base=options["retry_base"],
                progress=bar.update,
            )
        except sending.SendRefused as error:
            raise CommandError(f"Kan niet versturen: {error}") from error
        finally:
            bar.close()
        self.stdout.write(
            f"Verstuurd: {report.sent}, mislukt: {report.failed}, geweigerd: {report.bounced}, "
            f"onbekend: {report.unknown}, overgeslagen: {report.skipped}, totaal: {report.total}"
        )
        for email, error in report.errors[:50]:
            self.stdout.write(f"  {email}: {error}")
        if report.failed or report.bounced or report.unknown:
            self.stdout.write(
                self.style.WARNING("Niet alles is bezorgd; zie het overzicht in de beheeromgeving.")
            )
