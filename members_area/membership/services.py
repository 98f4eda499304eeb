"""What happens to an application: stored once, then approved, put on hold or declined.

Views and the import call these functions; nothing happens in signals. E-mails go out after the
transaction commits (``transaction.on_commit``), so a rolled-back decision sends nothing.
"""

import uuid
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from members_area.models import Member
from members_area.services import (
    contact_binnenbuurten,
    enrol_member,
    members_group,
    sync_member_groups,
)

from . import emails
from .models import Application, MemberImport, Membership, MembershipSettings, Source
from .permissions import binnenbuurten_of
from .postcodes import suggest_binnenbuurt

DEFAULT_RETENTION_DAYS = 365


class MembershipError(Exception):
    """A decision that cannot be carried out; the message is Dutch and meant for the coordinator."""


def suggest_for(stadsdorp, street_address, postcode):
    return suggest_binnenbuurt(binnenbuurten_of(stadsdorp), street_address, postcode)


def _open_duplicate(stadsdorp, data):
    """An open application of the same person: same e-mail, else same name and postcode."""
    open_ones = Application.objects.filter(
        stadsdorp=stadsdorp, status__in=Application.OPEN_STATUSES
    )
    if data.get("email"):
        return open_ones.filter(email=data["email"].strip().lower()).first()
    return open_ones.filter(
        first_name__iexact=data["first_name"].strip(),
        last_name__iexact=data["last_name"].strip(),
        postcode=data["postcode"],
    ).first()


def submit_application(stadsdorp, data, *, token=None, source=Source.ONLINE, entered_by=None):
    """Store an application once; (application, created).

    The same form posted twice (``token``) or the same person applying again while their first
    application is still open gives back the first application.
    """
    if token is not None:
        existing = Application.objects.filter(submission_token=token).first()
        if existing is not None:
            return existing, False
    duplicate = _open_duplicate(stadsdorp, data)
    if duplicate is not None:
        return duplicate, False
    fields = {
        name: data[name]
        for name in (
            "first_name",
            "last_name",
            "street_address",
            "postcode",
            "city",
            "phone",
            "email",
            "language",
            "heard_from",
            "share_phone",
            "share_address",
            "prefers_phone",
            "paper_newsletter",
            "note",
        )
        if name in data
    }
    for name in ("first_name", "last_name", "street_address", "city", "phone", "note"):
        if name in fields:
            fields[name] = fields[name].strip()
    if not fields.get("email"):
        fields["paper_newsletter"] = True
    application = Application(
        stadsdorp=stadsdorp,
        binnenbuurt=data.get("binnenbuurt"),
        suggested_binnenbuurt=suggest_for(stadsdorp, data["street_address"], data["postcode"]),
        source=source,
        entered_by=entered_by,
        submission_token=token,
        **fields,
    )
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError:  # the same form posted at the very same moment
        return Application.objects.get(submission_token=token), False
    transaction.on_commit(
        lambda: emails.deliver(
            emails.application_received(application) + emails.application_confirmation(application)
        )
    )
    return application, True


def _user_for(application):
    """The account of the new member: the existing one with this address, or a new one.

    Without an e-mail address the account cannot log in (no usable password, no address to send
    a code to); it exists because the member area hangs a member on an account.
    """
    User = get_user_model()
    if application.email:
        user = User.objects.filter(email__iexact=application.email).first()
        if user is not None:
            if Member.objects.filter(user=user).exists():
                raise MembershipError(
                    _("Er is al een lid met dit e-mailadres. Zoek het in de ledenlijst.")
                )
            return user
        username = application.email
    else:
        username = f"lid-{uuid.uuid4().hex[:12]}"
    user = User(
        username=username,
        email=application.email,
        first_name=application.first_name[:150],
        last_name=application.last_name[:150],
    )
    user.set_unusable_password()
    user.save()
    return user


@transaction.atomic
def approve(application, by, *, binnenbuurt=None, message=""):
    """Make the applicant a member; a second approval of the same application changes nothing."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.status == Application.Status.APPROVED:
        return application.member
    if application.status == Application.Status.DECLINED:
        raise MembershipError(_("Deze aanmelding is al afgewezen."))
    if binnenbuurt is not None and binnenbuurt.stadsdorp_id != application.stadsdorp_id:
        raise MembershipError(_("Deze binnenbuurt hoort niet bij dit stadsdorp."))
    user = _user_for(application)
    member = Member.objects.create(
        user=user,
        binnenbuurt=binnenbuurt,
        phone=application.phone,
        street_address=application.street_address,
        postcode=application.postcode,
        city=application.city,
        listed_consent=application.share_phone,
        language=application.language,
    )
    membership = Membership.objects.create(
        member=member,
        stadsdorp=application.stadsdorp,
        share_address=application.share_address,
        prefers_phone=application.prefers_phone,
        paper_newsletter=application.paper_newsletter or not application.email,
        source=application.source,
    )
    member.membership = membership
    enrol_member(member)
    application.status = Application.Status.APPROVED
    application.binnenbuurt = binnenbuurt
    application.member = member
    application.decision_message = message
    application.decided_by = by
    application.decided_at = timezone.now()
    application.save()
    transaction.on_commit(
        lambda: emails.deliver(
            emails.welcome(application, member) + emails.new_member_for_contacts(member)
        )
    )
    return member


@transaction.atomic
def put_on_hold(application, by, *, message=""):
    application = Application.objects.select_for_update().get(pk=application.pk)
    if not application.is_open:
        raise MembershipError(_("Deze aanmelding is al afgehandeld."))
    application.status = Application.Status.ON_HOLD
    application.decision_message = message
    application.decided_by = by
    application.decided_at = timezone.now()
    application.save()
    return application


@transaction.atomic
def decline(application, by, *, message):
    application = Application.objects.select_for_update().get(pk=application.pk)
    if not application.is_open:
        raise MembershipError(_("Deze aanmelding is al afgehandeld."))
    application.status = Application.Status.DECLINED
    application.decision_message = message
    application.decided_by = by
    application.decided_at = timezone.now()
    application.save()
    transaction.on_commit(lambda: emails.deliver(emails.declined(application)))
    return application


# --- Member administration ---------------------------------------------------------------------


def membership_for(member):
    """The member's membership record; made on first use for members created by hand."""
    membership = Membership.objects.filter(member=member).first()
    if membership is None:
        stadsdorp_id = member.binnenbuurt.stadsdorp_id if member.binnenbuurt_id else None
        if stadsdorp_id is None:
            raise MembershipError(_("Dit lid hoort bij geen enkel stadsdorp."))
        membership = Membership.objects.create(
            member=member,
            stadsdorp_id=stadsdorp_id,
            member_since=timezone.localtime(member.joined_at).date(),
        )
    return membership


@transaction.atomic
def move(member, binnenbuurt):
    """Another binnenbuurt of the same stadsdorp; the member's groups follow (members_area)."""
    membership = membership_for(member)
    if binnenbuurt is not None and binnenbuurt.stadsdorp_id != membership.stadsdorp_id:
        raise MembershipError(_("Deze binnenbuurt hoort niet bij dit stadsdorp."))
    member.binnenbuurt = binnenbuurt
    member.save(update_fields=["binnenbuurt"])
    sync_member_groups(member)
    return member


def _has_other_role(user):
    return (
        user.is_staff
        or user.is_superuser
        or contact_binnenbuurten(user).exists()
        or user.coordinated_stadsdorpen.exists()
        or user.treasurer_of_stadsdorpen.exists()
    )


@transaction.atomic
def end_membership(member, by, *, ended_on, reason=""):
    """End a membership: no more access to the member area; the data go after the retention
    period of the stadsdorp (``purge_expired``). The member is told when there is an address."""
    membership = membership_for(member)
    if membership.status == Membership.Status.ENDED:
        return membership
    membership.status = Membership.Status.ENDED
    membership.ended_on = ended_on
    membership.end_reason = reason
    membership.save(update_fields=["status", "ended_on", "end_reason"])
    user = member.user
    user.groups.remove(*Group.objects.filter(binnenbuurt_as_members__isnull=False))
    user.groups.remove(members_group())
    if not _has_other_role(user):
        user.is_active = False
        user.save(update_fields=["is_active"])
    transaction.on_commit(lambda: emails.deliver(emails.membership_ended(member, membership)))
    return membership


def retention_days(stadsdorp_id, cache):
    if stadsdorp_id not in cache:
        row = MembershipSettings.objects.filter(stadsdorp_id=stadsdorp_id).first()
        cache[stadsdorp_id] = row.retention_days if row else DEFAULT_RETENTION_DAYS
    return cache[stadsdorp_id]


@transaction.atomic
def purge_expired(today=None):
    """Erase what the retention period no longer allows: ended memberships and declined
    applications older than their stadsdorp's period. Returns (members, applications) erased."""
    today = today or timezone.localdate()
    periods = {}
    members = 0
    ended = Membership.objects.filter(status=Membership.Status.ENDED, ended_on__isnull=False)
    for membership in ended.select_related("member__user"):
        days = retention_days(membership.stadsdorp_id, periods)
        if membership.ended_on + timedelta(days=days) > today:
            continue
        member = membership.member
        user = member.user
        Application.objects.filter(member=member).delete()
        if _has_other_role(user):
            member.delete()
        else:
            user.delete()  # the member profile and the membership go with it
        members += 1
    applications = 0
    declined = Application.objects.filter(
        status=Application.Status.DECLINED, decided_at__isnull=False
    )
    for application in declined:
        days = retention_days(application.stadsdorp_id, periods)
        if timezone.localdate(application.decided_at) + timedelta(days=days) <= today:
            application.delete()
            applications += 1
    # Uploaded member lists that were previewed but never read in, and the files of read ones.
    for member_import in MemberImport.objects.filter(
        created_at__lt=timezone.now() - timedelta(days=1)
    ):
        member_import.file.delete(save=False)
        member_import.delete()
    return members, applications
