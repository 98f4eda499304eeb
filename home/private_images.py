"""Serving private images (originals and renditions) after checking the collection's privacy.

The same rule as Wagtail applies to documents in a private collection: every view restriction
of the collection and its parents must accept the request (``BaseViewRestriction.accept_request``;
superusers pass group restrictions). Anonymous visitors are sent to the login page; a logged-in
visitor who may not see it gets a plain 403 that names nothing.
https://docs.wagtail.org/en/stable/advanced_topics/privacy.html#private-collections
"""

import mimetypes

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models.signals import post_delete, post_save
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, resolve_url
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.views.decorators.http import require_safe

from wagtail.images import get_image_model
from wagtail.models import CollectionViewRestriction

from .models.images import PRIVATE_RENDITIONS, is_private_name

# Members' browsers may keep a picture for an hour; shared caches never.
PRIVATE_MAX_AGE = 60 * 60


def _check_access(request, image):
    restrictions = image.collection.get_view_restrictions()
    if all(restriction.accept_request(request) for restriction in restrictions):
        return None
    if not request.user.is_authenticated:
        return redirect_to_login(
            request.get_full_path(), resolve_url(settings.WAGTAIL_FRONTEND_LOGIN_URL)
        )
    raise PermissionDenied


def _serve(name, storage):
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    if not content_type.startswith("image/") or content_type == "image/svg+xml":
        content_type = "application/octet-stream"
    response = FileResponse(storage.open(name, "rb"), content_type=content_type)
    patch_cache_control(response, private=True, max_age=PRIVATE_MAX_AGE)
    patch_vary_headers(response, ["Cookie"])
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@require_safe
def private_image(request, image_id, filename=None):
    image = get_object_or_404(get_image_model().objects.select_related("collection"), pk=image_id)
    if filename is None:
        file = image.file
    else:
        rendition = image.renditions.filter(file=f"{PRIVATE_RENDITIONS}/{filename}").first()
        if rendition is None:
            raise Http404
        file = rendition.file
    # Public images are served by the web server under their own URL, never here.
    if not is_private_name(file.name):
        raise Http404
    denied = _check_access(request, image)
    if denied is not None:
        return denied
    return _serve(file.name, file.storage)


def _restriction_changed(sender, instance, **kwargs):
    """A collection became private or public: move its images' files (and its children's).

    A signal, because the change is made in Wagtail's own collection privacy view, which offers
    no hook; ``members_area.services`` sets restrictions the same way.
    """
    collection = instance.collection
    images = get_image_model().objects.filter(
        collection__in=collection.get_descendants(inclusive=True)
    )
    for image in images.select_related("collection").iterator():
        image.sync_file_location()


def connect_signals():
    for signal in (post_save, post_delete):
        signal.connect(
            _restriction_changed,
            sender=CollectionViewRestriction,
            dispatch_uid=f"private-images-{signal}",
        )
