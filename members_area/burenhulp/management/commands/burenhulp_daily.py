"""The daily burenhulp job: run it once a day, e.g. at 7:00 from cron::

    0 7 * * *  cd /srv/site && .venv/bin/python manage.py burenhulp_daily

It ends posts past their date (lists already leave them out before it runs), reminds authors of
posts that end within three days, and sends the daily e-mail to members who chose it. Running it
twice sends nothing twice: reminders and digests remember when they went out.
"""

from django.core.management.base import BaseCommand

from members_area.burenhulp import notifications, services


class Command(BaseCommand):
    help = "Burenhulp: verlopen berichten afsluiten, herinneringen en de dagelijkse e-mail sturen."

    def handle(self, *args, **options):
        expired, reminded = services.expire_and_remind()
        sent = notifications.send_digests()
        self.stdout.write(
            f"burenhulp: {expired} expired, {reminded} reminders, {sent} daily e-mails sent"
        )
