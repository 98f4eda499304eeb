"""Who may run the membership administration: roles, not a privacy rule.

Which pages anyone may see is ``home.privacy``'s; these are the permissions of the administration's
own screens (applications, member lists, contributions, paper lists), by role:

* a **coordinator** of a stadsdorp (``MembershipSettings.coordinators``) sees and decides the
  applications of that stadsdorp only;
* a **treasurer** ("penningmeester") of a stadsdorp (``MembershipSettings.treasurers``, assigned
  beside the coordinators) keeps that stadsdorp's contributions only: the overview, a member's
  payment, the export, reminders and the letters; no applications, no member administration. The
  coordinators keep the contributions too (a small stadsdorp may have no treasurer);
* a **contact person** of a binnenbuurt (its coordinator or stand-in) sees the applications that
  chose or were given their binnenbuurt, and may enter an application for someone without internet;
* an **administrator** (superuser) sees everything.
Everyone else gets the member area's plain 403. Views ask these functions and never filter by hand.
"""

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from home.models import StadsdorpPage
from members_area.models import Binnenbuurt, Member
from members_area.services import contact_binnenbuurten

from .models import Application, Membership, MembershipSettings


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


def treasurer_stadsdorpen(user):
    """The stadsdorpen this user is treasurer of."""
    if not _authenticated(user):
        return StadsdorpPage.objects.none()
    if user.is_superuser:
        return StadsdorpPage.objects.all()
    return StadsdorpPage.objects.filter(membership_settings__treasurers=user)


def contribution_stadsdorpen(user):
    """The stadsdorpen whose contributions this user keeps: their treasurers' and their
    coordinators' (who keep them too: a small stadsdorp may have no treasurer)."""
    if not _authenticated(user):
        return StadsdorpPage.objects.none()
    if user.is_superuser:
        return StadsdorpPage.objects.all()
    return StadsdorpPage.objects.filter(
        Q(pk__in=coordinated_stadsdorpen(user).values("pk"))
        | Q(pk__in=treasurer_stadsdorpen(user).values("pk"))
    )


def may_keep_contributions(user, stadsdorp=None):
    stadsdorpen = contribution_stadsdorpen(user)
    if stadsdorp is not None:
        stadsdorpen = stadsdorpen.filter(pk=stadsdorp.pk)
    return stadsdorpen.exists()


def contribution_member(user, member_id):
    """A member whose contribution this user keeps (a treasurer or coordinator of the member's
    stadsdorp), else None. Only what the contribution screens show is loaded."""
    return (
        Member.objects.filter(_members_of_q(contribution_stadsdorpen(user)), pk=member_id)
        .select_related("user", "binnenbuurt__stadsdorp", "membership__stadsdorp")
        .first()
    )


def may_see_contact_details(user, stadsdorp):
    """E-mail and phone in the contribution export: the coordinators' (they keep the member
    list anyway), not a treasurer's, who needs names, binnenbuurt and payments only."""
    return is_coordinator(user, stadsdorp)


def role_annotations(user):
    """Whether the user coordinates or keeps the contributions of any stadsdorp, as ``Exists``
    expressions to ride on a query the page runs anyway (the member home's, ``dashboard.py``)."""
    return {
        "_coordinates": Exists(
            MembershipSettings.coordinators.through.objects.filter(user_id=user.pk)
        ),
        "_treasurer": Exists(MembershipSettings.treasurers.through.objects.filter(user_id=user.pk)),
    }


def role_flags(user):
    """(coordinates, treasurer, contact person) of any stadsdorp or binnenbuurt, in one query
    (``may_use_administration`` and ``may_keep_contributions`` together ask three). The same
    rules as those two, for a user who is not a superuser."""
    if not _authenticated(user):
        return (False, False, False)
    contact = Binnenbuurt.objects.filter(Q(coordinator=OuterRef("pk")) | Q(stand_in=OuterRef("pk")))
    row = (
        get_user_model()
        .objects.filter(pk=user.pk)
        .annotate(**role_annotations(user), _contact=Exists(contact))
        .values_list("_coordinates", "_treasurer", "_contact")
        .first()
    )
    return tuple(bool(flag) for flag in row) if row else (False, False, False)


def administration_links(*, applications, contributions):
    """The links of a member's menu to the administration's screens (label, URL)."""
    links = []
    if applications:
        links.append((_("Aanmeldingen en leden"), reverse("membership:queue")))
    if contributions:
        links.append((_("Contributie"), reverse("membership:contributions")))
    return links


def administration_links_of(user):
    """``administration_links`` for this user, asked of the database in one query (the profile
    page, and the member home of a member without a binnenbuurt)."""
    if _authenticated(user) and user.is_superuser:
        return administration_links(
            applications=may_use_administration(user), contributions=may_keep_contributions(user)
        )
    coordinates, treasurer, contact = role_flags(user)
    return administration_links(
        applications=coordinates or contact, contributions=coordinates or treasurer
    )


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
