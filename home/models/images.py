"""The site's images: public ones straight from the web server, private ones only through Django.

An image in a collection with a view restriction (Wagtail's collection privacy, as for documents:
https://docs.wagtail.org/en/stable/advanced_topics/privacy.html#private-collections) is private:

- its original and its renditions are stored under ``private_images/`` with random names (nothing
  of the upload's name), a folder the web server never serves (deploy/Caddyfile serves only
  ``/media/images/``; on S3 every object is private and only reachable by a signed URL);
- ``rendition.url`` (``{% image %}``, ``{% picture %}``, ``{% srcset_image %}``) points to
  ``home.views.private_image``, which checks the collection's restrictions on every request;
- when a collection becomes private or public, or an image moves to another collection,
  ``sync_file_location`` moves the original and drops the renditions (they are made again, in the
  right place, when next shown).

Public images keep Wagtail's names and folders (``original_images/``, ``images/``) and stay
directly served and cacheable. https://docs.wagtail.org/en/stable/advanced_topics/images/custom_image_model.html
"""

import os
import secrets

from django.db import models, transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wagtail.images.models import AbstractImage, AbstractRendition, Image

PRIVATE_FOLDER = "private_images/"
PRIVATE_ORIGINALS = PRIVATE_FOLDER + "originals"
PRIVATE_RENDITIONS = PRIVATE_FOLDER + "renditions"


def is_private_name(name):
    return (name or "").startswith(PRIVATE_FOLDER)


class SiteImage(AbstractImage):
    admin_form_fields = Image.admin_form_fields

    class Meta(AbstractImage.Meta):
        verbose_name = _("afbeelding")
        verbose_name_plural = _("afbeeldingen")

    @property
    def is_stored_privately(self):
        return is_private_name(self.file.name)

    def collection_is_private(self):
        return self.collection_id is not None and self.collection.get_view_restrictions().exists()

    def get_upload_to(self, filename):
        if self.collection_is_private():
            extension = os.path.splitext(filename)[1].lower()
            return f"{PRIVATE_ORIGINALS}/{secrets.token_hex(16)}{extension}"
        return super().get_upload_to(filename)

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        # The collection may have changed (the admin's edit form, a move to another collection).
        self.sync_file_location()

    def sync_file_location(self):
        """Store the files where the collection's privacy wants them; True when they moved."""
        private = self.collection_is_private()
        if not self.file or private == self.is_stored_privately:
            return False
        storage = self.file.storage
        old_name = self.file.name
        if private:
            target = self.get_upload_to(old_name)
        else:
            # Back to Wagtail's public folder, under the random name it had while private.
            target = AbstractImage.get_upload_to(self, os.path.basename(old_name))
        with storage.open(old_name, "rb") as source:
            new_name = storage.save(target, source)
        type(self).objects.filter(pk=self.pk).update(file=new_name)
        self.file.name = new_name
        # Renditions are made again in the right folder; Wagtail deletes their files with them.
        self.renditions.all().delete()
        transaction.on_commit(lambda: storage.delete(old_name))
        return True


class SiteRendition(AbstractRendition):
    image = models.ForeignKey(SiteImage, on_delete=models.CASCADE, related_name="renditions")

    class Meta:
        unique_together = (("image", "filter_spec", "focal_point_key"),)

    def get_upload_to(self, filename):
        if self.image.is_stored_privately:
            # The name comes from the private original's random name and the filter spec.
            return f"{PRIVATE_RENDITIONS}/{self.file.field.storage.get_valid_name(filename)}"
        return super().get_upload_to(filename)

    @property
    def url(self):
        if is_private_name(self.file.name):
            # By file name, not id: Wagtail may ask for the URL before the rendition is saved.
            return reverse(
                "private_image_rendition", args=[self.image_id, os.path.basename(self.file.name)]
            )
        return self.file.url
