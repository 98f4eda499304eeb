"""Send scheduled issues whose time has come and resume interrupted sends, in the foreground.

The worker does the same as a task (``members_area/subscriptions/tasks.py``), enqueued every 30 s
by the scheduler; this command is for a one-off run. A send that another live process is running
is skipped (``Dispatch.runner``), so overlapping runs are harmless.
"""

from django.core.management.base import BaseCommand

from members_area.subscriptions import sending


class Command(BaseCommand):
    help = "Verstuur ingeplande nieuwsbrieven en ga verder met onderbroken verzendingen."

    def add_arguments(self, parser):
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, **options):
        for dispatch in sending.due_dispatches():
            newsletter = dispatch.newsletter
            try:
                report = sending.send_issue(newsletter)
            except sending.SendRefused as error:
                self.stdout.write(f"{newsletter.title}: overgeslagen ({error})")
                continue
            self.stdout.write(
                f"{newsletter.title}: verstuurd {report.sent}, mislukt {report.failed}, "
                f"geweigerd {report.bounced}, onbekend {report.unknown}"
            )
