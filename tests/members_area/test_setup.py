"""Setting up a binnenbuurt (groups, section, collection, permissions, workflow) and a member's
groups: the services on their own, then from the admin screens that call them."""

import pytest

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser, Group
from django.urls import reverse

from wagtail.models import (
    CollectionViewRestriction,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    PageViewRestriction,
    WorkflowPage,
)
from wagtail_localize.models import LocaleSynchronization
from wagtail_localize.synctree import create_aliases_for_new_page

from home.privacy import visible_pages
from members_area.models import (
    Binnenbuurt,
    BinnenbuurtNewsPage,
    BinnenbuurtPage,
    Member,
    StadsdorpMemberSettings,
)
from members_area.services import (
    enrol_all_members,
    enrol_member,
    remove_member_groups,
    setup_binnenbuurt,
    setup_binnenbuurten,
    sync_member_groups,
)
from members_area.subscriptions.models import Subscriber
from tests.conftest import login_with_second_factor
from tests.members_area.conftest import make_user

pytestmark = pytest.mark.django_db


def test_creating_a_binnenbuurt_sets_up_everything(world):
    a = world.a
    assert a.members_group.name == "Binnenbuurt Zonnehof: leden"
    assert a.contacts_group.name == "Binnenbuurt Zonnehof: contactpersonen"
    assert list(a.contacts_group.user_set.all()) == [world.users["contact_a"]]
    assert set(a.members_group.user_set.all()) == {
        world.users["member_a"],
        world.users["contact_a"],
    }
    section = world.page_a
    assert section.get_parent().specific == world.members_area
    restriction = PageViewRestriction.objects.get(page=section)
    assert restriction.restriction_type == PageViewRestriction.GROUPS
    assert set(restriction.groups.all()) == {a.members_group, a.contacts_group}
    collection_restriction = CollectionViewRestriction.objects.get(collection=a.collection)
    assert set(collection_restriction.groups.all()) == {a.members_group, a.contacts_group}
    codenames = set(
        GroupPagePermission.objects.filter(group=a.contacts_group, page=section).values_list(
            "permission__codename", flat=True
        )
    )
    assert codenames == {"add_page", "change_page", "publish_page"}
    assert (
        GroupCollectionPermission.objects.filter(
            group=a.contacts_group, collection=a.collection
        ).count()
        == 4
    )
    # The member home itself is never public.
    assert PageViewRestriction.objects.get(page=world.members_area).restriction_type == "login"


def test_saving_a_binnenbuurt_alone_sets_up_nothing(world):
    """No signal: the model's save stores the row; the service is what sets it up."""
    groups_before = Group.objects.count()
    c = Binnenbuurt.objects.create(name="Rozenhof", stadsdorp=world.stadsdorp)
    assert (c.members_group, c.contacts_group, c.collection) == (None, None, None)
    assert Group.objects.count() == groups_before
    assert not BinnenbuurtPage.objects.filter(binnenbuurt=c).exists()
    setup_binnenbuurt(c)
    assert c.members_group.name == "Binnenbuurt Rozenhof: leden"
    assert BinnenbuurtPage.objects.filter(binnenbuurt=c).count() == 1


def test_setup_is_idempotent_and_follows_renames(world):
    a = world.a
    setup_binnenbuurt(a)
    a.name = "Zonnehof-Oost"
    a.save()
    setup_binnenbuurt(a)
    setup_binnenbuurt(a)
    a.refresh_from_db()
    assert BinnenbuurtPage.objects.filter(binnenbuurt=a).count() == 1
    assert PageViewRestriction.objects.filter(page=world.page_a).count() == 1
    assert a.members_group.name == "Binnenbuurt Zonnehof-Oost: leden"
    assert a.collection.name == "Zonnehof-Oost"
    assert GroupPagePermission.objects.filter(group=a.contacts_group).count() == 3


def test_changing_contact_persons_moves_the_permissions(world):
    a = world.a
    a.coordinator = world.users["member_a"]
    a.stand_in = world.users["contact_a"]
    a.save()
    setup_binnenbuurt(a)
    assert set(a.contacts_group.user_set.all()) == {
        world.users["member_a"],
        world.users["contact_a"],
    }
    a.stand_in = None
    a.save()
    setup_binnenbuurt(a)
    assert list(a.contacts_group.user_set.all()) == [world.users["member_a"]]


def test_approval_switch_takes_publish_permission_and_adds_workflow(world):
    StadsdorpMemberSettings.objects.create(stadsdorp=world.stadsdorp, requires_approval=True)
    assert setup_binnenbuurten(stadsdorp_id=world.stadsdorp.pk) == 2
    a = Binnenbuurt.objects.get(pk=world.a.pk)
    codenames = set(
        GroupPagePermission.objects.filter(group=a.contacts_group).values_list(
            "permission__codename", flat=True
        )
    )
    assert codenames == {"add_page", "change_page"}
    workflow = world.page_a.get_workflow()
    assert workflow.name == "Goedkeuring ledenberichten"
    assert [group.name for group in workflow.tasks.first().specific.groups.all()] == ["Moderatoren"]
    settings = StadsdorpMemberSettings.objects.get()
    settings.requires_approval = False
    settings.save()
    setup_binnenbuurten(stadsdorp_id=settings.stadsdorp_id)
    assert GroupPagePermission.objects.filter(group=a.contacts_group).count() == 3


def test_moving_a_member_changes_their_binnenbuurt_group(world):
    member = world.users["member_a"].member
    member.binnenbuurt = world.b
    member.save()
    sync_member_groups(member)
    groups = set(world.users["member_a"].groups.values_list("name", flat=True))
    assert groups == {"Leden", "Binnenbuurt Lindengracht: leden"}
    member.binnenbuurt = None
    member.save()
    sync_member_groups(member)
    assert set(world.users["member_a"].groups.values_list("name", flat=True)) == {"Leden"}
    member.binnenbuurt = world.a
    member.save()
    sync_member_groups(member)
    remove_member_groups(member.user)
    assert set(world.users["member_a"].groups.values_list("name", flat=True)) == {"Leden"}


def test_enrolling_a_member_gives_groups_and_the_newsletter(world):
    user = make_user("gerda@example.org", "Gerda")
    member = Member.objects.create(user=user, binnenbuurt=world.b)
    assert not user.groups.exists()  # a save alone does nothing more
    assert not Subscriber.objects.filter(user=user).exists()
    enrol_member(member)
    assert set(user.groups.values_list("name", flat=True)) == {
        "Leden",
        "Binnenbuurt Lindengracht: leden",
    }
    assert Subscriber.objects.get(user=user).status == Subscriber.Status.ACTIVE
    enrol_member(member)  # idempotent
    assert Subscriber.objects.filter(user=user).count() == 1


def test_enrolling_all_members_at_once_matches_one_by_one(world):
    """The import's and the demo's way (a few queries for all members) ends where
    ``sync_member_groups`` and the newsletter sync end for each member."""
    anna, bert = world.users["member_a"], world.users["member_b"]
    Member.objects.filter(user=anna).update(binnenbuurt=world.b)
    Member.objects.filter(user=bert).update(binnenbuurt=None)
    anna.groups.remove(Group.objects.get(name="Leden"))
    Subscriber.objects.filter(user=bert).delete()
    assert enrol_all_members() == 3
    assert set(anna.groups.values_list("name", flat=True)) == {
        "Leden",
        "Binnenbuurt Lindengracht: leden",
    }
    assert set(bert.groups.values_list("name", flat=True)) == {"Leden"}
    assert Subscriber.objects.filter(user=bert, status=Subscriber.Status.ACTIVE).exists()


def test_aliases_from_locale_synchronisation_stay_private(world, locales):
    """wagtail-localize copies new pages into English as aliases; they must stay restricted
    (the one receiver left in members_area/signals.py)."""
    dutch, english = locales
    world.home.copy_for_translation(english)
    world.members_area.copy_for_translation(english).save_revision().publish()
    LocaleSynchronization.objects.create(locale=english, sync_from=dutch)
    news = world.page_a.add_child(
        instance=BinnenbuurtNewsPage(title="Alleen voor Zonnehof", body="<p>x</p>")
    )
    create_aliases_for_new_page(news)  # what the admin's after_create_page hook does
    copies = BinnenbuurtNewsPage.objects.filter(translation_key=news.translation_key)
    assert copies.count() == 2
    for role, expected in (("member_a", 2), ("contact_a", 2), ("member_b", 0)):
        visible = visible_pages(Page.objects.filter(pk__in=copies), world.users[role])
        assert visible.count() == expected, role
    assert not visible_pages(Page.objects.filter(pk__in=copies), AnonymousUser()).exists()


# --- From the admin: the snippet hooks call the services -----------------------------------


@pytest.fixture
def admin(client, world):
    return login_with_second_factor(client, world.users["admin"])


def snippet_url(model, action, *args):
    return reverse(f"wagtailsnippets_members_area_{model}:{action}", args=args)


def test_adding_a_binnenbuurt_in_the_admin_sets_it_up(admin, world):
    response = admin.post(
        snippet_url("binnenbuurt", "add"),
        {
            "name": "Rozenhof",
            "stadsdorp": world.stadsdorp.pk,
            "description": "Tien huizen rond de binnentuin.",
            "meeting_place": "",
            "coordinator": world.users["member_b"].pk,
            "stand_in": "",
        },
    )
    assert response.status_code == 302
    c = Binnenbuurt.objects.get(name="Rozenhof")
    assert list(c.contacts_group.user_set.all()) == [world.users["member_b"]]
    section = BinnenbuurtPage.objects.get(binnenbuurt=c)
    assert PageViewRestriction.objects.get(page=section).restriction_type == "groups"
    assert CollectionViewRestriction.objects.filter(collection=c.collection).exists()


def test_editing_a_binnenbuurt_in_the_admin_follows_the_change(admin, world):
    a = world.a
    response = admin.post(
        snippet_url("binnenbuurt", "edit", a.pk),
        {
            "name": "Zonnehof-Oost",
            "stadsdorp": world.stadsdorp.pk,
            "description": "",
            "meeting_place": "",
            "coordinator": world.users["contact_a"].pk,
            "stand_in": world.users["member_a"].pk,
        },
    )
    assert response.status_code == 302
    a.refresh_from_db()
    assert a.members_group.name == "Binnenbuurt Zonnehof-Oost: leden"
    assert set(a.contacts_group.user_set.all()) == {
        world.users["contact_a"],
        world.users["member_a"],
    }


def test_the_approval_switch_in_the_admin_reaches_every_binnenbuurt(admin, world):
    response = admin.post(
        snippet_url("stadsdorpmembersettings", "add"),
        {"stadsdorp": world.stadsdorp.pk, "requires_approval": "on"},
    )
    assert response.status_code == 302
    assert world.page_a.get_workflow().name == "Goedkeuring ledenberichten"
    assert world.page_b.get_workflow().name == "Goedkeuring ledenberichten"
    member_settings = StadsdorpMemberSettings.objects.get()
    response = admin.post(snippet_url("stadsdorpmembersettings", "delete", member_settings.pk))
    assert response.status_code == 302
    assert not WorkflowPage.objects.filter(page__in=[world.page_a, world.page_b]).exists()


def test_members_added_moved_and_deleted_in_the_admin_follow_their_groups(admin, world):
    user = make_user("gerda@example.org", "Gerda")
    fields = {"user": user.pk, "phone": "", "street_address": "", "postcode": "", "city": ""}
    fields["language"] = "nl"
    response = admin.post(snippet_url("member", "add"), {**fields, "binnenbuurt": world.a.pk})
    assert response.status_code == 302
    assert set(user.groups.values_list("name", flat=True)) == {
        "Leden",
        "Binnenbuurt Zonnehof: leden",
    }
    assert Subscriber.objects.filter(user=user, status=Subscriber.Status.ACTIVE).exists()
    member = Member.objects.get(user=user)
    response = admin.post(
        snippet_url("member", "edit", member.pk), {**fields, "binnenbuurt": world.b.pk}
    )
    assert response.status_code == 302
    assert set(user.groups.values_list("name", flat=True)) == {
        "Leden",
        "Binnenbuurt Lindengracht: leden",
    }
    response = admin.post(snippet_url("member", "delete", member.pk))
    assert response.status_code == 302
    assert not Member.objects.filter(user=user).exists()
    assert set(get_user_model().objects.get(pk=user.pk).groups.values_list("name", flat=True)) == {
        "Leden"
    }
