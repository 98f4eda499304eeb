"""Creates the editor groups "Redacteuren" and "Moderatoren" and their permissions.

A data migration (not the demo loader) so that production gets the same groups. Idempotent: it
only adds what is missing. Page permissions are granted on the tree root, so they cover the Dutch
and the English home page and everything below them.
"""

from django.db import migrations

PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page"]
MODERATOR_EXTRA_PAGE_PERMISSIONS = ["lock_page", "unlock_page", "delete_page"]
COLLECTION_PERMISSIONS = [
    ("wagtailimages", "add_image"),
    ("wagtailimages", "change_image"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "change_document"),
    ("wagtaildocs", "choose_document"),
]
MODEL_PERMISSIONS = [
    ("wagtailadmin", "access_admin"),
    ("home", "add_theme"),
    ("home", "change_theme"),
    ("home", "change_sitesettings"),
    ("home", "change_navigationsettings"),
    ("wagtail_localize", "submit_translation"),
]
WORKFLOW_NAME = "Moderators approval"


def ensure_permissions(apps):
    """Django creates permissions after all migrations; this migration needs them now."""
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


def get_permission(apps, app_label, codename):
    Permission = apps.get_model("auth", "Permission")
    return Permission.objects.filter(
        content_type__app_label=app_label, codename=codename
    ).first()


def create_groups(apps, schema_editor):
    ensure_permissions(apps)
    Group = apps.get_model("auth", "Group")
    Page = apps.get_model("wagtailcore", "Page")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")

    root_page = Page.objects.filter(depth=1).first()
    root_collection = Collection.objects.filter(depth=1).first()

    editors, _ = Group.objects.get_or_create(name="Redacteuren")
    moderators, _ = Group.objects.get_or_create(name="Moderatoren")

    for group, page_codenames in [
        (editors, PAGE_PERMISSIONS),
        (moderators, PAGE_PERMISSIONS + MODERATOR_EXTRA_PAGE_PERMISSIONS),
    ]:
        for app_label, codename in MODEL_PERMISSIONS:
            permission = get_permission(apps, app_label, codename)
            if permission:
                group.permissions.add(permission)
        if root_page:
            for codename in page_codenames:
                permission = get_permission(apps, "wagtailcore", codename)
                if permission:
                    GroupPagePermission.objects.get_or_create(
                        group=group, page=root_page, permission=permission
                    )
        if root_collection:
            for app_label, codename in COLLECTION_PERMISSIONS:
                permission = get_permission(apps, app_label, codename)
                if permission:
                    GroupCollectionPermission.objects.get_or_create(
                        group=group, collection=root_collection, permission=permission
                    )

    # Wagtail's default moderation workflow, approved by the Moderatoren group.
    task_content_type, _ = ContentType.objects.get_or_create(
        app_label="wagtailcore", model="groupapprovaltask"
    )
    task = GroupApprovalTask.objects.filter(name=WORKFLOW_NAME).first()
    if task is None:
        task = GroupApprovalTask.objects.create(
            name=WORKFLOW_NAME, content_type=task_content_type, active=True
        )
    task.groups.add(moderators)
    workflow = Workflow.objects.filter(name=WORKFLOW_NAME).first()
    if workflow is None:
        workflow = Workflow.objects.create(name=WORKFLOW_NAME, active=True)
    if not WorkflowTask.objects.filter(workflow=workflow, task=task).exists():
        WorkflowTask.objects.create(
            workflow=workflow, task=task, sort_order=WorkflowTask.objects.filter(workflow=workflow).count()
        )
    if root_page and not WorkflowPage.objects.filter(page=root_page).exists():
        WorkflowPage.objects.create(workflow=workflow, page=root_page)


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0003_homepage_cta_site_settings_navigation"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtail_localize", "0016_rename_page_revision_translationlog_revision"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, migrations.RunPython.noop)]
