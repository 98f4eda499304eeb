"""The treasurer's overview: who paid this year's contribution, recording a payment, reminders by
e-mail (queued) or as printable letters, and the CSV/XLSX export.

Who may see it is decided in ``permissions.py`` (``contribution_stadsdorpen``): the stadsdorp's
treasurers, its coordinators and the administrators. A treasurer reaches these screens only, not
the applications or the member administration (``contribution_view``).
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q, Sum
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from members_area.posting import no_access

from . import contributions, exports, paper, permissions, services, tasks
from .forms import (
    ContributionFilterForm,
    ContributionForm,
    ContributionSettingsForm,
    MemberFilterForm,
    contribution_years,
)
from .models import Contribution, MembershipSettings
from .views import _private

PAGE_SIZE = 50


def contribution_view(view):
    """Logged in (else the login page), and a treasurer or coordinator (else 403)."""

    @wraps(view)
    @never_cache
    @login_required
    def wrapper(request, *args, **kwargs):
        if not permissions.may_keep_contributions(request.user):
            return no_access(request)
        return _private(view(request, *args, **kwargs))

    return wrapper


def _chosen_stadsdorp(request):
    stadsdorpen = permissions.contribution_stadsdorpen(request.user).order_by("title")
    chosen = request.POST.get("stadsdorp") or request.GET.get("stadsdorp") or ""
    stadsdorp = stadsdorpen.filter(pk=chosen).first() if chosen.isdigit() else None
    return stadsdorp or stadsdorpen.first(), stadsdorpen


def filtered(stadsdorp, data):
    """(form, year, members) after the filters of the overview."""
    form = ContributionFilterForm(data or None, stadsdorp=stadsdorp)
    year = form.year()
    members = contributions.overview(stadsdorp, year)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    members = contributions.filter_status(members, filters.get("status"))
    binnenbuurt = filters.get("binnenbuurt")
    if binnenbuurt == MemberFilterForm.NO_BINNENBUURT:
        members = members.filter(binnenbuurt__isnull=True)
    elif binnenbuurt:
        members = members.filter(binnenbuurt_id=binnenbuurt)
    for word in (filters.get("q") or "").split()[:5]:
        members = members.filter(
            Q(user__first_name__icontains=word) | Q(user__last_name__icontains=word)
        )
    return form, year, members.order_by("user__last_name", "user__first_name", "pk")


def _totals(stadsdorp, year):
    counts = contributions.overview(stadsdorp, year).aggregate(
        members=Count("pk"),
        paid=Count("pk", filter=Q(c_status=Contribution.Status.PAID)),
        exempt=Count("pk", filter=Q(c_status=Contribution.Status.EXEMPT)),
        received=Sum("c_amount", filter=Q(c_status=Contribution.Status.PAID)),
    )
    counts["open"] = counts["members"] - counts["paid"] - counts["exempt"]
    return counts


@contribution_view
@require_http_methods(["GET", "POST"])
def overview(request):
    stadsdorp, stadsdorpen = _chosen_stadsdorp(request)
    if stadsdorp is None:
        return no_access(request)
    settings_row, _created = MembershipSettings.objects.get_or_create(stadsdorp=stadsdorp)
    settings_form = ContributionSettingsForm(instance=settings_row, prefix="instellingen")
    form, year, members = filtered(stadsdorp, request.GET)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "settings":
            settings_form = ContributionSettingsForm(
                request.POST, instance=settings_row, prefix="instellingen"
            )
            if settings_form.is_valid():
                settings_form.save()
                messages.success(request, _("Het bedrag en de termijn zijn opgeslagen."))
                return redirect(f"{request.path}?stadsdorp={stadsdorp.pk}&jaar={year}")
        elif action == "remind":
            open_members = contributions.filter_status(members, Contribution.Status.OPEN)
            count = tasks.remind_by_email(stadsdorp, year, open_members)
            if count:
                messages.success(
                    request,
                    _("%(count)s leden krijgen een herinnering per e-mail.") % {"count": count},
                )
            else:
                messages.info(
                    request,
                    _(
                        "Niemand om te herinneren: wie niet betaalde, kreeg deze week al een "
                        "herinnering, of heeft geen e-mail (print dan de brieven)."
                    ),
                )
            return redirect(f"{request.path}?{request.GET.urlencode()}")
    page = Paginator(members, PAGE_SIZE).get_page(request.GET.get("pagina"))
    for member in page.object_list:
        member.c_status_label = contributions.status_label(member.c_status)
        member.c_method_label = contributions.method_label(member.c_method)
    query = request.GET.copy()
    query.pop("pagina", None)
    query["stadsdorp"] = stadsdorp.pk
    query["jaar"] = year
    return render(
        request,
        "membership/contributions.html",
        {
            "stadsdorp": stadsdorp,
            "stadsdorpen": stadsdorpen,
            "form": form,
            "settings_form": settings_form,
            "settings_row": settings_row,
            "year": year,
            "page": page,
            "query": query.urlencode(),
            "totals": _totals(stadsdorp, year),
            "may_see_members": permissions.is_coordinator(request.user, stadsdorp),
        },
    )


@contribution_view
@require_http_methods(["GET", "POST"])
def edit(request, member_id, year):
    member = permissions.contribution_member(request.user, member_id)
    if member is None or year not in contribution_years():
        return no_access(request)
    membership = getattr(member, "membership", None)
    stadsdorp = membership.stadsdorp if membership else member.binnenbuurt.stadsdorp
    current = Contribution.objects.filter(membership__member=member, year=year).first()
    initial = {"status": Contribution.Status.OPEN}
    if current is not None:
        initial = {
            "status": current.status,
            "paid_on": current.paid_on.strftime("%d-%m-%Y") if current.paid_on else "",
            "method": current.method,
            "amount": current.amount,
            "note": current.note,
        }
    form = ContributionForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            contributions.record(
                member,
                year,
                status=form.cleaned_data["status"],
                by=request.user,
                paid_on=form.cleaned_data["paid_on"],
                method=form.cleaned_data["method"],
                amount=form.cleaned_data["amount"],
                note=form.cleaned_data["note"],
            )
        except services.MembershipError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("De contributie %(year)s van %(name)s is opgeslagen.")
                % {"year": year, "name": member.display_name},
            )
            url = reverse("membership:contributions")
            return redirect(f"{url}?stadsdorp={stadsdorp.pk}&jaar={year}")
    return render(
        request,
        "membership/contribution_edit.html",
        {
            "member": member,
            "year": year,
            "form": form,
            "stadsdorp": stadsdorp,
            "yearly": contributions.yearly_amount(stadsdorp),
            "current": current,
        },
    )


@contribution_view
def export(request, file_format):
    stadsdorp, _stadsdorpen = _chosen_stadsdorp(request)
    if stadsdorp is None:
        return no_access(request)
    _form, year, members = filtered(stadsdorp, request.GET)
    filename = f"contributie-{slugify(stadsdorp.title)}-{year}"
    return exports.contribution_response(
        members,
        year,
        filename,
        file_format,
        contact_details=permissions.may_see_contact_details(request.user, stadsdorp),
    )


@contribution_view
def letters(request):
    stadsdorp, _stadsdorpen = _chosen_stadsdorp(request)
    if stadsdorp is None:
        return no_access(request)
    form = ContributionFilterForm(request.GET or None, stadsdorp=stadsdorp)
    year = form.year()
    pdf = paper.reminder_letters_pdf(
        stadsdorp,
        year,
        contributions.letters_for(stadsdorp, year),
        contributions.settings_for(stadsdorp),
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = f"herinneringen-{slugify(stadsdorp.title)}-{year}-{timezone.localdate():%Y%m%d}"
    response["Content-Disposition"] = f'inline; filename="{filename}.pdf"'
    return response
