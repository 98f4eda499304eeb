"""Public pages, shared building blocks and site-wide settings.

Split into modules by concern; everything is re-exported here so ``from home.models import X``
keeps working for every app.
"""

from .base import (
    BasePage,
    HomePage,
    IntroductionMixin,
    Language,
    ListingMixin,
    SiteSettings,
    SocialMetadataMixin,
    Theme,
)
from .content import ContentPage
from .directory import StadsdorpIndexPage, StadsdorpPage
from .forms import FormField, FormPage, FormSubmissionToken
from .images import SiteImage, SiteRendition
from .navigation import FooterLink, MenuItem, NavigationSettings

__all__ = [
    "BasePage",
    "ContentPage",
    "FormField",
    "FormPage",
    "FooterLink",
    "FormSubmissionToken",
    "HomePage",
    "IntroductionMixin",
    "Language",
    "ListingMixin",
    "MenuItem",
    "NavigationSettings",
    "SiteImage",
    "SiteRendition",
    "SiteSettings",
    "SocialMetadataMixin",
    "StadsdorpIndexPage",
    "StadsdorpPage",
    "Theme",
]
