"""Erase ended memberships and declined applications past their stadsdorp's retention period.

Run daily (cron or a scheduled task); safe to run more often.
"""

from django.core.management.base import BaseCommand

from members_area.membership.services import purge_expired


class Command(BaseCommand):
    help = "Wist beëindigde lidmaatschappen en afgewezen aanmeldingen na de bewaartermijn."

    def handle(self, *args, **options):
        members, applications = purge_expired()
        self.stdout.write(f"{members} oud-leden en {applications} aanmeldingen gewist.")
