"""Copy Wagtail's default images into home.SiteImage, keeping their ids.

The ids stay the same, so every StreamField image block and every foreign key keeps pointing at
the same picture (the next migration switches the foreign keys). Tags and the reference index
follow. Images that sit in a restricted collection are moved to the private folder on the way,
and their old public renditions are deleted: from now on they are only served through Django.
"""

import os
import secrets

from django.core.files.storage import default_storage
from django.core.management.color import no_style
from django.db import migrations

PRIVATE_ORIGINALS = "private_images/originals"
IMAGE_FIELDS = [
    "id",
    "title",
    "file",
    "description",
    "width",
    "height",
    "created_at",
    "focal_point_x",
    "focal_point_y",
    "focal_point_width",
    "focal_point_height",
    "file_size",
    "file_hash",
    "collection_id",
    "uploaded_by_user_id",
]
RENDITION_FIELDS = ["filter_spec", "file", "width", "height", "focal_point_key", "image_id"]


def restricted_collection_ids(apps):
    Collection = apps.get_model("wagtailcore", "Collection")
    CollectionViewRestriction = apps.get_model("wagtailcore", "CollectionViewRestriction")
    restricted_paths = list(
        Collection.objects.filter(
            pk__in=CollectionViewRestriction.objects.values("collection_id")
        ).values_list("path", flat=True)
    )
    return {
        pk
        for pk, path in Collection.objects.values_list("pk", "path")
        if any(path.startswith(restricted) for restricted in restricted_paths)
    }


def make_private(name):
    extension = os.path.splitext(name)[1].lower()
    with default_storage.open(name, "rb") as source:
        new_name = default_storage.save(
            f"{PRIVATE_ORIGINALS}/{secrets.token_hex(16)}{extension}", source
        )
    default_storage.delete(name)
    return new_name


def copy_images(apps, schema_editor):
    Image = apps.get_model("wagtailimages", "Image")
    Rendition = apps.get_model("wagtailimages", "Rendition")
    SiteImage = apps.get_model("home", "SiteImage")
    SiteRendition = apps.get_model("home", "SiteRendition")
    ContentType = apps.get_model("contenttypes", "ContentType")
    TaggedItem = apps.get_model("taggit", "TaggedItem")
    ReferenceIndex = apps.get_model("wagtailcore", "ReferenceIndex")

    private_collections = restricted_collection_ids(apps)
    private_images = set()
    copies = []
    for image in Image.objects.order_by("pk").iterator():
        values = {name: getattr(image, name) for name in IMAGE_FIELDS}
        values["file"] = image.file.name
        if image.collection_id in private_collections:
            private_images.add(image.pk)
            if image.file.name and default_storage.exists(image.file.name):
                values["file"] = make_private(image.file.name)
        copies.append(SiteImage(**values))
    SiteImage.objects.bulk_create(copies, batch_size=500)

    renditions = []
    for rendition in Rendition.objects.order_by("pk").iterator():
        if rendition.image_id in private_images:
            # A public copy of a private picture: gone, made again privately when next shown.
            if rendition.file.name:
                default_storage.delete(rendition.file.name)
            continue
        values = {name: getattr(rendition, name) for name in RENDITION_FIELDS}
        values["file"] = rendition.file.name
        renditions.append(SiteRendition(**values))
    SiteRendition.objects.bulk_create(renditions, batch_size=500)

    # Explicit ids do not move PostgreSQL's sequences; new images must not reuse an id.
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), [SiteImage, SiteRendition]):
            cursor.execute(sql)

    old_type = ContentType.objects.filter(app_label="wagtailimages", model="image").first()
    if old_type is not None:
        new_type, _created = ContentType.objects.get_or_create(app_label="home", model="siteimage")
        TaggedItem.objects.filter(content_type=old_type).update(content_type=new_type)
        ReferenceIndex.objects.filter(to_content_type=old_type).update(to_content_type=new_type)


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0005_site_image"),
        ("wagtailimages", "0027_image_description"),
        ("wagtailcore", "0098_apitoken"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(copy_images, migrations.RunPython.noop)]
