"""Public newsletter pages (sign up, confirm, unsubscribe) and the member's own settings.

Links from e-mails carry signed tokens (``tokens.py``). Anything wrong with a token (forged,
expired, already used, unknown subscriber) gives the SAME neutral page with status 400, so a link
reveals nothing about who is subscribed. GET requests never change anything (mail scanners follow
links); the change happens on a POST, with CSRF protection, except for the RFC 8058 one-click
endpoint that mail clients POST to without a session.
"""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from wagtail.models import Locale

from cms.accounts import throttle
from events import ical
from events.listings import events_queryset
from events.models import EventIndexPage
from home.privacy import visible_pages

from . import services
from .composition import _with_exceptions
from .forms import NewsletterPreferenceForm, SignupForm
from .models import CalendarFeedToken, Subscriber
from .tokens import read_confirmation_token, read_unsubscribe_token
from .urls_util import absolute_reverse, absolute_url

SIGNUPS_PER_ADDRESS = 20


def _language():
    return get_language() if get_language() in ("nl", "en") else "nl"


def link_invalid(request):
    return TemplateResponse(request, "subscriptions/link_invalid.html", status=400)


@never_cache
@require_http_methods(["GET", "POST"])
def signup(request):
    form = SignupForm(request.POST if request.method == "POST" else None)
    # Each sign-up sends an e-mail: limit them per IP address so the form cannot be used to flood
    # other people's mailboxes (accounts.throttle, per client address).
    if request.method == "POST" and throttle.is_blocked(
        request, "newsletter-signup", per_address=SIGNUPS_PER_ADDRESS
    ):
        form.is_valid()
        form.add_error(
            None,
            _(
                "Er zijn vanaf deze computer veel aanmeldingen gedaan. Probeer het over een "
                "kwartier opnieuw."
            ),
        )
        return TemplateResponse(request, "subscriptions/signup.html", {"form": form}, status=429)
    if request.method == "POST" and form.is_valid():
        throttle.allow(request, "newsletter-signup", per_address=SIGNUPS_PER_ADDRESS)
        if not form.is_spam:
            services.subscribe(
                form.cleaned_data["email"], name=form.cleaned_data["name"], language=_language()
            )
        # The same answer whether the address is new, pending or already subscribed.
        return redirect("subscriptions:signup_done")
    return TemplateResponse(request, "subscriptions/signup.html", {"form": form})


def signup_done(request):
    return TemplateResponse(request, "subscriptions/signup_done.html")


@never_cache
@require_http_methods(["GET", "POST"])
def confirm(request, token):
    subscriber = read_confirmation_token(token)
    if subscriber is None:
        return link_invalid(request)
    if request.method == "POST":
        services.confirm(subscriber)
        return TemplateResponse(
            request, "subscriptions/confirm_done.html", {"subscriber": subscriber}
        )
    return TemplateResponse(request, "subscriptions/confirm.html", {"subscriber": subscriber})


@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    subscriber = read_unsubscribe_token(token)
    if subscriber is None:
        return link_invalid(request)
    if request.method == "POST":
        services.unsubscribe(subscriber)
        return TemplateResponse(
            request, "subscriptions/unsubscribe_done.html", {"subscriber": subscriber}
        )
    return TemplateResponse(
        request,
        "subscriptions/unsubscribe.html",
        {"subscriber": subscriber, "already": subscriber.status == Subscriber.Status.UNSUBSCRIBED},
    )


@csrf_exempt  # RFC 8058: the mail client POSTs without a session; the signed token is the proof
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe_one_click(request, token):
    if request.method == "GET":
        # Someone opened the header's address in a browser: show the normal page.
        return redirect("subscriptions:unsubscribe", token=token)
    subscriber = read_unsubscribe_token(token)
    if subscriber is None:
        return HttpResponse(_("Deze link is niet geldig."), status=400, content_type="text/plain")
    services.unsubscribe(subscriber)
    return HttpResponse(_("U bent afgemeld."), content_type="text/plain; charset=utf-8")


# --- Logged-in members ---------------------------------------------------------------------------


@login_required
@never_cache
def my_newsletter(request):
    subscriber = Subscriber.objects.filter(user=request.user).first()
    if subscriber is None and request.user.email:
        subscriber = Subscriber.objects.filter(email__iexact=request.user.email).first()
    receiving = bool(subscriber and subscriber.is_active)
    form = NewsletterPreferenceForm(
        request.POST if request.method == "POST" else None, initial={"receive": receiving}
    )
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["receive"]:
            if getattr(request.user, "member", None) is not None:
                services.resubscribe_member(request.user)
                messages.success(request, _("U krijgt de nieuwsbrief weer per e-mail."))
            elif not receiving:
                services.subscribe(request.user.email, request.user.get_full_name(), _language())
                messages.success(
                    request,
                    _("We hebben u een e-mail gestuurd. Klik op de link daarin om te bevestigen."),
                )
        elif subscriber is not None:
            services.unsubscribe(subscriber)
            messages.success(request, _("U krijgt de nieuwsbrief niet meer."))
        return redirect("subscriptions:my_newsletter")
    return TemplateResponse(
        request,
        "subscriptions/my_newsletter.html",
        {"form": form, "subscriber": subscriber, "receiving": receiving},
    )


@login_required
@never_cache
def my_calendar(request):
    token = CalendarFeedToken.for_user(request.user)
    if request.method == "POST":
        if request.POST.get("action") == "reset":
            token.reset()
            token.save()
            messages.success(
                request,
                _(
                    "U hebt een nieuwe agenda-link. De oude link werkt niet meer: zet de nieuwe "
                    "in uw agenda-app."
                ),
            )
        return redirect("subscriptions:my_calendar")
    feed_url = absolute_reverse("subscriptions:calendar_feed", get_language(), args=[token.token])
    return TemplateResponse(
        request,
        "subscriptions/my_calendar.html",
        {
            "token": token,
            "feed_url": feed_url,
            "webcal_url": "webcal://" + feed_url.split("://", 1)[-1],
            "public_feed_url": _public_feed_url(request),
        },
    )


def _public_feed_url(request):
    public = visible_pages(EventIndexPage.objects.all(), AnonymousUser())
    index = public.filter(locale__language_code=get_language()).first() or public.first()
    return absolute_url(f"{index.get_url(request)}ical/") if index else ""


@never_cache
def calendar_feed(request, token):
    """The member's personal feed: the events that member may see (public, members, own
    binnenbuurt). Unknown or reset tokens give 404 with no detail."""
    feed_token = CalendarFeedToken.lookup(token)
    if feed_token is None:
        raise Http404
    user = feed_token.user
    CalendarFeedToken.objects.filter(pk=feed_token.pk).update(last_used_at=timezone.now())
    locale = Locale.objects.filter(language_code=get_language()).first()
    events = _with_exceptions(
        list(
            events_queryset(user, locale=locale)
            .filter(series_end__gte=timezone.now() - timedelta(days=31))
            .order_by("start")
        )
    )
    name = _("Mijn agenda – %(site)s") % {"site": request.get_host()}
    content = ical.calendar_for_events(
        events, name, lambda event: event.get_full_url(request) or ""
    )
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="mijn-agenda.ics"'
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response
