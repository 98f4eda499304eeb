"""Who may run the membership administration: roles, not a privacy rule.

Which pages anyone may see is ``home.privacy``'s; these are the permissions of the administration's
own screens (applications, member lists, contributions, paper lists), by role:

* a **coordinator** of a stadsdorp (``MembershipSettings.coordinators``) sees and decides the
  applications of that stadsdorp only;
* a **contact person** of a binnenbuurt (its coordinator or stand-in) sees the applications that
  chose or were given their binnenbuurt, and may enter an application for someone without internet;
* an **administrator** (superuser) sees everything.
Everyone else gets the member area's plain 403. Views ask these functions and never filter by hand.
"""

from django.db.models import Q

from home.models import StadsdorpPage
from members_area.models import Binnenbuurt, Member
from members_area.services import contact_binnenbuurten

from .models import Application, Membership


def _authenticated(user):
    return bool(user and user.is_authenticated and user.is_active)


def coordinated_stadsdorpen(user):
    """The stadsdorpen whose membership this user runs."""
    if not _authenticated(user):
        return StadsdorpPage.objects.none()
    if user.is_superuser:
        return StadsdorpPage.objects.all()
    return StadsdorpPage.objects.filter(membership_settings__coordinators=user)


def is_coordinator(user, stadsdorp=None):
    stadsdorpen = coordinated_stadsdorpen(user)
    if stadsdorp is not None:
        stadsdorpen = stadsdorpen.filter(pk=stadsdorp.pk)
    return stadsdorpen.exists()


def may_use_administration(user):
    """Coordinators and contact persons reach the membership screens at all (contact persons
    see their binnenbuurt's applications and print its list; only coordinators see members)."""
    return is_coordinator(user) or contact_binnenbuurten(user).exists()


def visible_applications(user):
    if not _authenticated(user):
        return Application.objects.none()
    if user.is_superuser:
        return Application.objects.all()
    return Application.objects.filter(
        Q(stadsdorp__in=coordinated_stadsdorpen(user))
        | Q(binnenbuurt__in=contact_binnenbuurten(user))
    ).distinct()


def may_decide(user, application):
    return is_coordinator(user, application.stadsdorp)


def stadsdorpen_for_entry(user):
    """Where this user may enter an application on someone's behalf."""
    if not _authenticated(user):
        return StadsdorpPage.objects.none()
    if user.is_superuser:
        return StadsdorpPage.objects.all()
    return StadsdorpPage.objects.filter(
        Q(pk__in=coordinated_stadsdorpen(user)) | Q(binnenbuurten__in=contact_binnenbuurten(user))
    ).distinct()


def binnenbuurten_of(stadsdorp):
    return Binnenbuurt.objects.filter(stadsdorp=stadsdorp).select_related("area").order_by("name")


def binnenbuurten_of_coordinator(user):
    """The binnenbuurten whose street lists this user keeps: those of their stadsdorpen."""
    return (
        Binnenbuurt.objects.filter(stadsdorp__in=coordinated_stadsdorpen(user))
        .select_related("stadsdorp")
        .order_by("stadsdorp__title", "name")
    )


def _members_of_q(stadsdorpen):
    """Members of these stadsdorpen: by their membership record, or (members made by hand in the
    admin, without one) by their binnenbuurt."""
    return Q(membership__stadsdorp__in=stadsdorpen) | Q(
        membership__isnull=True, binnenbuurt__stadsdorp__in=stadsdorpen
    )


def members_of(stadsdorp):
    return Member.objects.filter(_members_of_q([stadsdorp]))


def visible_member(user, member_id):
    """A member this user administers (a coordinator of the member's stadsdorp), else None."""
    stadsdorpen = coordinated_stadsdorpen(user)
    return (
        Member.objects.filter(_members_of_q(stadsdorpen), pk=member_id)
        .select_related("user", "binnenbuurt", "membership")
        .first()
    )


def may_print_list(user, binnenbuurt):
    """The printable list of a binnenbuurt: its contact persons and its stadsdorp's coordinators."""
    return binnenbuurt.is_contact_person(user) or is_coordinator(user, binnenbuurt.stadsdorp)


def printable_binnenbuurten(user):
    if not _authenticated(user):
        return Binnenbuurt.objects.none()
    return (
        Binnenbuurt.objects.filter(
            Q(stadsdorp__in=coordinated_stadsdorpen(user)) | Q(pk__in=contact_binnenbuurten(user))
        )
        .select_related("stadsdorp")
        .order_by("stadsdorp__title", "name")
        .distinct()
    )


def contribution_stadsdorpen(user):
    """The stadsdorpen whose contributions this user keeps: a coordinator's own. (No separate
    treasurer role: in these associations the treasurer is one of the coordinators.)"""
    return coordinated_stadsdorpen(user)


def newsletter_label_stadsdorpen(user):
    """Whose addresses this user may print on newsletter labels: a coordinator's own stadsdorpen.
    An editor who may send the newsletter but runs no stadsdorp gets the edition, not addresses."""
    return coordinated_stadsdorpen(user)


def paper_newsletter_members(stadsdorpen):
    """Current members of these stadsdorpen who get the newsletter on paper: they asked for it,
    or they have no e-mail address."""
    members = Member.objects.filter(_members_of_q(stadsdorpen)).exclude(
        membership__status=Membership.Status.ENDED
    )
    return members.filter(Q(membership__paper_newsletter=True) | Q(user__email=""))
