from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersAreaConfig(AppConfig):
    name = "members_area"
    verbose_name = _("Ledengedeelte")

    def ready(self):
        # Modules that need the app registry, imported once it is ready (Django's way).
        from . import dashboard, posting, signals  # noqa: F401 - signals registers its receiver
        from .models import BinnenbuurtPage, MembersAreaPage

        # The pages' context and routes call these modules, which query the pages: they sit above
        # the page models and are handed down here rather than imported by them.
        MembersAreaPage.dashboard = BinnenbuurtPage.dashboard = dashboard
        BinnenbuurtPage.posting = posting
