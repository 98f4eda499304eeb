"""Demo content: the newsletter archive with one sent issue and one draft, and a few subscribers.

Idempotent: pages are found by slug, subscribers by address; a second run changes nothing.
Members become subscribers through ``sync_all_members`` (members are subscribed by default).
"""

from datetime import timedelta

from django.utils import timezone

from home.models import SiteSettings

from .blocks import default_body
from .models import Dispatch, NewsletterIndexPage, NewsletterPage, Subscriber
from .services import sync_all_members
from .urls_util import absolute_reverse

PAPER_SUBSCRIBERS = [
    ("truus.demo@example.org", "Truus de Wit", "intekenlijst koffieochtend Zonnehof, 4 november"),
    ("henk.demo@example.org", "Henk Bakker", "formulier buurtfeest, map Nieuwsbrief"),
]


def _index(home):
    index = NewsletterIndexPage.objects.child_of(home).first()
    if index is None:
        index = home.add_child(
            instance=NewsletterIndexPage(
                title="Nieuwsbrief",
                slug="nieuwsbrief",
                introduction=(
                    "<p>Elke maand sturen we een nieuwsbrief rond met wat er speelt in de "
                    "stadsdorpen, nieuwe verhalen uit de kennisbank en de activiteiten van de "
                    "komende weken. Hier leest u de eerdere nummers terug.</p>"
                ),
                listing_summary="Alle eerdere nieuwsbrieven van het netwerk, om terug te lezen.",
            )
        )
    return index


def _issue(index, slug, title, introduction, sent_days_ago=None):
    issue = NewsletterPage.objects.child_of(index).filter(slug=slug).first()
    if issue is None:
        issue = index.add_child(
            instance=NewsletterPage(
                title=title,
                slug=slug,
                introduction=introduction,
                body=default_body(),
                listing_summary=title,
            )
        )
        issue.save_revision().publish()
    if sent_days_ago is not None and not Dispatch.objects.filter(newsletter=issue).exists():
        started = timezone.now() - timedelta(days=sent_days_ago)
        Dispatch.objects.create(
            newsletter=issue,
            status=Dispatch.STATUS_SENT,
            send_at=started,
            started_at=started,
            finished_at=started + timedelta(minutes=3),
            period_start=started - timedelta(days=31),
        )
    return issue


def load(ctx):
    if ctx.home_page is None:
        return
    index = _index(ctx.home_page)
    _issue(
        index,
        "november-2026",
        "Nieuwsbrief november 2026",
        "<p>De dagen worden korter, de koffie blijft warm. In dit nummer: wat er de afgelopen "
        "maand nieuw was en wat er de komende weken te doen is.</p>",
        sent_days_ago=20,
    )
    _issue(
        index,
        "december-2026",
        "Nieuwsbrief december 2026",
        "<p>Het jaar loopt ten einde. Dank aan alle vrijwilligers die de buurt levendig "
        "houden; hieronder leest u wat er de komende weken gebeurt.</p>",
    )
    for email, name, note in PAPER_SUBSCRIBERS:
        Subscriber.objects.get_or_create(
            email=email,
            defaults={
                "name": name,
                "status": Subscriber.STATUS_ACTIVE,
                "consent_source": Subscriber.SOURCE_PAPER,
                "consent_note": note,
                "consent_recorded_at": timezone.now(),
            },
        )
    added = sync_all_members()
    try:
        site_settings = SiteSettings.load()
        if not site_settings.newsletter_url:
            site_settings.newsletter_url = absolute_reverse("subscriptions:signup", "nl")
            site_settings.save()
    except Exception:  # settings table missing in an unusual setup: not essential
        pass
    ctx.log(
        f"Nieuwsbrief: archief {index.url}, 2 nummers, {Subscriber.objects.count()} abonnees "
        f"({added} leden nieuw ingeschreven). Versturen: manage.py send_newsletter <id>."
    )
