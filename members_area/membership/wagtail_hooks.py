"""The membership in the Wagtail admin: a menu link to the coordinators' screens and the settings.

The screens themselves are on the site (``/nl/ledenadministratie/``), in the member area's large
type and plain Dutch, and work without the admin: most coordinators never open it.
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import MembershipSettings
from .permissions import may_keep_contributions, may_use_administration


class AdministrationMenuItem(MenuItem):
    def is_shown(self, request):
        return may_use_administration(request.user)


class ContributionsMenuItem(MenuItem):
    """Treasurers (and coordinators) of a stadsdorp: its contributions."""

    def is_shown(self, request):
        return may_keep_contributions(request.user)


@hooks.register("register_admin_menu_item")
def register_administration_menu_item():
    return AdministrationMenuItem(
        _("Aanmeldingen en leden"),
        reverse("membership:queue"),
        icon_name="user",
        order=310,
    )


@hooks.register("register_admin_menu_item")
def register_contributions_menu_item():
    return ContributionsMenuItem(
        _("Contributie"), reverse("membership:contributions"), icon_name="tasks", order=311
    )


class MembershipSettingsViewSet(SnippetViewSet):
    model = MembershipSettings
    icon = "cog"
    menu_label = _("Lidmaatschap per stadsdorp")
    add_to_admin_menu = False
    list_display = ["stadsdorp", "accepts_applications", "retention_days"]
    # The coordinators and the treasurers are assigned here, on the same row, the same way.


register_snippet(MembershipSettingsViewSet)
