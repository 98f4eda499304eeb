from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BurenhulpConfig(AppConfig):
    """Neighbours asking for and offering small help inside their binnenbuurt (see README.md)."""

    name = "members_area.burenhulp"
    label = "burenhulp"
    verbose_name = _("Burenhulp")
    default_auto_field = "django.db.models.BigAutoField"
