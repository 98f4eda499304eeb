"""Becoming a member ("Lid worden"), entering a paper application, and the coordinators' queue.

Every screen works without JavaScript: the binnenbuurt is suggested by a second submit button
("Zoek mijn binnenbuurt") that shows the form again with the suggestion filled in. Who may see
what is decided in ``access.py`` only.
"""

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from cms.accounts import throttle
from home.models import StadsdorpPage
from members_area.posting import no_access

from . import permissions, services
from .forms import ApplicationForm, AreaForm, DecisionForm, OnBehalfApplicationForm
from .models import Application, BinnenbuurtArea, MembershipSettings
from .tokens import welcome_token_generator

APPLICATIONS_PER_ADDRESS = 20


def _private(response):
    # Each rendering carries its own one-time token or personal data: never from a cache.
    patch_cache_control(response, private=True, no_store=True)
    return response


def _stadsdorp_by_slug(slug):
    """The stadsdorp page (in the site's main language) whose slug is in the address."""
    page = StadsdorpPage.objects.live().filter(slug=slug).order_by("pk").first()
    if page is None:
        raise Http404
    main = StadsdorpPage.objects.filter(
        translation_key=page.translation_key, locale__language_code=settings.LANGUAGE_CODE
    ).first()
    return main or page


def _accepts_applications(stadsdorp):
    row = MembershipSettings.objects.filter(stadsdorp=stadsdorp).first()
    return row is None or row.accepts_applications


def apply_index(request):
    stadsdorpen = (
        StadsdorpPage.objects.live()
        .filter(locale__language_code=settings.LANGUAGE_CODE)
        .order_by("title")
    )
    return render(request, "membership/apply_index.html", {"stadsdorpen": stadsdorpen})


def _suggestion_form(form_class, request, stadsdorp, **kwargs):
    """The form again, unbound, with what was typed and the suggested binnenbuurt chosen."""
    data = request.POST
    suggestion = services.suggest_for(
        stadsdorp, data.get("street_address", ""), data.get("postcode", "")
    )
    initial = {key: data.get(key) for key in data if key != "csrfmiddlewaretoken"}
    for key in ("share_phone", "share_address", "prefers_phone", "paper_newsletter"):
        initial[key] = bool(data.get(key))
    initial["privacy_consent"] = bool(data.get("privacy_consent"))
    if suggestion is not None:
        initial["binnenbuurt"] = suggestion.pk
    return form_class(initial=initial, stadsdorp=stadsdorp, **kwargs), suggestion


@never_cache
@require_http_methods(["GET", "POST"])
def apply(request, slug):
    stadsdorp = _stadsdorp_by_slug(slug)
    context = {"stadsdorp": stadsdorp, "accepts": _accepts_applications(stadsdorp)}
    if not context["accepts"]:
        return _private(render(request, "membership/apply.html", context))
    status = 200
    suggestion_made = False
    suggestion = None
    if request.method == "POST" and request.POST.get("action") == "suggest":
        form, suggestion = _suggestion_form(ApplicationForm, request, stadsdorp)
        suggestion_made = True
    elif request.method == "POST":
        form = ApplicationForm(request.POST, stadsdorp=stadsdorp)
        if throttle.is_blocked(request, "membership-apply", per_address=APPLICATIONS_PER_ADDRESS):
            form.is_valid()
            form.add_error(
                None,
                _(
                    "Er zijn vanaf deze computer veel aanmeldingen gedaan. Probeer het over een "
                    "kwartier opnieuw, of bel ons."
                ),
            )
            status = 429
        elif form.is_valid():
            throttle.allow(request, "membership-apply", per_address=APPLICATIONS_PER_ADDRESS)
            if not form.is_spam:
                services.submit_application(
                    stadsdorp, form.cleaned_data, token=form.submission_token
                )
            return redirect("membership:apply_done", slug=slug)
    else:
        form = ApplicationForm(stadsdorp=stadsdorp)
    context.update(form=form, suggestion=suggestion, suggestion_made=suggestion_made)
    return _private(render(request, "membership/apply.html", context, status=status))


def apply_done(request, slug):
    stadsdorp = _stadsdorp_by_slug(slug)
    return render(request, "membership/apply_done.html", {"stadsdorp": stadsdorp})


# --- Coordinators and contact persons ------------------------------------------------------------


def administration_view(view):
    """Logged in (else the login page), and a coordinator or contact person (else 403)."""

    @wraps(view)
    @never_cache
    @login_required
    def wrapper(request, *args, **kwargs):
        if not permissions.may_use_administration(request.user):
            return no_access(request)
        return _private(view(request, *args, **kwargs))

    return wrapper


STATUS_TABS = [
    ("open", Application.OPEN_STATUSES),
    ("approved", (Application.Status.APPROVED,)),
    ("declined", (Application.Status.DECLINED,)),
]


@administration_view
def queue(request):
    tab = request.GET.get("toon", "open")
    statuses = dict(STATUS_TABS).get(tab)
    if statuses is None:
        tab, statuses = "open", Application.OPEN_STATUSES
    applications = (
        permissions.visible_applications(request.user)
        .filter(status__in=statuses)
        .select_related("stadsdorp", "binnenbuurt", "suggested_binnenbuurt")
        .order_by("status", "-created_at" if tab != "open" else "created_at")
    )
    stadsdorpen = permissions.coordinated_stadsdorpen(request.user)
    return render(
        request,
        "membership/queue.html",
        {
            "applications": applications[:500],
            "tab": tab,
            "tabs": [
                ("open", _("Nog te doen")),
                ("approved", _("Lid geworden")),
                ("declined", _("Afgewezen")),
            ],
            "is_coordinator": stadsdorpen.exists(),
            "area_binnenbuurten": permissions.binnenbuurten_of_coordinator(request.user),
        },
    )


@administration_view
@require_http_methods(["GET", "POST"])
def application_detail(request, pk):
    application = permissions.visible_applications(request.user).filter(pk=pk).first()
    if application is None:
        # Somebody else's application and one that does not exist look the same.
        return no_access(request)
    may_decide = permissions.may_decide(request.user, application) and application.is_open
    form = None
    if may_decide:
        form = DecisionForm(
            request.POST if request.method == "POST" else None, application=application
        )
        if request.method == "POST" and form.is_valid():
            decision = form.cleaned_data["decision"]
            message = form.cleaned_data["message"]
            try:
                if decision == DecisionForm.Decision.APPROVE:
                    services.approve(
                        application,
                        request.user,
                        binnenbuurt=form.cleaned_data["binnenbuurt"],
                        message=message,
                    )
                    messages.success(
                        request,
                        _("%(name)s is nu lid.") % {"name": application.full_name},
                    )
                elif decision == DecisionForm.Decision.HOLD:
                    services.put_on_hold(application, request.user, message=message)
                    messages.success(
                        request,
                        _("De aanmelding van %(name)s ligt even stil.")
                        % {"name": application.full_name},
                    )
                else:
                    services.decline(application, request.user, message=message)
                    messages.success(
                        request,
                        _("De aanmelding van %(name)s is afgewezen.")
                        % {"name": application.full_name},
                    )
            except services.MembershipError as error:
                form.add_error(None, str(error))
            else:
                return redirect("membership:queue")
    elif request.method == "POST":
        return no_access(request)
    return render(
        request,
        "membership/application_detail.html",
        {"application": application, "form": form, "may_decide": may_decide},
    )


@administration_view
@require_http_methods(["GET", "POST"])
def enter_application(request):
    """A coordinator or contact person types in a paper form or a phone call."""
    stadsdorpen = permissions.stadsdorpen_for_entry(request.user).order_by("title")
    chosen = request.POST.get("stadsdorp") or request.GET.get("stadsdorp")
    stadsdorp = stadsdorpen.filter(pk=chosen).first() if (chosen or "").isdigit() else None
    if stadsdorp is None:
        if len(stadsdorpen) != 1:
            return render(request, "membership/enter_choose.html", {"stadsdorpen": stadsdorpen})
        stadsdorp = stadsdorpen[0]
    suggestion = None
    suggestion_made = False
    if request.method == "POST" and request.POST.get("action") == "suggest":
        form, suggestion = _suggestion_form(OnBehalfApplicationForm, request, stadsdorp)
        suggestion_made = True
    elif request.method == "POST":
        form = OnBehalfApplicationForm(request.POST, stadsdorp=stadsdorp)
        if form.is_valid() and not form.is_spam:
            application, created = services.submit_application(
                stadsdorp,
                form.cleaned_data,
                token=form.submission_token,
                source=form.cleaned_data["source"],
                entered_by=request.user,
            )
            if created:
                messages.success(
                    request,
                    _("De aanmelding van %(name)s is opgeslagen.")
                    % {"name": application.full_name},
                )
            else:
                messages.info(
                    request,
                    _("Deze aanmelding was er al; er is niets dubbel opgeslagen."),
                )
            return redirect("membership:queue")
    else:
        form = OnBehalfApplicationForm(stadsdorp=stadsdorp)
    return render(
        request,
        "membership/enter.html",
        {
            "form": form,
            "stadsdorp": stadsdorp,
            "suggestion": suggestion,
            "suggestion_made": suggestion_made,
        },
    )


@administration_view
@require_http_methods(["GET", "POST"])
def edit_area(request, binnenbuurt_id):
    binnenbuurten = permissions.binnenbuurten_of_coordinator(request.user)
    binnenbuurt = binnenbuurten.filter(pk=binnenbuurt_id).first()
    if binnenbuurt is None:
        return no_access(request)
    area, _created = BinnenbuurtArea.objects.get_or_create(binnenbuurt=binnenbuurt)
    form = AreaForm(request.POST or None, instance=area)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(
            request,
            _("De straten en postcodes van %(name)s zijn opgeslagen.") % {"name": binnenbuurt},
        )
        return redirect("membership:queue")
    return render(request, "membership/area.html", {"form": form, "binnenbuurt": binnenbuurt})


class WelcomeView(auth_views.PasswordResetConfirmView):
    """The set-password link of the welcome e-mail (7 days, once)."""

    template_name = "membership/welcome.html"
    token_generator = welcome_token_generator
    reset_url_token = "wachtwoord-kiezen"
    success_url = reverse_lazy("password_reset_complete")
