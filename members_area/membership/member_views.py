"""The coordinators' member administration: the list with filters, one member (move, end), the
exports and the printable lists. Who may see what is decided in ``access.py``.

The list pages by 50 and reads each page in a fixed number of queries, whatever the number of
members (tests/members_area/membership/test_administration.py; ``make bench``).
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from members_area.models import Binnenbuurt
from members_area.posting import no_access

from . import exports, permissions, services
from .forms import EndForm, MemberFilterForm, MoveForm
from .models import Membership
from .views import administration_view

PAGE_SIZE = 50


def _chosen_stadsdorp(request):
    """(the stadsdorp asked for, else the first, or None; all the user coordinates). One query:
    the tabs above the list show them all anyway (a few, or every stadsdorp for an admin)."""
    stadsdorpen = list(permissions.coordinated_stadsdorpen(request.user).order_by("title"))
    chosen = request.GET.get("stadsdorp", "")
    stadsdorp = next((item for item in stadsdorpen if str(item.pk) == chosen), None)
    return stadsdorp or next(iter(stadsdorpen), None), stadsdorpen


def filtered_members(stadsdorp, data):
    """The members of a stadsdorp after the filters; (form, queryset)."""
    form = MemberFilterForm(data or None, stadsdorp=stadsdorp)
    members = permissions.members_of(stadsdorp).select_related("user", "binnenbuurt", "membership")
    filters = form.cleaned_data if form.is_valid() else {}
    status = filters.get("status") or "active"
    if status == "active":
        members = members.exclude(membership__status=Membership.Status.ENDED)
    elif status == "ended":
        members = members.filter(membership__status=Membership.Status.ENDED)
    binnenbuurt = filters.get("binnenbuurt")
    if binnenbuurt == MemberFilterForm.NO_BINNENBUURT:
        members = members.filter(binnenbuurt__isnull=True)
    elif binnenbuurt:
        members = members.filter(binnenbuurt_id=binnenbuurt)
    if filters.get("email") == "no":
        members = members.filter(user__email="")
    for word in (filters.get("q") or "").split()[:5]:
        members = members.filter(
            Q(user__first_name__icontains=word) | Q(user__last_name__icontains=word)
        )
    return form, members.order_by("user__last_name", "user__first_name", "pk")


@administration_view
def member_list(request):
    stadsdorp, stadsdorpen = _chosen_stadsdorp(request)
    if stadsdorp is None:
        return no_access(request)
    form, members = filtered_members(stadsdorp, request.GET)
    page = Paginator(members, PAGE_SIZE).get_page(request.GET.get("pagina"))
    query = request.GET.copy()
    query.pop("pagina", None)
    query["stadsdorp"] = stadsdorp.pk
    return render(
        request,
        "membership/member_list.html",
        {
            "stadsdorp": stadsdorp,
            "stadsdorpen": stadsdorpen,
            "form": form,
            "page": page,
            "query": query.urlencode(),
        },
    )


@administration_view
@require_http_methods(["GET", "POST"])
def member_detail(request, member_id):
    member = permissions.visible_member(request.user, member_id)
    if member is None:
        return no_access(request)
    membership = getattr(member, "membership", None)
    stadsdorp = membership.stadsdorp if membership else member.binnenbuurt.stadsdorp
    action = request.POST.get("action")
    move_form = MoveForm(
        request.POST if action == "move" else None,
        stadsdorp=stadsdorp,
        initial={"binnenbuurt": member.binnenbuurt_id},
    )
    end_form = EndForm(
        request.POST if action == "end" else None,
        initial={"ended_on": timezone.localdate().strftime("%d-%m-%Y")},
    )
    if request.method == "POST":
        try:
            if action == "move" and move_form.is_valid():
                services.move(member, move_form.cleaned_data["binnenbuurt"])
                messages.success(request, _("%(name)s is verhuisd.") % {"name": member})
                return redirect("membership:member", member_id=member.pk)
            if action == "end" and end_form.is_valid():
                services.end_membership(
                    member,
                    request.user,
                    ended_on=end_form.cleaned_data["ended_on"],
                    reason=end_form.cleaned_data["reason"],
                )
                messages.success(
                    request, _("Het lidmaatschap van %(name)s is beëindigd.") % {"name": member}
                )
                return redirect("membership:member", member_id=member.pk)
        except services.MembershipError as error:
            messages.error(request, str(error))
    return render(
        request,
        "membership/member_detail.html",
        {
            "member": member,
            "membership": membership,
            "stadsdorp": stadsdorp,
            "move_form": move_form,
            "end_form": end_form,
            "ended": bool(membership and membership.status == Membership.Status.ENDED),
        },
    )


@administration_view
def member_export(request, file_format):
    stadsdorp, _stadsdorpen = _chosen_stadsdorp(request)
    if stadsdorp is None:
        return no_access(request)
    _form, members = filtered_members(stadsdorp, request.GET)
    filename = f"leden-{slugify(stadsdorp.title)}-{timezone.localdate():%Y-%m-%d}"
    if file_format == "xlsx":
        return exports.xlsx_response(members, filename)
    return exports.csv_response(members, filename)


@administration_view
def printable_lists(request):
    return render(
        request,
        "membership/printable_lists.html",
        {"binnenbuurten": permissions.printable_binnenbuurten(request.user)},
    )


@administration_view
def binnenbuurt_list_pdf(request, binnenbuurt_id):
    binnenbuurt = Binnenbuurt.objects.filter(pk=binnenbuurt_id).select_related("stadsdorp").first()
    if binnenbuurt is None or not permissions.may_print_list(request.user, binnenbuurt):
        return no_access(request)
    members = list(
        binnenbuurt.members.exclude(membership__status=Membership.Status.ENDED)
        .select_related("user", "membership")
        .order_by("user__last_name", "user__first_name")
    )
    response = HttpResponse(
        exports.binnenbuurt_list_pdf(binnenbuurt, members), content_type="application/pdf"
    )
    filename = f"ledenlijst-{slugify(binnenbuurt.name)}.pdf"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
