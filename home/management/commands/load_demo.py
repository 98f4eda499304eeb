from django.core.management.base import BaseCommand
from django.db import transaction

from cms import public_url
from home.demo import load_all


class Command(BaseCommand):
    help = "Builds (or updates) the demo site: pages in Dutch and English, demo accounts."

    def handle(self, *args, **options):
        with transaction.atomic():
            context = load_all(self.stdout)
            public_url.sync_default_site()
        base_url = public_url.base_url()
        self.stdout.write(self.style.SUCCESS("\nDemo content is ready."))
        self.stdout.write(f"Site:  {base_url}/nl/   (English: {base_url}/en/)")
        self.stdout.write(f"Admin: {base_url}/admin/")
        if context.accounts:
            self.stdout.write("Demo accounts (username / password):")
            for account in context.accounts:
                note = f"  — {account.note}" if account.note else ""
                self.stdout.write(
                    f"  {account.role:<28} {account.username} / {account.password}{note}"
                )
