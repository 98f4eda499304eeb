"""E-mails of burenhulp. Each ``notify_*`` takes ids only, so that it can run as a background task.

``later`` enqueues a notification on the site's task queue (``cms/tasks.py``, the queue that also
sends the newsletter) once the current transaction has committed, so a mail never tells of
something that was rolled back and the member who posts does not wait for the mail server: a
worker (``manage.py db_worker``) sends it, over one SMTP connection for all recipients. When the
mail server refuses, the task is retried with backoff and a last failure is listed in the
admin's "Mislukte taken". A retry sends the whole notification again: SMTP fails at connecting
far more often than halfway, and a neighbour getting a mail twice is better than not at all.

What a mail may say: the title, kind, category and date of a post and a link to it. Never an
address, phone number or e-mail address: those are only on the site, for the two neighbours who
agreed. Recipients are always checked against ``access`` (their own binnenbuurt or stadsdorp).
"""

from datetime import timedelta
from functools import partial

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cms.tasks import retrying_task
from members_area.models import Binnenbuurt, Member
from members_area.subscriptions.urls_util import absolute_reverse

from .models import HelpPost, Kind, NotificationPreference, Report, Response
from .permissions import listed_posts, viewer_for


def later(function, *args):
    """Send ``function(*args)`` from the task queue after the commit (ids only: they are stored)."""
    if NOTIFICATIONS.get(function.__name__) is not function:
        raise ValueError(f"{function.__name__} is not a burenhulp notification")
    transaction.on_commit(partial(deliver.enqueue, function.__name__, *args))


def _language_of(user):
    member = getattr(user, "member", None)
    return getattr(member, "language", "") or settings.LANGUAGE_CODE


def _message(user, subject, template, context):
    """One e-mail in the recipient's language; ``subject`` is called inside that language."""
    language = _language_of(user)
    with translation.override(language):
        context = {**context, "user": user, "site_name": settings.WAGTAIL_SITE_NAME}
        if "post" in context:
            context["post_url"] = absolute_reverse(
                "burenhulp:detail", language, kwargs={"post_id": context["post"].pk}
            )
        context["home_url"] = absolute_reverse("burenhulp:index", language)
        context["settings_url"] = absolute_reverse("burenhulp:preferences", language)
        return EmailMessage(
            str(subject() if callable(subject) else subject),
            render_to_string(template, context),
            None,
            [user.email],
        )


def _send(messages):
    messages = [message for message in messages if message.to and message.to[0]]
    if not messages:
        return 0
    with get_connection() as connection:
        return connection.send_messages(messages) or 0


def _who_hears_for(post):
    """The asker, or when the asker has no e-mail (posted by phone), the contact person."""
    recipients = []
    if post.author.email and post.author.is_active:
        recipients.append(post.author)
    if post.posted_by_id and post.posted_by.email and post.posted_by_id != post.author_id:
        recipients.append(post.posted_by)
    return recipients


def notify_new_request(post_id):
    """The members of the request's binnenbuurt who asked for an e-mail at once."""
    post = HelpPost.objects.select_related("binnenbuurt").filter(pk=post_id).first()
    if post is None or not post.is_current or post.kind != Kind.REQUEST:
        return 0
    users = (
        Member.objects.filter(
            binnenbuurt_id=post.binnenbuurt_id,
            user__is_active=True,
            user__burenhulp_preference__mode=NotificationPreference.Mode.IMMEDIATE,
        )
        .exclude(user__email="")
        .exclude(user_id__in=[post.author_id, post.posted_by_id or 0])
        .select_related("user")
    )
    messages = []
    for member in users:
        user = member.user
        user.member = member
        messages.append(
            _message(
                user,
                lambda: _("Burenhulp: een buur vraagt hulp"),
                "burenhulp/emails/new_request.txt",
                {"post": post},
            )
        )
    return _send(messages)


def notify_response(response_id):
    response = (
        Response.objects.select_related("post__author__member", "post__posted_by__member", "helper")
        .filter(pk=response_id)
        .first()
    )
    if response is None or response.state != Response.State.OFFERED:
        return 0
    post = response.post
    return _send(
        [
            _message(
                user,
                lambda: _("Burenhulp: iemand reageert op uw bericht"),
                "burenhulp/emails/response.txt",
                {"post": post, "response": response},
            )
            for user in _who_hears_for(post)
        ]
    )


def notify_accepted(response_id):
    response = (
        Response.objects.select_related("post", "helper__member").filter(pk=response_id).first()
    )
    if response is None or response.state != Response.State.ACCEPTED:
        return 0
    helper = response.helper
    if not (helper.email and helper.is_active):
        return 0
    return _send(
        [
            _message(
                helper,
                lambda: _("Burenhulp: uw hulp is aangenomen"),
                "burenhulp/emails/accepted.txt",
                {"post": response.post, "response": response},
            )
        ]
    )


def notify_report(report_id):
    report = Report.objects.select_related("post").filter(pk=report_id).first()
    if report is None:
        return 0
    binnenbuurt = (
        Binnenbuurt.objects.select_related("coordinator__member", "stand_in__member")
        .filter(pk=report.post.binnenbuurt_id)
        .first()
    )
    if binnenbuurt is None:
        return 0
    return _send(
        [
            _message(
                contact,
                lambda: _("Burenhulp: een bericht is gemeld"),
                "burenhulp/emails/report.txt",
                {"post": report.post, "binnenbuurt": binnenbuurt},
            )
            for contact in binnenbuurt.contact_users
            if contact.email and contact.is_active
        ]
    )


def notify_reminder(post_id):
    post = (
        HelpPost.objects.select_related("author__member", "posted_by__member")
        .filter(pk=post_id)
        .first()
    )
    if post is None or not post.is_current:
        return 0
    return _send(
        [
            _message(
                user,
                lambda: _("Burenhulp: is uw bericht nog nodig?"),
                "burenhulp/emails/reminder.txt",
                {"post": post},
            )
            for user in _who_hears_for(post)
        ]
    )


def send_digests(now=None):
    """The daily e-mail: what was posted since the last one that the member may see.

    Run once a day (``manage.py burenhulp_daily``). Each member's list comes from
    ``access.listed_posts``, so the digest shows exactly what the site would show them.
    """
    now = now or timezone.now()
    preferences = (
        NotificationPreference.objects.filter(
            mode=NotificationPreference.Mode.DAILY, user__is_active=True
        )
        .exclude(user__email="")
        .select_related("user__member")
    )
    messages, sent_to = [], []
    for preference in preferences:
        user = preference.user
        since = preference.last_digest_at or (now - timedelta(days=1))
        posts = list(
            listed_posts(viewer_for(user), now)
            .filter(created_at__gt=since, created_at__lte=now)
            .exclude(Q(author_id=user.pk) | Q(posted_by_id=user.pk))
            .order_by("kind", "-created_at")[:50]
        )
        sent_to.append(preference.pk)
        if not posts:
            continue
        language = _language_of(user)
        for post in posts:
            post.mail_url = absolute_reverse(
                "burenhulp:detail", language, kwargs={"post_id": post.pk}
            )
        messages.append(
            _message(
                user,
                lambda: _("Burenhulp: nieuw in uw buurt"),
                "burenhulp/emails/digest.txt",
                {
                    "requests": [post for post in posts if post.kind == Kind.REQUEST],
                    "offers": [post for post in posts if post.kind == Kind.OFFER],
                },
            )
        )
    NotificationPreference.objects.filter(pk__in=sent_to).update(last_digest_at=now)
    return _send(messages)


# What ``later`` may enqueue, by name: the task stores a name, not a function.
NOTIFICATIONS = {
    function.__name__: function
    for function in (
        notify_new_request,
        notify_response,
        notify_accepted,
        notify_report,
        notify_reminder,
    )
}


@retrying_task(max_attempts=4, base_delay=60)
def deliver(name, *args):
    """The task: one notification, by name; returns the number of e-mails sent."""
    return NOTIFICATIONS[name](*args)
