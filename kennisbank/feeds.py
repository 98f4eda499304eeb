"""RSS and Atom feeds of new kennisbank items, per language.

Only live items an anonymous visitor may see (``home.privacy.visible_pages``): a feed reader is
never logged in. See https://docs.djangoproject.com/en/5.2/ref/contrib/syndication/
"""

import datetime

from django.contrib.auth.models import AnonymousUser
from django.contrib.syndication.views import Feed
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from wagtail.models import Locale

from home.privacy import visible_pages

from .models import KennisbankIndexPage, KennisbankItemPage

FEED_SIZE = 30


class KennisbankRssFeed(Feed):
    description = _("Nieuwe verslagen, stappenplannen, publicaties en artikelen uit de kennisbank.")

    def get_object(self, request, *args, **kwargs):
        self.request = request
        return Locale.get_active()

    def title(self, locale):
        return str(_("Kennisbank – nieuw"))

    def link(self, locale):
        index = visible_pages(
            KennisbankIndexPage.objects.filter(locale=locale), AnonymousUser()
        ).first()
        return index.get_url(self.request) if index else "/"

    def items(self, locale):
        return list(
            visible_pages(KennisbankItemPage.objects.filter(locale=locale), AnonymousUser())
            .select_related("locale")
            .order_by("-publication_date", "-first_published_at")[:FEED_SIZE]
        )

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary or ""

    def item_link(self, item):
        return item.get_url(self.request)

    def item_pubdate(self, item):
        moment = datetime.datetime.combine(item.publication_date, datetime.time(9, 0))
        return timezone.make_aware(moment)

    def item_updateddate(self, item):
        return item.last_published_at

    def item_categories(self, item):
        return [item.kind_label]


class KennisbankAtomFeed(KennisbankRssFeed):
    feed_type = Atom1Feed
    subtitle = KennisbankRssFeed.description
