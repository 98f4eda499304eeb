"""A logged-in request loads its user with the second-factor and user-bar answers and the groups.

The answers must be what the separate queries give (``cms.accounts.session_user``), for every
kind of account, and a member's page must not ask for them again.
"""

import pytest
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from cms.accounts.session_user import load_user
from cms.accounts.two_factor import requires_second_factor
from home.privacy import group_ids
from home.templatetags.navigation_tags import may_open_admin

pytestmark = pytest.mark.django_db


def make(email, groups=(), **extra):
    user = get_user_model().objects.create_user(username=email, email=email, **extra)
    for name in groups:
        user.groups.add(Group.objects.get_or_create(name=name)[0])
    return user


@pytest.fixture
def accounts():
    admin_group = Group.objects.create(name="Bureau")
    admin_group.permissions.add(Permission.objects.get(codename="access_admin"))
    with_app = make("app@example.org", groups=["Leden"])
    TOTPDevice.objects.create(user=with_app, name="app", confirmed=True)
    unconfirmed = make("half@example.org")
    TOTPDevice.objects.create(user=unconfirmed, name="app", confirmed=False)
    with_codes = make("codes@example.org")
    StaticDevice.objects.create(user=with_codes, name="codes", confirmed=True)
    own_permission = make("eigen@example.org")
    own_permission.user_permissions.add(Permission.objects.get(codename="access_admin"))
    return [
        make("lid@example.org", groups=["Leden"]),
        make("niemand@example.org"),
        make("redacteur@example.org", groups=["Redacteuren"]),
        make("bureau@example.org", groups=["Bureau"]),
        own_permission,
        with_app,
        unconfirmed,
        with_codes,
        make("beheer@example.org", is_superuser=True),
    ]


def test_the_loaded_answers_are_the_separate_queries_answers(accounts):
    for account in accounts:
        plain = get_user_model().objects.get(pk=account.pk)
        loaded = load_user(account.pk)
        assert hasattr(loaded, "_has_confirmed_device")
        assert requires_second_factor(loaded) == requires_second_factor(plain), account.email
        assert may_open_admin(loaded) == may_open_admin(plain), account.email
        assert group_ids(loaded) == group_ids(plain), account.email


def test_the_loaded_user_answers_without_another_query(accounts):
    loaded = load_user(accounts[0].pk)
    with CaptureQueriesContext(connection) as queries:
        requires_second_factor(loaded), may_open_admin(loaded), group_ids(loaded)
    assert len(queries) == 0


def test_a_members_page_asks_for_everything_with_the_user(home_page, accounts):
    client = Client()
    client.force_login(accounts[0])
    client.get("/nl/")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/nl/").status_code == 200
    answers = [
        query["sql"]
        for query in queries
        if "otp_totp_totpdevice" in query["sql"] or '"auth_permission"' in query["sql"]
    ]
    assert len(answers) == 1 and answers[0].startswith('SELECT "auth_user"."id"')
    # The groups come in the same row: one query for everything the page asks of the user.
    group_reads = [query["sql"] for query in queries if 'FROM "auth_group" ' in query["sql"]]
    assert group_reads == answers


def test_a_member_with_an_app_is_still_sent_to_the_code_step(home_page, accounts):
    client = Client()
    client.force_login(accounts[5])  # a member who enrolled an authenticator app
    response = client.get("/nl/")
    assert response.status_code == 302 and "/tweestaps/code/" in response["Location"]
