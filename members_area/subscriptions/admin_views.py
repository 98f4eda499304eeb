"""The editors' newsletter screen: preview as a subscriber, test to oneself, fill automatically,
send now or schedule, and the delivery report.

Only users who may publish the issue page may send it (Wagtail page permissions,
https://docs.wagtail.org/en/stable/topics/permissions.html#page-permissions). "Nu versturen" does
not send inside the web request: it schedules the issue for now, and the ``send_newsletters``
command (run by cron every minute, see README.md) sends it in the background.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.mail import get_connection
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from . import sending, tasks
from .composition import Composer, snapshot_body, subscribers_for_rendering
from .emails import build_message, render_newsletter
from .forms import PreviewForm, ScheduleForm, TestSendForm
from .models import Delivery, Dispatch, NewsletterPage, Subscriber


def get_newsletter_for_editor(request, page_id, action="publish"):
    newsletter = get_object_or_404(NewsletterPage, pk=page_id)
    permissions = newsletter.permissions_for_user(request.user)
    allowed = permissions.can_publish() if action == "publish" else permissions.can_edit()
    if not allowed:
        raise PermissionDenied
    return newsletter


def newsletter_admin(request, page_id):
    newsletter = get_newsletter_for_editor(request, page_id, action="edit")
    dispatch = newsletter.dispatch_or_none
    schedule_form = ScheduleForm(prefix="schedule")
    if request.method == "POST":
        newsletter = get_newsletter_for_editor(request, page_id)
        action = request.POST.get("action")
        if action == "fill":
            return _fill(request, newsletter)
        if action == "test":
            return _send_test(request, newsletter)
        if action in ("send_now", "schedule"):
            if not newsletter.live:
                messages.error(
                    request,
                    _("Publiceer de nieuwsbrief eerst; daarna kunt u hem versturen."),
                )
                return redirect("subscriptions_admin", newsletter.pk)
            send_at = timezone.now()
            if action == "schedule":
                schedule_form = ScheduleForm(request.POST, prefix="schedule")
                if not schedule_form.is_valid():
                    return _render(request, newsletter, dispatch, schedule_form)
                send_at = schedule_form.cleaned_data["send_at"]
            try:
                sending.schedule(newsletter, send_at, user=request.user)
            except sending.SendRefused:
                messages.error(
                    request,
                    _("Deze nieuwsbrief wordt al verstuurd of is al verstuurd."),
                )
            else:
                if action == "send_now":
                    tasks.enqueue_sending()
                messages.success(
                    request,
                    _("De nieuwsbrief wordt verstuurd vanaf %(when)s.")
                    % {"when": timezone.localtime(send_at).strftime("%d-%m-%Y %H:%M")},
                )
            return redirect("subscriptions_admin", newsletter.pk)
        if action == "cancel" and dispatch and dispatch.status == Dispatch.Status.SCHEDULED:
            dispatch.delete()
            messages.success(request, _("Het versturen is geannuleerd."))
            return redirect("subscriptions_admin", newsletter.pk)
    return _render(request, newsletter, dispatch, schedule_form)


def _render(request, newsletter, dispatch, schedule_form):
    report = sending.SendReport.for_newsletter(newsletter)
    problems = (
        Delivery.objects.filter(
            newsletter=newsletter,
            status__in=[Delivery.Status.FAILED, Delivery.Status.BOUNCED, Delivery.Status.UNKNOWN],
        )
        .select_related("subscriber")
        .order_by("status", "subscriber__email")[:200]
    )
    return TemplateResponse(
        request,
        "subscriptions/admin/newsletter_admin.html",
        {
            "newsletter": newsletter,
            "dispatch": dispatch,
            "report": report,
            "problems": problems,
            "recipient_count": sending.recipients(newsletter).count(),
            "preview_form": PreviewForm(),
            "test_form": TestSendForm(),
            "schedule_form": schedule_form,
            "edit_url": reverse("wagtailadmin_pages:edit", args=[newsletter.pk]),
        },
    )


def _fill(request, newsletter):
    """ "Vul automatisch": a new draft revision whose automatic sections are page lists."""
    draft = newsletter.get_latest_revision_as_object()
    draft.body = snapshot_body(draft)
    draft.save_revision(user=request.user, log_action=True)
    messages.success(
        request,
        _(
            "De automatische blokken zijn gevuld met de berichten van nu (als concept). "
            "U kunt ze nu inkorten en van volgorde veranderen."
        ),
    )
    return redirect("wagtailadmin_pages:edit", newsletter.pk)


def _send_test(request, newsletter):
    form = TestSendForm(request.POST)
    language = form.cleaned_data["language"] if form.is_valid() else "nl"
    if not request.user.email:
        messages.error(request, _("Uw account heeft geen e-mailadres; vul dat eerst in."))
        return redirect("subscriptions_admin", newsletter.pk)
    draft = newsletter.get_latest_revision_as_object()
    subscriber = Subscriber.objects.filter(user=request.user).first() or Subscriber(
        email=request.user.email, name=request.user.get_full_name(), language=language
    )
    subscriber.language = language
    message = build_message(draft, subscriber, Composer(draft), connection=get_connection())
    message.subject = _("[TEST] %(subject)s") % {"subject": message.subject}
    message.to = [request.user.email]
    message.send()
    messages.success(
        request, _("Testversie verstuurd naar %(email)s.") % {"email": request.user.email}
    )
    return redirect("subscriptions_admin", newsletter.pk)


def newsletter_preview(request, page_id):
    """The e-mail exactly as the chosen subscriber would get it (latest draft)."""
    newsletter = get_newsletter_for_editor(request, page_id, action="edit")
    form = PreviewForm(request.GET or None)
    if not form.is_valid():
        errors = " ".join(form.errors.get("email", [])) or _(
            "Kies een abonnee om de nieuwsbrief als die persoon te bekijken."
        )
        messages.error(request, errors)
        return redirect("subscriptions_admin", newsletter.pk)
    subscriber = subscribers_for_rendering(
        Subscriber.objects.filter(pk=form.cleaned_data["subscriber"].pk)
    ).get()
    draft = newsletter.get_latest_revision_as_object()
    _subject, text, html, _links = render_newsletter(draft, subscriber, Composer(draft))
    if request.GET.get("format") == "text":
        return HttpResponse(text, content_type="text/plain; charset=utf-8")
    return HttpResponse(html)
