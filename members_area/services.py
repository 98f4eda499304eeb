"""Setting up binnenbuurten and members without a developer.

Nothing here runs from a ``post_save`` signal: the places that change a binnenbuurt, a stadsdorp's
member settings or a member call these services themselves (the admin's snippet hooks in
``wagtail_hooks.py``, the profile view, the membership app's approval, move and import, the demo
loader, the factories), so a save does only what it says. The services are idempotent: they create
what is missing and correct what drifted, never duplicate. They rely only on Wagtail's own
permission and privacy models:
https://docs.wagtail.org/en/stable/topics/permissions.html and
https://docs.wagtail.org/en/stable/advanced_topics/privacy.html
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import Q
from django.utils.text import slugify

from wagtail.models import (
    Collection,
    CollectionViewRestriction,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Locale,
    Page,
    PageViewRestriction,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from home.models import HomePage

from .models import Binnenbuurt, BinnenbuurtPage, Member, MembersAreaPage
from .subscriptions.services import sync_all_members, sync_member_user

MEMBERS_GROUP = "Leden"
EDITORS_GROUP = "Redacteuren"
MODERATORS_GROUP = "Moderatoren"

# Contact persons may write and (unless their stadsdorp wants approval) publish in their section.
CONTACT_PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page"]
CONTACT_COLLECTION_PERMISSIONS = [
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "choose_document"),
    ("wagtailimages", "add_image"),
    ("wagtailimages", "choose_image"),
]


def members_group():
    group, _created = Group.objects.get_or_create(name=MEMBERS_GROUP)
    return group


def moderators_group():
    group, _created = Group.objects.get_or_create(name=MODERATORS_GROUP)
    return group


def get_members_area_page(create=True):
    """The Dutch "Mijn stadsdorp" page; created, login-restricted, if missing."""
    default_locale = Locale.get_default()
    page = MembersAreaPage.objects.filter(locale=default_locale).order_by("path").first()
    if page is not None or not create:
        return page
    home = HomePage.objects.filter(locale=default_locale).order_by("path").first()
    if home is None:
        return None
    page = home.add_child(
        instance=MembersAreaPage(title="Mijn stadsdorp", slug="mijn-stadsdorp", locale=home.locale)
    )
    ensure_login_restriction(page)
    return page


def ensure_login_restriction(page):
    """The member home must never be public."""
    restriction = PageViewRestriction.objects.filter(page=page).first()
    if restriction is None:
        PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
    elif restriction.restriction_type not in (
        PageViewRestriction.LOGIN,
        PageViewRestriction.GROUPS,
    ):
        restriction.restriction_type = PageViewRestriction.LOGIN
        restriction.save()


def _sync_users(group, users):
    wanted = {user.pk for user in users}
    current = set(group.user_set.values_list("pk", flat=True))
    if wanted - current:
        group.user_set.add(*(wanted - current))
    if current - wanted:
        group.user_set.remove(*(current - wanted))


def _group_restriction(restriction_model, groups, **target):
    restriction = restriction_model.objects.filter(**target).first()
    if restriction is None:
        restriction = restriction_model.objects.create(
            restriction_type=restriction_model.GROUPS, **target
        )
    elif restriction.restriction_type != restriction_model.GROUPS:
        restriction.restriction_type = restriction_model.GROUPS
        restriction.save()
    restriction.groups.set(groups)
    return restriction


@transaction.atomic
def setup_binnenbuurt(binnenbuurt):
    """Create or repair the groups, page section, collection and permissions of a binnenbuurt."""
    changed = {}
    # 1. Groups: members and contact persons.
    # Names of groups, collections and workflows are data, not interface text: they stay Dutch
    # whatever language the editor who saves the binnenbuurt uses.
    members_name = f"Binnenbuurt {binnenbuurt.name}: leden"
    contacts_name = f"Binnenbuurt {binnenbuurt.name}: contactpersonen"
    if binnenbuurt.members_group is None:
        changed["members_group"], _c = Group.objects.get_or_create(name=members_name)
    elif binnenbuurt.members_group.name != members_name:
        binnenbuurt.members_group.name = members_name
        binnenbuurt.members_group.save(update_fields=["name"])
    if binnenbuurt.contacts_group is None:
        changed["contacts_group"], _c = Group.objects.get_or_create(name=contacts_name)
    elif binnenbuurt.contacts_group.name != contacts_name:
        binnenbuurt.contacts_group.name = contacts_name
        binnenbuurt.contacts_group.save(update_fields=["name"])

    # 2. Document collection, below one "Binnenbuurten" collection.
    if binnenbuurt.collection is None:
        root = Collection.get_first_root_node()
        parent = root.get_children().filter(name="Binnenbuurten").first()
        if parent is None:
            parent = root.add_child(name="Binnenbuurten")
        changed["collection"] = parent.add_child(name=binnenbuurt.name)
    elif binnenbuurt.collection.name != binnenbuurt.name:
        binnenbuurt.collection.name = binnenbuurt.name
        binnenbuurt.collection.save(update_fields=["name"])

    if changed:
        for field, value in changed.items():
            setattr(binnenbuurt, field, value)
        # update(): only these columns, whatever else the caller has changed on the instance.
        Binnenbuurt.objects.filter(pk=binnenbuurt.pk).update(**changed)

    members, contacts = binnenbuurt.members_group, binnenbuurt.contacts_group
    _sync_users(contacts, binnenbuurt.contact_users)
    _sync_users(
        members,
        [member.user for member in binnenbuurt.members.select_related("user")],
    )

    # 3. Its section of pages.
    section = BinnenbuurtPage.objects.filter(binnenbuurt=binnenbuurt).order_by("path").first()
    if section is None:
        members_area = get_members_area_page()
        if members_area is None:
            # No home page yet (fresh install): the section follows on the next save.
            return binnenbuurt
        slug = slugify(binnenbuurt.name) or f"binnenbuurt-{binnenbuurt.pk}"
        if Page.objects.child_of(members_area).filter(slug=slug).exists():
            slug = f"{slug}-{binnenbuurt.pk}"
        section = members_area.add_child(
            instance=BinnenbuurtPage(
                title=binnenbuurt.name,
                slug=slug,
                binnenbuurt=binnenbuurt,
                introduction=f"<p>{binnenbuurt.description}</p>" if binnenbuurt.description else "",
                locale=members_area.locale,
            )
        )
    # Every copy of the section (translations, and aliases made by wagtail-localize's locale
    # synchronisation, which do not copy a restriction when the parent has one) is restricted.
    for page in BinnenbuurtPage.objects.filter(binnenbuurt=binnenbuurt):
        _group_restriction(PageViewRestriction, [members, contacts], page=page)
    _group_restriction(
        CollectionViewRestriction, [members, contacts], collection=binnenbuurt.collection
    )

    # 4. Permissions of the contact persons, on their section and collection only.
    page_codenames = list(CONTACT_PAGE_PERMISSIONS)
    if binnenbuurt.requires_approval:
        page_codenames.remove("publish_page")
    page_permissions = Permission.objects.filter(
        content_type__app_label="wagtailcore", codename__in=CONTACT_PAGE_PERMISSIONS
    )
    for permission in page_permissions:
        if permission.codename in page_codenames:
            GroupPagePermission.objects.get_or_create(
                group=contacts, page=section, permission=permission
            )
        else:
            GroupPagePermission.objects.filter(
                group=contacts, page=section, permission=permission
            ).delete()
    for app_label, codename in CONTACT_COLLECTION_PERMISSIONS:
        permission = Permission.objects.get(content_type__app_label=app_label, codename=codename)
        GroupCollectionPermission.objects.get_or_create(
            group=contacts, collection=binnenbuurt.collection, permission=permission
        )
    # Contact persons reach the admin only if they want to; the friendly form needs no admin.
    admin_access = Permission.objects.get(
        content_type__app_label="wagtailadmin", codename="access_admin"
    )
    contacts.permissions.add(admin_access)

    # 5. Light approval: a workflow on the section when the stadsdorp asks for it.
    _sync_workflow(binnenbuurt, section)
    return binnenbuurt


def setup_binnenbuurten(stadsdorp_id=None):
    """Every binnenbuurt (of one stadsdorp): after its approval switch changed, and for the demo."""
    binnenbuurten = Binnenbuurt.objects.select_related("coordinator", "stand_in").order_by("pk")
    if stadsdorp_id is not None:
        binnenbuurten = binnenbuurten.filter(stadsdorp_id=stadsdorp_id)
    count = 0
    for binnenbuurt in binnenbuurten:
        setup_binnenbuurt(binnenbuurt)
        count += 1
    return count


def restrict_section_copy(page):
    """A new copy of a binnenbuurt section gets the binnenbuurt's group restriction at once."""
    binnenbuurt = page.binnenbuurt
    if binnenbuurt is None or binnenbuurt.members_group_id is None:
        return
    groups = [binnenbuurt.members_group, binnenbuurt.contacts_group]
    _group_restriction(PageViewRestriction, [group for group in groups if group], page=page)


def _sync_workflow(binnenbuurt, section):
    if not binnenbuurt.requires_approval:
        WorkflowPage.objects.filter(page=section).delete()
        return
    name = "Goedkeuring ledenberichten"
    workflow = Workflow.objects.filter(name=name).first()
    if workflow is None:
        workflow = Workflow.objects.create(name=name)
        task = GroupApprovalTask.objects.create(name="Goedkeuring door een moderator")
        task.groups.set([moderators_group()])
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    WorkflowPage.objects.update_or_create(page=section, defaults={"workflow": workflow})


def enrol_member(member):
    """A new member profile: the member groups, and the newsletter (members are subscribed by
    default; they can opt out at any time, and members without e-mail get it on paper)."""
    sync_member_groups(member)
    sync_member_user(member.user)
    return member


def sync_member_groups(member):
    """Put a member in "Leden" and in exactly one binnenbuurt members group."""
    user = member.user
    user.groups.add(members_group())
    binnenbuurt_groups = Group.objects.filter(binnenbuurt_as_members__isnull=False)
    wanted = member.binnenbuurt.members_group if member.binnenbuurt_id else None
    stale = user.groups.filter(pk__in=binnenbuurt_groups)
    if wanted is not None:
        stale = stale.exclude(pk=wanted.pk)
        user.groups.add(wanted)
    if stale.exists():
        user.groups.remove(*stale)
    user.__dict__.pop("_members_area_groups", None)


def sync_many_member_groups(members, batch_size=500):
    """What ``sync_member_groups`` does per member, for many at once (the import, the demo): the
    "Leden" group and exactly one binnenbuurt members group, in a few queries."""
    members = list(members)
    if not members:
        return 0
    through = get_user_model().groups.through
    binnenbuurt_group_ids = set(
        Binnenbuurt.objects.exclude(members_group=None).values_list("members_group_id", flat=True)
    )
    user_ids = [member.user_id for member in members]
    through.objects.filter(user_id__in=user_ids, group_id__in=binnenbuurt_group_ids).delete()
    leden = members_group()
    links = []
    for member in members:
        links.append(through(user_id=member.user_id, group_id=leden.pk))
        if member.binnenbuurt_id and member.binnenbuurt.members_group_id:
            links.append(
                through(user_id=member.user_id, group_id=member.binnenbuurt.members_group_id)
            )
    through.objects.bulk_create(links, batch_size, ignore_conflicts=True)
    return len(members)


def enrol_all_members():
    """``enrol_member`` for every member at once (the demo): groups, and the newsletter for
    members with an address who are not on it yet."""
    count = sync_many_member_groups(Member.objects.select_related("binnenbuurt"))
    sync_all_members()
    return count


def remove_member_groups(user):
    """A deleted member profile: the user leaves every binnenbuurt group (not "Leden" itself)."""
    user.groups.remove(*Group.objects.filter(binnenbuurt_as_members__isnull=False))


def contact_binnenbuurten(user):
    """The binnenbuurten this user is a contact person of."""
    if not (user and user.is_authenticated):
        return Binnenbuurt.objects.none()
    return Binnenbuurt.objects.filter(Q(coordinator=user) | Q(stand_in=user))
