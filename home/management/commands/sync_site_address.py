"""``manage.py sync_site_address``: the default Wagtail Site gets the host and port of
``WAGTAILADMIN_BASE_URL`` (``cms/public_url.py``), so page URLs, the sitemap and hreflang links
point where the site is served. ``load_demo`` and ``make run`` do it too."""

from django.core.management.base import BaseCommand

from cms import public_url


class Command(BaseCommand):
    help = "Zet het adres van de standaardsite (host en poort) gelijk aan WAGTAILADMIN_BASE_URL."

    def handle(self, *args, **options):
        changed = public_url.sync_default_site()
        hostname, port = public_url.site_address()
        state = "aangepast" if changed else "al goed"
        self.stdout.write(f"Site-adres {hostname}:{port} ({state}).")
