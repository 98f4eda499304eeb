"""Security headers Django 5.2 does not set itself: Content-Security-Policy and Permissions-Policy.

Django's ``SecurityMiddleware`` already sends HSTS (production), ``X-Content-Type-Options:
nosniff``, ``Referrer-Policy`` and ``Cross-Origin-Opener-Policy: same-origin``;
``XFrameOptionsMiddleware`` sends ``X-Frame-Options: DENY`` (Wagtail's preview views override it
with ``SAMEORIGIN``). Django gets a built-in CSP only in 6.0, hence this small middleware.

Two policies:

* the public site: no inline or foreign scripts at all (``script-src 'self'``). JSON-LD blocks
  (``<script type="application/ld+json">``) are data, not executed, so CSP does not block them.
  ``style-src-attr 'unsafe-inline'`` is the one relaxation: Wagtail's responsive embeds set their
  aspect ratio in a ``style`` attribute, and a style attribute cannot run code.
* the Wagtail admin (``/admin/``): it renders inline scripts and styles and may be framed by its own
  preview panel, so it gets a looser policy that still forbids plugins, foreign frames of the admin
  and foreign form targets.

A response that already carries a policy keeps it: Wagtail's document serve view sends its own
sandboxing ``Content-Security-Policy`` for inline documents
(https://docs.wagtail.org/en/stable/reference/settings.html#wagtaildocs-block-embedded-content).

Settings: ``CSP_FRAME_SRC`` (embed hosts), ``CSP_EXTRA_IMG_SRC`` (e.g. a CDN origin for media; from
the environment, comma-separated; production adds the S3 media origin), ``CSP_REPORT_ONLY`` (send
``Content-Security-Policy-Report-Only`` while trying a change).
"""

from urllib.parse import urlsplit

from django.conf import settings

DEFAULT_FRAME_SRC = (
    "https://www.youtube-nocookie.com",
    "https://www.youtube.com",
    "https://player.vimeo.com",
)

PERMISSIONS_POLICY = ", ".join(
    [
        "accelerometer=()",
        "camera=()",
        "geolocation=()",
        "gyroscope=()",
        "magnetometer=()",
        "microphone=()",
        "payment=()",
        "usb=()",
        # Embedded videos may still go full screen.
        'fullscreen=(self "https://www.youtube-nocookie.com" "https://www.youtube.com" '
        '"https://player.vimeo.com")',
    ]
)


def _origin(url):
    parts = urlsplit(url or "")
    if parts.scheme in ("http", "https") and parts.netloc:
        return f"{parts.scheme}://{parts.netloc}"
    return None


def _external_asset_origins():
    """Media or static files on another host (S3, a CDN) must be allowed as images and styles."""
    origins = {_origin(settings.MEDIA_URL), _origin(settings.STATIC_URL)}
    origins.update(getattr(settings, "CSP_EXTRA_IMG_SRC", []))
    return sorted(origin for origin in origins if origin)


def s3_media_origin(environ):
    """The origin media URLs have with django-storages' S3 backend, from its settings.

    ``AWS_S3_CUSTOM_DOMAIN`` (a CDN) wins; else an S3-compatible ``AWS_S3_ENDPOINT_URL`` (MinIO,
    Scaleway; its origin, the bucket in the path); else AWS's own virtual-hosted address.
    """
    if environ.get("AWS_S3_CUSTOM_DOMAIN"):
        return f"https://{environ['AWS_S3_CUSTOM_DOMAIN'].strip('/')}"
    if environ.get("AWS_S3_ENDPOINT_URL"):
        return _origin(environ["AWS_S3_ENDPOINT_URL"])
    bucket = environ.get("AWS_STORAGE_BUCKET_NAME", "")
    region = environ.get("AWS_S3_REGION_NAME", "")
    return (
        f"https://{bucket}.s3.{region}.amazonaws.com"
        if region
        else f"https://{bucket}.s3.amazonaws.com"
    )


def _serialise(directives):
    return "; ".join(f"{name} {' '.join(values)}".strip() for name, values in directives.items())


def public_policy(frame_ancestors="'none'"):
    assets = _external_asset_origins()
    frames = list(getattr(settings, "CSP_FRAME_SRC", DEFAULT_FRAME_SRC))
    return _serialise(
        {
            "default-src": ["'self'"],
            "script-src": ["'self'"],
            "style-src": ["'self'", *assets],
            "style-src-attr": ["'unsafe-inline'"],
            "img-src": ["'self'", "data:", *assets],
            "font-src": ["'self'"],
            "connect-src": ["'self'"],
            "media-src": ["'self'", *assets],
            "frame-src": frames or ["'none'"],
            "object-src": ["'none'"],
            "frame-ancestors": [frame_ancestors],
            "base-uri": ["'self'"],
            "form-action": ["'self'"],
        }
    )


def admin_policy():
    assets = _external_asset_origins()
    frames = list(getattr(settings, "CSP_FRAME_SRC", DEFAULT_FRAME_SRC))
    return _serialise(
        {
            "default-src": ["'self'"],
            # Wagtail's admin renders inline scripts and styles; it is only used by editors.
            "script-src": ["'self'", "'unsafe-inline'"],
            "style-src": ["'self'", "'unsafe-inline'", *assets],
            # Avatars (Gravatar, linked scheme-relative, so http on a plain-HTTP dev server), image
            # choosers and embed previews load from other hosts.
            "img-src": ["'self'", "data:", "blob:", "https:", "www.gravatar.com"],
            "font-src": ["'self'", "data:"],
            # Wagtail's upgrade notice asks releases.wagtail.org for the latest version.
            "connect-src": ["'self'", "https://releases.wagtail.org"],
            "media-src": ["'self'", *assets],
            "frame-src": ["'self'", *frames],
            "object-src": ["'none'"],
            # The live preview panel frames admin URLs from the admin itself.
            "frame-ancestors": ["'self'"],
            "base-uri": ["'self'"],
            "form-action": ["'self'"],
        }
    )


class SecurityHeadersMiddleware:
    """Adds the CSP for the public site or the admin, and a Permissions-Policy, to every response.

    It sits above the anonymous page cache in ``MIDDLEWARE``, so cached pages get the headers too
    (including ``X-Frame-Options``, which Django's middleware below the cache cannot add to a hit).
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.public = public_policy()
        # Wagtail renders a preview through the middleware as a request for the page's public
        # URL; the editor's preview panel shows it in a frame of the admin, on the same origin.
        self.preview = public_policy(frame_ancestors="'self'")
        self.admin = admin_policy()
        self.header = (
            "Content-Security-Policy-Report-Only"
            if getattr(settings, "CSP_REPORT_ONLY", False)
            else "Content-Security-Policy"
        )

    def __call__(self, request):
        response = self.get_response(request)
        if "Content-Security-Policy" not in response and self.header not in response:
            if getattr(request, "is_preview", False):
                response[self.header] = self.preview
            elif request.path.startswith("/admin/"):
                response[self.header] = self.admin
            else:
                response[self.header] = self.public
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        if getattr(request, "is_preview", False):
            response["X-Frame-Options"] = "SAMEORIGIN"
        # Pages served by the anonymous page cache skip XFrameOptionsMiddleware (it sits below).
        elif not getattr(response, "xframe_options_exempt", False):
            response.setdefault("X-Frame-Options", getattr(settings, "X_FRAME_OPTIONS", "DENY"))
        return response
