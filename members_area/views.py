"""Logging in and out, forgotten password, one-time codes and the member's own profile."""

import csv
import json
from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db.models import Q
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse, reverse_lazy
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters

from cms.accounts import throttle
from cms.spreadsheets import neutralise_formula
from events import signup
from events.listings import attach_exceptions
from events.models import EventPage, Registration
from home.text import html_to_text

from .burenhulp.export import member_data as burenhulp_data
from .forms import (
    CodeLoginForm,
    CodeRequestForm,
    EmailLoginForm,
    EmailPasswordResetForm,
    RemovalRequestForm,
)
from .membership.models import Membership
from .membership.permissions import administration_links_of
from .membership.self_service import MemberProfileForm
from .models import AccountRemovalRequest, BinnenbuurtNewsPage, LoginCode, Member
from .services import enrol_member, get_members_area_page
from .subscriptions.models import Subscriber

REMEMBER_ME_AGE = timedelta(days=30)
CODE_SESSION_KEY = "members_area_code_email"
# E-mails on request, per typed address and per client address in 15 minutes
# (cms.accounts.throttle).
CODE_REQUESTS_PER_ACCOUNT = 3
RESETS_PER_ACCOUNT = 6
MAIL_REQUESTS_PER_ADDRESS = 20


def members_home_url(request):
    """The "Mijn stadsdorp" page in the current language, or the site root."""
    page = get_members_area_page(create=False)
    if page is None:
        return "/"
    language = translation.get_language()
    translated = page.get_translations(inclusive=True).filter(locale__language_code=language)
    page = translated.first() or page
    return page.get_url(request) or "/"


def _finish_login(request, user, remember):
    login(request, user, backend="members_area.backends.EmailBackend")
    # Unticked: the session ends when the browser closes. Ticked: 30 days on this device.
    request.session.set_expiry(int(REMEMBER_ME_AGE.total_seconds()) if remember else 0)


def _safe_next(request, fallback):
    candidate = request.POST.get("next") or request.GET.get("next")
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return fallback


class LoginView(auth_views.LoginView):
    form_class = EmailLoginForm
    template_name = "members_area/auth/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form):
        user = form.get_user()
        _finish_login(self.request, user, form.cleaned_data.get("remember_me"))
        # Without a "next", the member lands on "Mijn stadsdorp" in the language of the login
        # page they chose (/en/login/), or else in their preferred language.
        language = translation.get_language()
        if language == settings.LANGUAGE_CODE:
            language = getattr(getattr(user, "member", None), "language", "") or None
        with translation.override(language or translation.get_language()):
            response = HttpResponseRedirect(self.get_success_url())
        if language:
            response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, samesite="Lax")
        return response

    def get_default_redirect_url(self):
        return members_home_url(self.request)


class LogoutView(auth_views.LogoutView):
    """POST only (Django's default); a GET shows a confirm button, which works without JS."""

    http_method_names = ["get", "post", "options"]
    template_name = "members_area/auth/logged_out.html"

    def get(self, request, *args, **kwargs):
        return render(request, "members_area/auth/logout_confirm.html")


class PasswordResetView(auth_views.PasswordResetView):
    form_class = EmailPasswordResetForm
    template_name = "members_area/auth/password_reset_form.html"
    email_template_name = "members_area/auth/password_reset_email.txt"
    subject_template_name = "members_area/auth/password_reset_subject.txt"
    success_url = reverse_lazy("password_reset_done")

    def form_valid(self, form):
        allowed = throttle.allow(
            self.request,
            "password-reset",
            account=form.cleaned_data["email"],
            per_account=RESETS_PER_ACCOUNT,
            per_address=MAIL_REQUESTS_PER_ADDRESS,
        )
        if not allowed:
            # Same page as always: whether mail goes out is never visible.
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "members_area/auth/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "members_area/auth/password_reset_confirm.html"
    success_url = reverse_lazy("password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "members_area/auth/password_reset_complete.html"


@never_cache
@csrf_protect
def code_request(request):
    """Step 1: ask for a code. The answer is the same whether the address is known or not."""
    form = CodeRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"].strip()
        allowed = throttle.allow(
            request,
            "code-request",
            account=email,
            per_account=CODE_REQUESTS_PER_ACCOUNT,
            per_address=MAIL_REQUESTS_PER_ADDRESS,
        )
        if not allowed:
            form.add_error(None, CODE_REQUESTS_MESSAGE)
        else:
            users = list(
                get_user_model()._default_manager.filter(email__iexact=email, is_active=True)[:2]
            )
            if len(users) == 1:
                _send_code(request, users[0])
            request.session[CODE_SESSION_KEY] = email
            next_url = _safe_next(request, "")
            target = reverse("login_code_enter")
            return redirect(f"{target}?{urlencode({'next': next_url})}" if next_url else target)
    return render(
        request,
        "members_area/auth/code_request.html",
        {"form": form, "next": _safe_next(request, "")},
    )


CODE_REQUESTS_MESSAGE = gettext_lazy(
    "Er zijn in korte tijd al een paar codes aangevraagd. Kijk in uw e-mail (ook bij "
    "ongewenste e-mail) of probeer het over 15 minuten opnieuw."
)


def _send_code(request, user):
    code = LoginCode.issue(user)
    context = {"code": code, "user": user, "minutes": 15, "site_name": settings.WAGTAIL_SITE_NAME}
    send_mail(
        _("Uw inlogcode: %(code)s") % {"code": code},
        render_to_string("members_area/auth/code_email.txt", context, request=request),
        None,
        [user.email],
    )


@never_cache
@csrf_protect
@sensitive_post_parameters("code")
def code_enter(request):
    """Step 2: type the code from the e-mail."""
    email = request.session.get(CODE_SESSION_KEY)
    if not email:
        return redirect("login_code")
    form = CodeLoginForm(request.POST or None, request=request, email=email)
    if request.method == "POST" and form.is_valid():
        request.session.pop(CODE_SESSION_KEY, None)
        _finish_login(request, form.user_cache, remember=bool(request.POST.get("remember_me")))
        return redirect(_safe_next(request, members_home_url(request)))
    return render(
        request,
        "members_area/auth/code_enter.html",
        {"form": form, "email": email, "next": _safe_next(request, "")},
    )


# --- Profile -----------------------------------------------------------------------------------


def _member_for(user):
    member, created = Member.objects.select_related("binnenbuurt", "user").get_or_create(user=user)
    if created:  # e.g. an editor who opens "Mijn gegevens": from now on a member like any other
        enrol_member(member)
    return member


@never_cache
@login_required
def profile(request):
    member = _member_for(request.user)
    # The member area's fields plus the membership's consents (members_area/membership).
    form = MemberProfileForm(request.POST or None, instance=member)
    if request.method == "POST" and form.is_valid():
        member = form.save()
        messages.success(request, _("Uw gegevens zijn opgeslagen."))
        response = redirect("members_profile")
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, member.language, samesite="Lax")
        return response
    return render(
        request,
        "members_area/profile.html",
        {
            "form": form,
            "member": member,
            "administration_links": administration_links_of(request.user),
        },
    )


def _registrations_of(user):
    """The sign-ups a member made logged in, or with their account's e-mail address."""
    made_by = Q(created_by=user)
    if user.email:
        made_by |= Q(email__iexact=user.email)
    return Registration.objects.filter(made_by).select_related("event")


@never_cache
@login_required
def my_signups(request):
    """ "Mijn aanmeldingen": the member's coming sign-ups, each with a way to cancel it."""
    registrations = list(
        _registrations_of(request.user)
        .filter(
            status__in=[Registration.Status.CONFIRMED, Registration.Status.WAITLISTED],
            occurrence_date__gte=timezone.localdate(),
        )
        .order_by("occurrence_date", "id")
    )
    # One instance per event, and one query for the exceptions of all the recurring ones.
    events = {}
    for registration in registrations:
        registration.event = events.setdefault(registration.event_id, registration.event)
    attach_exceptions(list(events.values()))
    rows = []
    for registration in registrations:
        occurrence = signup.find_occurrence(registration.event, registration.occurrence_date)
        rows.append(
            {
                "registration": registration,
                "event": registration.event,
                "start": timezone.localtime(occurrence.start) if occurrence else None,
                "cancel_url": reverse(
                    "events:cancel", args=[signup.make_cancel_token(registration)]
                ),
            }
        )
    return render(request, "members_area/my_signups.html", {"rows": rows})


def _newsletter_data(user):
    matches = Q(user=user)
    if user.email:
        matches |= Q(email__iexact=user.email)
    subscriber = Subscriber.objects.filter(matches).first()
    if subscriber is None:
        return None
    return {
        "email": subscriber.email,
        "name": subscriber.name,
        "status": subscriber.status,
        "language": subscriber.language,
        "consent_source": subscriber.consent_source,
        "consent_note": subscriber.consent_note,
        "consent_recorded_at": (
            subscriber.consent_recorded_at.isoformat() if subscriber.consent_recorded_at else None
        ),
    }


def _membership_data(member):
    """What the membership administration keeps about the member: consents, status, payments."""
    membership = (
        Membership.objects.filter(member=member)
        .select_related("stadsdorp")
        .prefetch_related("contributions")
        .first()
    )
    if membership is None:
        return None
    return {
        "stadsdorp": membership.stadsdorp.title,
        "share_address": membership.share_address,
        "prefers_phone": membership.prefers_phone,
        "paper_newsletter": membership.paper_newsletter,
        "source": membership.source,
        "member_since": membership.member_since.isoformat(),
        "status": membership.status,
        "ended_on": membership.ended_on.isoformat() if membership.ended_on else None,
        "end_reason": membership.end_reason,
        "contributions": [
            {
                "year": contribution.year,
                "status": contribution.status,
                "amount": str(contribution.amount) if contribution.amount is not None else None,
                "paid_on": contribution.paid_on.isoformat() if contribution.paid_on else None,
                "method": contribution.method,
                "reminded_at": (
                    contribution.reminded_at.isoformat() if contribution.reminded_at else None
                ),
            }
            for contribution in sorted(membership.contributions.all(), key=lambda c: c.year)
        ],
    }


def _posts_data(user):
    """News and activities the member (or their contact person, for them) posted on the site."""
    news = BinnenbuurtNewsPage.objects.filter(Q(posted_by=user) | Q(owner=user)).order_by("pk")
    events = EventPage.objects.filter(owner=user).order_by("pk")
    return [
        {
            "kind": "news",
            "title": page.title,
            "date": page.date.isoformat() if page.date else None,
            "text": html_to_text(page.body),
            "published": page.live,
        }
        for page in news
    ] + [
        {
            "kind": "event",
            "title": page.title,
            "start": page.start.isoformat(),
            "text": html_to_text(page.description),
            "published": page.live,
        }
        for page in events
    ]


@never_cache
@login_required
def profile_data(request):
    """All we keep about the member, as a JSON download (right of access, AVG/GDPR art. 15)."""
    member = _member_for(request.user)
    user = request.user
    data = {
        "account": {
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
            "groups": sorted(user.groups.values_list("name", flat=True)),
        },
        "member": {
            "binnenbuurt": member.binnenbuurt.name if member.binnenbuurt else None,
            "phone": member.phone,
            "street_address": member.street_address,
            "postcode": member.postcode_display,
            "city": member.city,
            "listed_in_member_list": member.listed_consent,
            "language": member.language,
            "member_since": member.joined_at.isoformat(),
        },
        "membership": _membership_data(member),
        "removal_requests": [
            {"created_at": item.created_at.isoformat(), "handled": item.handled}
            for item in user.removal_requests.all()
        ],
        "burenhulp": burenhulp_data(user),
        "event_signups": [
            {
                "event": registration.event.title,
                "date": registration.occurrence_date.isoformat(),
                "name": registration.name,
                "email": registration.email,
                "phone": registration.phone,
                "number_of_people": registration.number_of_people,
                "status": registration.status,
                "signed_up_at": registration.created_at.isoformat(),
            }
            for registration in _registrations_of(user).order_by("occurrence_date", "id")
        ],
        "newsletter": _newsletter_data(user),
        "posts": _posts_data(user),
    }
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json"
    )
    response["Content-Disposition"] = 'attachment; filename="mijn-gegevens.json"'
    return response


@never_cache
@login_required
def profile_remove(request):
    """Ask for removal: a request record and an e-mail to the administrators, who carry it out
    (a person checks it, so that a member is not removed by someone using their open session)."""
    form = RemovalRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        removal = AccountRemovalRequest.objects.create(
            user=request.user, reason=form.cleaned_data["reason"]
        )
        recipients = list(
            get_user_model()
            .objects.filter(is_superuser=True, is_active=True)
            .exclude(email="")
            .values_list("email", flat=True)
        )
        if recipients:
            send_mail(
                _("Verzoek om verwijdering van een account"),
                render_to_string(
                    "members_area/removal_request_email.txt",
                    {"removal": removal, "user": request.user},
                ),
                None,
                recipients,
            )
        messages.success(
            request,
            _(
                "Uw verzoek is verstuurd. Een beheerder verwijdert uw account binnen 30 dagen "
                "en laat het u per e-mail weten."
            ),
        )
        return redirect("members_profile")
    return render(request, "members_area/profile_remove.html", {"form": form})


# --- Administrators ----------------------------------------------------------------------------


def export_members_csv(request):
    """The member list as CSV, for administrators only (it holds personal data)."""
    if not request.user.is_superuser:
        raise PermissionDenied
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="ledenlijst.csv"'
    response.write("\ufeff")  # so that Excel opens it as UTF-8
    writer = csv.writer(response, delimiter=";")
    writer.writerow(
        [
            _("Voornaam"),
            _("Achternaam"),
            _("E-mailadres"),
            _("Telefoonnummer"),
            _("Adres"),
            _("Binnenbuurt"),
            _("Zichtbaar in de ledenlijst"),
            _("Voorkeurstaal"),
            _("Lid sinds"),
        ]
    )
    members = Member.objects.select_related("user", "binnenbuurt").order_by(
        "user__last_name", "user__first_name"
    )
    for member in members.iterator(chunk_size=500):
        writer.writerow(
            [
                neutralise_formula(member.user.first_name),
                neutralise_formula(member.user.last_name),
                neutralise_formula(member.user.email),
                neutralise_formula(member.phone),
                neutralise_formula(member.address_line),
                neutralise_formula(member.binnenbuurt.name if member.binnenbuurt else ""),
                _("ja") if member.listed_consent else _("nee"),
                member.language,
                timezone.localtime(member.joined_at).strftime("%d-%m-%Y"),
            ]
        )
    return response
