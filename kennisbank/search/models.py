"""Models of the search service: index entries, vocabulary, synonyms and search statistics.

``SearchEntry`` is the database engine's index: one row per live kennisbank item, with the
normalised tokens (see ``analysis.py``) and the facet values copied in, so that one query finds
the matching rows *and* everything needed to count facets and render a result. The full-text
structure lives beside it: an FTS5 table on SQLite, a ``tsvector`` column with a GIN index on
PostgreSQL (both created by migration 0002 for the matching database only).
"""

import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel
from wagtail.search import index

from home.models import Language


class SearchEntry(models.Model):
    """One searchable thing: a live kennisbank item, or a glossary term (then ``page`` is the
    glossary page and ``glossary_term_id`` the term)."""

    key = models.CharField(max_length=40, unique=True)  # "page:12" or "term:3"
    page = models.ForeignKey(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="kennisbank_search_entries"
    )
    glossary_term_id = models.PositiveIntegerField(null=True, blank=True, db_index=True)
    anchor = models.CharField(max_length=140, blank=True)  # URL fragment, e.g. "begrip-stadsdorp"
    language = models.CharField(max_length=10, db_index=True)
    title = models.CharField(max_length=255)
    body = models.TextField(blank=True, help_text="Platte tekst voor fragmenten.")
    keywords = models.TextField(
        blank=True, help_text="Trefwoorden, thema's, begrippen en documenttitels."
    )
    title_tokens = models.TextField(blank=True)
    keyword_tokens = models.TextField(blank=True)
    body_tokens = models.TextField(blank=True)
    words = models.TextField(blank=True, help_text="Verschillende woorden, voor de woordenlijst.")
    kind = models.CharField(max_length=32, blank=True)
    audience = models.CharField(max_length=32, blank=True)
    publication_date = models.DateField(null=True, blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    # Space-separated slugs, read once per index version into the engine's facet bitmaps.
    theme_slugs = models.TextField(blank=True)
    tag_slugs = models.TextField(blank=True)
    indexed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("zoekindex-item")
        verbose_name_plural = _("zoekindex-items")

    def __str__(self):
        return self.title


class IndexVersion(models.Model):
    """A value per language, renewed in the same transaction as every index change: search
    processes compare it (one indexed read per search) to know when to reload their facet
    bitmaps."""

    language = models.CharField(max_length=10, unique=True)
    version = models.PositiveBigIntegerField(default=0)

    def __str__(self):
        return f"{self.language}: {self.version}"

    @classmethod
    def bump(cls, language):
        """Tell every search process that this language's index changed (same transaction).

        A fresh random value rather than a counter: after a rolled-back transaction or a
        restored backup a counter could come back to a value a process has already seen with
        other entries.
        """
        version = secrets.randbits(62)
        if not cls.objects.filter(language=language).update(version=version):
            cls.objects.get_or_create(language=language, defaults={"version": version})


class SearchTerm(models.Model):
    """The vocabulary of indexed words with their document frequency, for "did you mean"."""

    language = models.CharField(max_length=10)
    word = models.CharField(max_length=100)
    stem = models.CharField(max_length=100)
    frequency = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["language", "word"], name="kbsearch_term_unique")
        ]
        indexes = [models.Index(fields=["language", "stem"])]

    def __str__(self):
        return self.word


class Synonym(index.Indexed, models.Model):
    """A set of words that mean the same, e.g. ``buurthuis, wijkcentrum, buurtcentrum``."""

    language = models.CharField(
        _("taal"),
        max_length=10,
        choices=Language,
        default=Language.NL,
    )
    terms = models.CharField(
        _("woorden"),
        max_length=500,
        help_text=_(
            "Woorden die hetzelfde betekenen, gescheiden door komma's, bijvoorbeeld: "
            "buurthuis, wijkcentrum, buurtcentrum. Wie op één ervan zoekt, vindt ook de andere."
        ),
    )

    panels = [FieldPanel("language"), FieldPanel("terms")]
    search_fields = [index.SearchField("terms"), index.AutocompleteField("terms")]

    class Meta:
        verbose_name = _("synoniem")
        verbose_name_plural = _("synoniemen")
        ordering = ["language", "terms"]

    def __str__(self):
        return self.terms

    def save(self, *args, **kwargs):
        # The database engine keeps the synonyms with its facet bitmaps: tell it to reload.
        super().save(*args, **kwargs)
        IndexVersion.bump(self.language)

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        IndexVersion.bump(self.language)
        return result

    @property
    def term_list(self):
        return [term.strip() for term in self.terms.split(",") if term.strip()]


class SearchLog(models.Model):
    """Daily count per normalised query; no user, IP or session is stored."""

    date = models.DateField(_("datum"), db_index=True)
    language = models.CharField(_("taal"), max_length=10)
    query = models.CharField(_("zoekterm"), max_length=200)
    searches = models.PositiveIntegerField(_("aantal zoekopdrachten"), default=0)
    results = models.PositiveIntegerField(_("aantal resultaten (laatste)"), default=0)

    class Meta:
        verbose_name = _("zoekopdracht")
        verbose_name_plural = _("zoekopdrachten")
        constraints = [
            models.UniqueConstraint(fields=["date", "language", "query"], name="kbsearch_log_day")
        ]

    def __str__(self):
        return self.query
