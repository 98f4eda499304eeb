"""The e-mails of the membership: plain text, in the reader's language, no personal data in links.

Everything goes out through ``deliver``, the one function that sends; it can become a background
task without touching the callers.
"""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from members_area.subscriptions.urls_util import absolute_reverse

from .models import MembershipSettings
from .tokens import WELCOME_LINK_VALID_FOR, welcome_token_generator


def deliver(messages):
    """Send the messages; a failing mail server must not undo the decision that was made."""
    for message in messages:
        message.send(fail_silently=False)


def _message(template, context, to, language="nl"):
    with translation.override(language):
        text = render_to_string(f"membership/emails/{template}.txt", context)
    subject, _, body = text.strip().partition("\n")
    return EmailMessage(subject.strip(), body.strip() + "\n", settings.DEFAULT_FROM_EMAIL, to)


def welcome_link(user, language="nl"):
    return absolute_reverse(
        "membership:welcome",
        language=language,
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": welcome_token_generator.make_token(user),
        },
    )


def application_received(application):
    """To the coordinators: a new application waits (names only the stadsdorp, no details)."""
    recipients = [user.email for user in _coordinators(application.stadsdorp) if user.email]
    if not recipients:
        return []
    context = {
        "stadsdorp": application.stadsdorp,
        "queue_url": absolute_reverse("membership:queue", language="nl"),
    }
    return [_message("application_received", context, recipients)]


def application_confirmation(application):
    """To the applicant, when there is an e-mail address."""
    if not application.email:
        return []
    context = {"application": application, "stadsdorp": application.stadsdorp}
    return [
        _message("application_confirmation", context, [application.email], application.language)
    ]


def welcome(application, member):
    user = member.user
    if not user.email:
        return []
    context = {
        "application": application,
        "member": member,
        "stadsdorp": application.stadsdorp,
        "link": welcome_link(user, member.language),
        "valid_days": WELCOME_LINK_VALID_FOR.days,
        "login_url": absolute_reverse("login", language=member.language),
    }
    return [_message("welcome", context, [user.email], member.language)]


def new_member_for_contacts(member):
    """To the binnenbuurt's contact persons: who joined; phone and address only with consent."""
    binnenbuurt = member.binnenbuurt
    if binnenbuurt is None:
        return []
    recipients = [user.email for user in binnenbuurt.contact_users if user.email]
    if not recipients:
        return []
    context = {"member": member, "binnenbuurt": binnenbuurt, "membership": member.membership}
    return [_message("new_member_for_contacts", context, recipients)]


def declined(application):
    if not application.email:
        return []
    context = {"application": application, "stadsdorp": application.stadsdorp}
    return [_message("declined", context, [application.email], application.language)]


def _coordinators(stadsdorp):
    settings_row = getattr(stadsdorp, "membership_settings", None)
    if settings_row is None:
        return []
    return list(settings_row.coordinators.filter(is_active=True))


def membership_ended(member, membership):
    user = member.user
    if not user.email:
        return []
    settings_row = MembershipSettings.objects.filter(stadsdorp_id=membership.stadsdorp_id).first()
    context = {
        "member": member,
        "membership": membership,
        "stadsdorp": membership.stadsdorp,
        "retention_days": settings_row.retention_days if settings_row else 365,
    }
    return [_message("membership_ended", context, [user.email], member.language)]


def invitation(member, stadsdorp):
    """The welcome e-mail for an imported member (only with ``--invite``)."""
    user = member.user
    if not user.email:
        return []
    context = {
        "member": member,
        "stadsdorp": stadsdorp,
        "link": welcome_link(user, member.language),
        "valid_days": WELCOME_LINK_VALID_FOR.days,
        "login_url": absolute_reverse("login", language=member.language),
    }
    return [_message("invitation", context, [user.email], member.language)]


def email_change_link(user, change, token, language="nl"):
    """To the NEW address: the link that makes it the login address."""
    context = {
        "user": user,
        "link": absolute_reverse("membership:email_confirm", language=language, args=[token]),
        "valid_hours": 48,
    }
    return [_message("email_change_link", context, [change.new_email], language)]


def email_changed_notice(user, old_email, language="nl"):
    """To the OLD address: the login changed (a change the member did not make stands out)."""
    if not old_email:
        return []
    context = {"user": user, "login_url": absolute_reverse("login", language=language)}
    return [_message("email_changed", context, [old_email], language)]


def contribution_reminder(contribution, settings_row):
    """To a member who has not paid this year's contribution (only with an e-mail address)."""
    membership = contribution.membership
    member = membership.member
    user = member.user
    if not user.email:
        return []
    context = {
        "member": member,
        "contribution": contribution,
        "stadsdorp": membership.stadsdorp,
        "settings": settings_row,
        "amount": contribution.amount
        if contribution.amount is not None
        else (settings_row.yearly_contribution if settings_row else None),
    }
    return [_message("contribution_reminder", context, [user.email], member.language)]
