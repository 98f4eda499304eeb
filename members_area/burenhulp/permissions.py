"""Who may see and act on a help post: the burenhulp's permissions.

Not a second privacy rule: which binnenbuurt someone belongs to is the members group that
Wagtail's restriction on the binnenbuurt's pages checks, asked of ``home.privacy``
(``Binnenbuurt.of_member``), and the contact persons are those of
``members_area.services.contact_binnenbuurten``. This module adds what is the app's own: a post's
reach, and who may act on it.

A post belongs to the binnenbuurt of the neighbour it is for. It is seen by the members of that
binnenbuurt, or by every member of the same stadsdorp when its reach is "stadsdorp"; by its author,
by the contact person who posted it on someone's behalf, and by the binnenbuurt's contact persons
(also when hidden, so that they can look after it). Nobody else: not a member of another
binnenbuurt or stadsdorp, not an editor, not an anonymous visitor. Lists, the member home, the
newsletter and every e-mail take their posts from ``listed_posts`` or check ``can_view``.

The member home's shared rendering is keyed by the same binnenbuurt
(``members_area.dashboard.dashboard_audience``).
"""

from dataclasses import dataclass, field

from django.db.models import Q

from members_area.models import Binnenbuurt
from members_area.services import contact_binnenbuurten

from .models import HelpPost, Reach, Response, Status


@dataclass(frozen=True)
class Viewer:
    user_id: int | None = None
    binnenbuurt_id: int | None = None
    stadsdorp_id: int | None = None
    contact_of: frozenset = field(default_factory=frozenset)

    @property
    def is_member(self):
        return self.binnenbuurt_id is not None

    @property
    def may_use(self):
        """In a binnenbuurt, or looking after one."""
        return self.is_member or bool(self.contact_of)


def viewer_for(user):
    """The user's place in the member area: two small queries (and the user's groups, which
    ``home.privacy`` has usually read already), remembered on the user object."""
    if not (user and user.is_authenticated):
        return Viewer()
    memo = getattr(user, "_burenhulp_viewer", None)
    if memo is not None:
        return memo
    binnenbuurt_id, stadsdorp_id = (
        Binnenbuurt.of_member(user).values_list("pk", "stadsdorp_id").first()
    ) or (None, None)
    contact_of = frozenset(contact_binnenbuurten(user).values_list("pk", flat=True))
    viewer = Viewer(user.pk, binnenbuurt_id, stadsdorp_id, contact_of)
    user._burenhulp_viewer = viewer
    return viewer


def scope_q(viewer):
    """Posts that the viewer's binnenbuurt or stadsdorp may see (regardless of their status)."""
    if not viewer.may_use:
        return Q(pk__in=[])
    q = Q(binnenbuurt_id__in=viewer.contact_of) if viewer.contact_of else Q(pk__in=[])
    if viewer.binnenbuurt_id is not None:
        q |= Q(binnenbuurt_id=viewer.binnenbuurt_id)
    if viewer.stadsdorp_id is not None:
        q |= Q(reach=Reach.STADSDORP, stadsdorp_id=viewer.stadsdorp_id)
    return q


def listed_posts(viewer, now=None):
    """Current posts the viewer may see in a list (never hidden, closed or expired ones)."""
    if not viewer.may_use:
        return HelpPost.objects.none()
    return HelpPost.objects.current(now).filter(scope_q(viewer))


def in_scope(post, viewer):
    if not viewer.may_use:
        return False
    if post.binnenbuurt_id == viewer.binnenbuurt_id or post.binnenbuurt_id in viewer.contact_of:
        return True
    return post.reach == Reach.STADSDORP and post.stadsdorp_id == viewer.stadsdorp_id


def can_manage(post, viewer):
    """Choose a helper, close, extend: the neighbour it is for, who posted it, their contacts."""
    if viewer.user_id is None:
        return False
    return (
        viewer.user_id in (post.author_id, post.posted_by_id)
        or post.binnenbuurt_id in viewer.contact_of
    )


def is_contact_for(post, viewer):
    return post.binnenbuurt_id in viewer.contact_of


def can_view(post, viewer):
    if viewer.user_id is None:
        return False
    if can_manage(post, viewer):
        return True
    if post.status == Status.HIDDEN:
        return False
    if in_scope(post, viewer) and post.is_current:
        return True
    # Whoever answered keeps seeing the post (and, if chosen, the contact details) afterwards,
    # as long as it is still in their binnenbuurt's or stadsdorp's reach.
    return (
        in_scope(post, viewer)
        and Response.objects.filter(post_id=post.pk, helper_id=viewer.user_id).exists()
    )


def post_for(viewer, post_id):
    """The post with this id if the viewer may see it, else None (also for ids that don't exist,
    so that a guessed id tells nothing)."""
    post = (
        HelpPost.objects.select_related("author__member", "posted_by__member", "binnenbuurt")
        .filter(pk=post_id)
        .first()
    )
    if post is None or not can_view(post, viewer):
        return None
    return post
