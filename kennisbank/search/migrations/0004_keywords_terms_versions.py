"""Tags, themes, glossary terms and document titles get their own full-text column; glossary
terms become entries of their own; a version counter per language lets search processes keep
facet bitmaps.

The analysis changed too (classic Dutch Snowball plus our own word forms and compound parts), so
the old index is emptied here: run ``./manage.py kennisbank_reindex`` after deploying.

SQLite: the FTS5 table is recreated with the columns ``title, keywords, body`` (positions kept,
for phrase queries). PostgreSQL: ``search_vector`` weighs title ``A``, keywords ``B`` and body
``D``; a second column ``title_vector`` (title and keywords only, with its own GIN index) finds
the best-ranked tier without reading every matching body.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

SQLITE_CREATE = (
    "CREATE VIRTUAL TABLE kennisbank_search_fts USING fts5("
    "title, keywords, body, tokenize = 'unicode61 remove_diacritics 0')"
)
OLD_SQLITE_CREATE = (
    "CREATE VIRTUAL TABLE kennisbank_search_fts USING fts5("
    "title, body, tokenize = 'unicode61 remove_diacritics 0')"
)
POSTGRES_CREATE = [
    "ALTER TABLE kennisbank_search_searchentry ADD COLUMN IF NOT EXISTS title_vector tsvector",
    "CREATE INDEX IF NOT EXISTS kennisbank_search_title_vector_gin "
    "ON kennisbank_search_searchentry USING GIN (title_vector)",
]


def empty_index(apps, schema_editor):
    apps.get_model("kennisbank_search", "SearchEntry").objects.all().delete()
    apps.get_model("kennisbank_search", "SearchTerm").objects.all().delete()


def recreate_fulltext(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS kennisbank_search_fts")
        schema_editor.execute(SQLITE_CREATE)
    elif vendor == "postgresql":
        for statement in POSTGRES_CREATE:
            schema_editor.execute(statement)


def restore_fulltext(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS kennisbank_search_fts")
        schema_editor.execute(OLD_SQLITE_CREATE)
    elif vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS kennisbank_search_title_vector_gin")
        schema_editor.execute(
            "ALTER TABLE kennisbank_search_searchentry DROP COLUMN IF EXISTS title_vector"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("kennisbank_search", "0003_facet_index"),
        migrations.swappable_dependency(settings.WAGTAIL_PAGE_MODEL),
    ]

    operations = [
        migrations.RunPython(empty_index, migrations.RunPython.noop),
        migrations.RemoveIndex(model_name="searchentry", name="kbsearch_entry_facets"),
        migrations.AlterField(
            model_name="searchentry",
            name="page",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="kennisbank_search_entries",
                to=settings.WAGTAIL_PAGE_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="searchentry",
            name="key",
            field=models.CharField(default="", max_length=40),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="searchentry",
            name="key",
            field=models.CharField(max_length=40, unique=True),
        ),
        migrations.AddField(
            model_name="searchentry",
            name="glossary_term_id",
            field=models.PositiveIntegerField(blank=True, db_index=True, null=True),
        ),
        migrations.AddField(
            model_name="searchentry",
            name="anchor",
            field=models.CharField(blank=True, max_length=140),
        ),
        migrations.AddField(
            model_name="searchentry",
            name="keywords",
            field=models.TextField(
                blank=True, help_text="Trefwoorden, thema's, begrippen en documenttitels."
            ),
        ),
        migrations.AddField(
            model_name="searchentry",
            name="keyword_tokens",
            field=models.TextField(blank=True),
        ),
        migrations.CreateModel(
            name="IndexVersion",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("language", models.CharField(max_length=10, unique=True)),
                ("version", models.PositiveBigIntegerField(default=0)),
            ],
        ),
        migrations.RunPython(recreate_fulltext, restore_fulltext),
    ]
