"""Creating a binnenbuurt sets up its groups, section, collection and permissions."""

import pytest

from wagtail.models import (
    CollectionViewRestriction,
    GroupCollectionPermission,
    GroupPagePermission,
    PageViewRestriction,
)

from members_area.models import Binnenbuurt, BinnenbuurtPage, StadsdorpMemberSettings
from members_area.services import setup_binnenbuurt

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


def test_setup_is_idempotent_and_follows_renames(world):
    a = world.a
    setup_binnenbuurt(a)
    a.name = "Zonnehof-Oost"
    a.save()
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
    assert set(a.contacts_group.user_set.all()) == {
        world.users["member_a"],
        world.users["contact_a"],
    }
    a.stand_in = None
    a.save()
    assert list(a.contacts_group.user_set.all()) == [world.users["member_a"]]


def test_approval_switch_takes_publish_permission_and_adds_workflow(world):
    StadsdorpMemberSettings.objects.create(stadsdorp=world.stadsdorp, requires_approval=True)
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
    assert GroupPagePermission.objects.filter(group=a.contacts_group).count() == 3


def test_moving_a_member_changes_their_binnenbuurt_group(world):
    member = world.users["member_a"].member
    member.binnenbuurt = world.b
    member.save()
    groups = set(world.users["member_a"].groups.values_list("name", flat=True))
    assert groups == {"Leden", "Binnenbuurt Lindengracht: leden"}
    member.binnenbuurt = None
    member.save()
    assert set(world.users["member_a"].groups.values_list("name", flat=True)) == {"Leden"}


def test_aliases_from_locale_synchronisation_stay_private(world, locales):
    """wagtail-localize copies new pages into English as aliases; they must stay restricted."""
    from django.contrib.auth.models import AnonymousUser

    from wagtail.models import Page
    from wagtail_localize.models import LocaleSynchronization
    from wagtail_localize.synctree import create_aliases_for_new_page

    from home.privacy import visible_pages
    from members_area.models import BinnenbuurtNewsPage

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
