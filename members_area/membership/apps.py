from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembershipConfig(AppConfig):
    """Becoming a member and the member administration a stadsdorp runs on."""

    name = "members_area.membership"
    label = "membership"
    verbose_name = _("Lidmaatschap")
    default_auto_field = "django.db.models.BigAutoField"
