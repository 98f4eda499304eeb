"""Subscribing, confirming, unsubscribing, and keeping members subscribed by default.

Double opt-in: a sign-up on the website creates a *pending* subscriber and e-mails a signed,
single-use confirmation link; only a confirmed subscriber becomes *active*. Two simultaneous
submissions of the same address (a double click) create one subscriber and send one e-mail: the
unique index on the address decides the first, and a compare-and-set on ``confirmation_sent_at``
decides who sends.
"""

from datetime import timedelta

from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from members_area.models import Member

from .models import Subscriber, normalise_email
from .tokens import confirmation_token
from .urls_util import absolute_reverse

RESEND_AFTER = timedelta(minutes=5)


def _get_or_create(email, defaults):
    try:
        with transaction.atomic():
            return Subscriber.objects.get_or_create(email=email, defaults=defaults)
    except IntegrityError:
        # Someone else created it between our lookup and insert (a double submit).
        return Subscriber.objects.get(email=email), False


def subscribe(email, name="", language="nl"):
    """A public sign-up. Returns the subscriber; never tells the caller whether it existed."""
    email = normalise_email(email)
    subscriber, _created = _get_or_create(
        email,
        {
            "name": name,
            "language": language,
            "consent_source": Subscriber.Source.WEBSITE,
            "status": Subscriber.Status.PENDING,
        },
    )
    if subscriber.status == Subscriber.Status.ACTIVE:
        return subscriber  # already receives it; nothing to do, and nothing revealed
    if subscriber.status == Subscriber.Status.UNSUBSCRIBED:
        # Coming back needs a fresh confirmation.
        Subscriber.objects.filter(pk=subscriber.pk, status=Subscriber.Status.UNSUBSCRIBED).update(
            status=Subscriber.Status.PENDING, consent_source=Subscriber.Source.WEBSITE
        )
        subscriber.refresh_from_db()
    if name and not subscriber.name:
        Subscriber.objects.filter(pk=subscriber.pk).update(name=name)
        subscriber.name = name
    send_confirmation(subscriber)
    return subscriber


def send_confirmation(subscriber, force=False):
    """E-mail a new confirmation link, at most once per RESEND_AFTER (a double submit sends one)."""
    now = timezone.now()
    previous = subscriber.confirmation_sent_at
    if not force and previous and now - previous < RESEND_AFTER:
        return False
    nonce = subscriber.new_confirmation_nonce()
    claimed = Subscriber.objects.filter(
        Q(pk=subscriber.pk)
        & (Q(confirmation_sent_at=previous) if previous else Q(confirmation_sent_at__isnull=True))
    ).update(confirmation_sent_at=now, confirmation_token_hash=subscriber.confirmation_token_hash)
    if not claimed:
        return False
    subscriber.confirmation_sent_at = now
    token = confirmation_token(subscriber, nonce)
    with translation.override(subscriber.language):
        context = {
            "subscriber": subscriber,
            "confirm_url": absolute_reverse(
                "subscriptions:confirm", subscriber.language, args=[token]
            ),
        }
        subject = render_to_string("subscriptions/email/confirm_subject.txt", context).strip()
        text = render_to_string("subscriptions/email/confirm.txt", context)
        html = render_to_string("subscriptions/email/confirm.html", context)
    message = EmailMultiAlternatives(subject=subject, body=text, to=[subscriber.email])
    message.attach_alternative(html, "text/html")
    message.send()
    return True


def confirm(subscriber):
    """Activate (idempotent); the link is used up."""
    Subscriber.objects.filter(pk=subscriber.pk).update(
        status=Subscriber.Status.ACTIVE,
        confirmation_token_hash="",
        consent_recorded_at=timezone.now(),
        unsubscribed_at=None,
    )
    subscriber.refresh_from_db()
    return subscriber


def unsubscribe(subscriber):
    """Idempotent: a second click (or a mail client's one-click POST) changes nothing."""
    Subscriber.objects.filter(pk=subscriber.pk).exclude(
        status=Subscriber.Status.UNSUBSCRIBED
    ).update(status=Subscriber.Status.UNSUBSCRIBED, unsubscribed_at=timezone.now())
    subscriber.refresh_from_db()
    return subscriber


def resubscribe_member(user):
    """A member turns the newsletter back on from their own page (they are logged in)."""
    subscriber = sync_member_user(user, reactivate=True)
    return subscriber


# --- Members are subscribed by default -----------------------------------------------------------


def sync_member_user(user, reactivate=False):
    """Make sure a member with an e-mail address is a subscriber (unless they opted out)."""
    member = getattr(user, "member", None)
    email = normalise_email(user.email)
    if member is None or not email:
        return None
    subscriber = Subscriber.objects.filter(Q(user=user) | Q(email=email)).order_by("pk").first()
    if subscriber is None:
        subscriber, _created = _get_or_create(
            email,
            {
                "user": user,
                "name": user.get_full_name(),
                "language": member.language,
                "status": Subscriber.Status.ACTIVE,
                "consent_source": Subscriber.Source.MEMBER,
                "consent_recorded_at": timezone.now(),
            },
        )
    changes = {}
    if subscriber.user_id is None and not Subscriber.objects.filter(user=user).exists():
        changes["user"] = user
    if subscriber.status == Subscriber.Status.PENDING or (
        reactivate and subscriber.status == Subscriber.Status.UNSUBSCRIBED
    ):
        changes.update(
            status=Subscriber.Status.ACTIVE,
            consent_source=Subscriber.Source.MEMBER,
            consent_recorded_at=timezone.now(),
            unsubscribed_at=None,
        )
    if changes:
        for key, value in changes.items():
            setattr(subscriber, key, value)
        subscriber.save()
    return subscriber


def sync_all_members():
    """Subscribe every member with an address who has no subscription yet (bulk; idempotent).

    Runs when a send starts, so members added by an import without signals are not skipped.
    """
    existing_users = Subscriber.objects.filter(user__isnull=False).values("user_id")
    existing_emails = set(Subscriber.objects.values_list("email", flat=True))
    new = []
    now = timezone.now()
    members = (
        Member.objects.exclude(user_id__in=existing_users)
        .exclude(user__email="")
        .filter(user__is_active=True)
        .select_related("user")
    )
    for member in members:
        email = normalise_email(member.user.email)
        if email in existing_emails:
            continue
        existing_emails.add(email)
        new.append(
            Subscriber(
                email=email,
                user=member.user,
                name=member.user.get_full_name(),
                language=member.language,
                status=Subscriber.Status.ACTIVE,
                consent_source=Subscriber.Source.MEMBER,
                consent_recorded_at=now,
            )
        )
    Subscriber.objects.bulk_create(new, ignore_conflicts=True, batch_size=500)
    return len(new)
