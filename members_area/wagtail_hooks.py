"""Admin screens for binnenbuurten and members, and the "no access" answer for members.

Saving a binnenbuurt, a stadsdorp's member settings or a member in the admin runs the service that
keeps groups, sections, restrictions and permissions in step (``services.py``), from Wagtail's
snippet hooks: https://docs.wagtail.org/en/stable/reference/hooks.html#snippets

Wagtail answers a failed GROUPS restriction with a redirect to the login page, also for people who
are already logged in; for a member of another binnenbuurt that is a confusing loop. The
``before_serve_page`` / ``before_serve_document`` hooks below answer them with a plain 403 page
that names nothing. Anonymous visitors still get Wagtail's redirect to the login page.
https://docs.wagtail.org/en/stable/reference/hooks.html#before-serve-page
"""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.models import PageViewRestriction
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import AccountRemovalRequest, Binnenbuurt, Member, StadsdorpMemberSettings
from .posting import no_access
from .services import (
    enrol_member,
    remove_member_groups,
    setup_binnenbuurt,
    setup_binnenbuurten,
    sync_member_groups,
)
from .views import export_members_csv


def _fails_group_restriction(restrictions, request):
    user = request.user
    if not user.is_authenticated:
        return False
    return any(
        restriction.restriction_type == PageViewRestriction.GROUPS
        and not restriction.accept_request(request)
        for restriction in restrictions
    )


@hooks.register("before_serve_page")
def forbid_other_binnenbuurten(page, request, serve_args, serve_kwargs):
    if _fails_group_restriction(page.get_view_restrictions(), request):
        return no_access(request)
    return None


@hooks.register("before_serve_document", order=-1)
def forbid_other_binnenbuurt_documents(document, request):
    if _fails_group_restriction(document.collection.get_view_restrictions(), request):
        return no_access(request)
    return None


@hooks.register("after_create_snippet")
def snippet_created(request, instance):
    if isinstance(instance, Member):
        enrol_member(instance)
    else:
        snippet_edited(request, instance)


@hooks.register("after_edit_snippet")
def snippet_edited(request, instance):
    if isinstance(instance, Binnenbuurt):
        setup_binnenbuurt(instance)
    elif isinstance(instance, StadsdorpMemberSettings):
        setup_binnenbuurten(stadsdorp_id=instance.stadsdorp_id)
    elif isinstance(instance, Member):
        sync_member_groups(instance)


@hooks.register("after_delete_snippet")
def snippets_deleted(request, instances):
    for instance in instances:
        if isinstance(instance, Member):
            remove_member_groups(instance.user)
        elif isinstance(instance, StadsdorpMemberSettings):
            setup_binnenbuurten(stadsdorp_id=instance.stadsdorp_id)  # approval is off again


class BinnenbuurtViewSet(SnippetViewSet):
    model = Binnenbuurt
    icon = "group"
    menu_label = _("Binnenbuurten")
    list_display = ["name", "stadsdorp", "coordinator", "stand_in"]
    list_filter = ["stadsdorp"]
    search_fields = ["name"]


class MemberViewSet(SnippetViewSet):
    model = Member
    icon = "user"
    menu_label = _("Leden")
    list_display = ["display_name", "binnenbuurt", "phone", "listed_consent"]
    list_filter = ["binnenbuurt", "listed_consent", "language"]
    search_fields = ["user__first_name", "user__last_name", "user__email"]


class MemberSettingsViewSet(SnippetViewSet):
    model = StadsdorpMemberSettings
    icon = "cog"
    menu_label = _("Goedkeuring per stadsdorp")


class RemovalRequestViewSet(SnippetViewSet):
    model = AccountRemovalRequest
    icon = "warning"
    menu_label = _("Verzoeken om verwijdering")
    list_display = ["user", "created_at", "handled"]
    list_filter = ["handled"]


class MembersAreaViewSetGroup(SnippetViewSetGroup):
    items = [BinnenbuurtViewSet, MemberViewSet, MemberSettingsViewSet, RemovalRequestViewSet]
    menu_icon = "group"
    menu_label = _("Ledengedeelte")
    menu_name = "members_area"


register_snippet(MembersAreaViewSetGroup)


@hooks.register("register_admin_urls")
def register_export_url():
    return [path("leden/export.csv", export_members_csv, name="members_area_export_csv")]


class SuperuserMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.is_superuser


@hooks.register("register_settings_menu_item")
def register_export_menu_item():
    return SuperuserMenuItem(
        _("Ledenlijst downloaden (CSV)"),
        reverse("members_area_export_csv"),
        icon_name="download",
        order=900,
    )
