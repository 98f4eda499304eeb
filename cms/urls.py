from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.conf.urls.static import static
from django.urls import include, path
from django.views.i18n import set_language

from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from cms.accounts.views import AdminLogoutView, AdminPasswordResetView
from cms.health import health
from home.private_images import private_image

# A clean 503 page while the database is away, the 500 page otherwise (cms/errors.py).
handler500 = "cms.errors.server_error"

urlpatterns = [
    path("health/", health, name="health"),
    # Before Wagtail's own admin URLs, which it replaces (cms/accounts/views.py).
    path("admin/logout/", AdminLogoutView.as_view(), name="wagtailadmin_logout"),
    path(
        "admin/password_reset/",
        AdminPasswordResetView.as_view(),
        name="wagtailadmin_password_reset",
    ),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    # Images in a restricted collection, after the same check as documents (home/private_images.py).
    path("afbeeldingen/<int:image_id>/origineel/", private_image, name="private_image"),
    path(
        "afbeeldingen/<int:image_id>/<str:filename>",
        private_image,
        name="private_image_rendition",
    ),
    path("i18n/setlang/", set_language, name="set_language"),
    path("", include("home.urls")),
]

if settings.DEBUG:
    # Only images are served from MEDIA_ROOT; documents always go through Wagtail's serve view,
    # which checks collection privacy. Production web servers must follow the same rule.
    for public_media_folder in ("images/", "original_images/"):
        urlpatterns += static(
            settings.MEDIA_URL + public_media_folder,
            document_root=settings.MEDIA_ROOT / public_media_folder,
        )

# Language-prefixed URLs (/nl/..., /en/...); app views come before Wagtail's catch-all.
urlpatterns += i18n_patterns(
    path("", include("members_area.urls")),
    path("", include("events.urls")),
    path("", include("kennisbank.urls")),
    path("", include("members_area.subscriptions.urls")),
    path("", include("members_area.burenhulp.urls")),
    path("", include("members_area.membership.urls")),
    path("", include(wagtail_urls)),
    prefix_default_language=True,
)
