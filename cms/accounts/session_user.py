"""The logged-in user of a request, loaded with what every page asks of them.

Every page of a logged-in member asked four things in four queries: the user (Django's
``AuthenticationMiddleware``), whether they must give a second factor (their confirmed devices,
``two_factor.requires_second_factor``), their groups (``home.privacy``: which pages they may
see) and whether Wagtail's user bar shows (the ``wagtailadmin.access_admin`` permission). Here
the user row comes with the two yes/no answers as ``Exists`` subqueries (``_has_confirmed_device``,
read by ``requires_second_factor``; ``_may_open_admin``, read by the user bar's ``may_open_admin``;
a user loaded otherwise has neither, and they ask the database as before), and the groups as a
JSON list in the same row (SQLite's ``json_group_array``, PostgreSQL's ``json_agg``; left as a
prefetch leaves them, read by ``home.privacy.group_ids`` and the 2FA group rule): one query,
compiled once per process (on PostgreSQL each query is a round trip of its own).

The answers hold for this request only (a new user object is loaded for every request), so a
changed group, device or permission counts from the next request on, as before.
https://docs.djangoproject.com/en/5.2/topics/auth/customizing/#writing-an-authentication-backend
"""

import json

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q, TextField
from django.db.models.expressions import RawSQL

from cms.accounts.two_factor import device_models

# A user id no database hands out: the place of the id among a compiled query's parameters.
SENTINEL_ID = -7_654_321
# Compiling these querysets cost more CPU than running them (about 3 ms for the four, as much
# as the rest of a member's page); they are compiled once per process and database, and the
# 2FA settings they read (which tests change).
_compiled = {}


# The user's groups as a JSON list of [id, name], by database; another database reads them in a
# query of their own.
GROUPS_AS_JSON = {
    "sqlite": "json_group_array(json_array(g.id, g.name))",
    "postgresql": "COALESCE(json_agg(json_build_array(g.id, g.name))::text, '[]')",
}


def _groups_json(vendor):
    quote = connection.ops.quote_name
    user_model = get_user_model()
    through = user_model.groups.through._meta
    sql = (
        f"SELECT {GROUPS_AS_JSON[vendor]} FROM {quote(Group._meta.db_table)} g "
        f"INNER JOIN {quote(through.db_table)} ug "
        f"ON g.id = ug.{quote(through.get_field('group').column)} "
        f"WHERE ug.{quote(through.get_field('user').column)} = "
        f"{quote(user_model._meta.db_table)}.{quote(user_model._meta.pk.column)}"
    )
    return RawSQL(f"({sql})", (), output_field=TextField())


def _user_queryset(user_id):
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
    answers = {
        "_may_open_admin": Exists(admin_permission),
        "_has_confirmed_device": ExpressionWrapper(has_device, output_field=BooleanField()),
    }
    if connection.vendor in GROUPS_AS_JSON:
        answers["_groups_json"] = _groups_json(connection.vendor)
    return get_user_model()._default_manager.filter(pk=user_id).annotate(**answers).order_by()


def _groups_queryset(user_id):
    return Group.objects.filter(user=user_id).order_by("pk")


def _run(name, make_queryset, user_id):
    """``make_queryset(user_id)`` as raw SQL compiled once (see ``_compiled``)."""
    key = (
        name,
        connection.alias,
        connection.vendor,
        getattr(settings, "ADMIN_2FA_REQUIRED", True),
        tuple(getattr(settings, "ADMIN_2FA_REQUIRED_GROUPS", ())),
    )
    if key not in _compiled:
        queryset = make_queryset(SENTINEL_ID)
        sql, params = queryset.query.sql_with_params()
        places = [index for index, value in enumerate(params) if value == SENTINEL_ID]
        if len(places) != 1:
            raise RuntimeError(f"the {name} query names the user {len(places)} times")
        _compiled[key] = (queryset.model, sql, list(params), places[0])
    model, sql, params, place = _compiled[key]
    params = [*params]
    params[place] = user_id
    return list(model._default_manager.raw(sql, params))


def load_user(user_id):
    """The active-or-not user with this id, with the answers and groups loaded, or None."""
    found = _run("user", _user_queryset, user_id)
    if not found:
        return None
    user = found[0]
    # Raw rows carry no field converters: SQLite answers 0 or 1.
    user._may_open_admin = bool(user._may_open_admin)
    user._has_confirmed_device = bool(user._has_confirmed_device)
    # As ``prefetch_related("groups")`` leaves them: ``user.groups.all()`` reads this list.
    groups = user.groups.all()
    if hasattr(user, "_groups_json"):
        rows = json.loads(user.__dict__.pop("_groups_json"))
        groups._result_cache = [
            Group.from_db(connection.alias, ["id", "name"], row) for row in sorted(rows)
        ]
    else:
        groups._result_cache = _run("groups", _groups_queryset, user.pk)
    groups._prefetch_done = True
    user._prefetched_objects_cache = {"groups": groups}
    return user


class SessionUserMixin:
    """For an authentication backend: ``get_user`` (asked on every request with a session)
    through ``load_user``."""

    def get_user(self, user_id):
        user = load_user(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
