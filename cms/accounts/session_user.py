"""The logged-in user of a request, loaded with what every page asks of them.

Every page of a logged-in member asked four things in four queries: the user (Django's
``AuthenticationMiddleware``), whether they must give a second factor (their confirmed devices,
``two_factor.requires_second_factor``), their groups (``home.privacy``: which pages they may
see) and whether Wagtail's user bar shows (the ``wagtailadmin.access_admin`` permission). Here
the user row comes with the two yes/no answers as ``Exists`` subqueries (``_has_confirmed_device``,
read by ``requires_second_factor``; ``_may_open_admin``, read by the user bar's ``may_open_admin``;
a user loaded otherwise has neither, and they ask the database as before), and the groups in one
more query (a prefetch, which ``home.privacy.group_ids`` and the 2FA group rule read): two queries.

The answers hold for this request only (a new user object is loaded for every request), so a
changed group, device or permission counts from the next request on, as before.
https://docs.djangoproject.com/en/5.2/topics/auth/customizing/#writing-an-authentication-backend
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q

from cms.accounts.two_factor import device_models


def load_user(user_id):
    """The active-or-not user with this id, with the answers and groups loaded, or None."""
    confirmed_devices = [
        Exists(model.objects.filter(user=OuterRef("pk"), confirmed=True))
        for model in device_models()
    ]
    admin_permission = Permission.objects.filter(
        Q(user=OuterRef("pk")) | Q(group__user=OuterRef("pk")),
        content_type__app_label="wagtailadmin",
        codename="access_admin",
    )
    has_device = Q(pk__in=[])  # no device kinds installed: never
    for device in confirmed_devices:
        has_device |= Q(device)
    return (
        get_user_model()
        ._default_manager.filter(pk=user_id)
        .annotate(
            **{
                "_may_open_admin": Exists(admin_permission),
                "_has_confirmed_device": ExpressionWrapper(has_device, output_field=BooleanField()),
            }
        )
        .prefetch_related("groups")
        .first()
    )


class SessionUserMixin:
    """For an authentication backend: ``get_user`` (asked on every request with a session)
    through ``load_user``."""

    def get_user(self, user_id):
        user = load_user(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
