"""The full-text structure beside ``SearchEntry``, for the database in use.

SQLite: an FTS5 table whose rowid is the entry id, with the pre-normalised title and body tokens
(the ``unicode61`` tokenizer only splits on spaces here; folding and stemming happened in Python).
PostgreSQL: a ``tsvector`` column built with the ``'simple'`` configuration (no second stemming)
with the title weighted ``A`` and the body ``D``, and a GIN index. Other databases get neither and
the engine falls back to a slower LIKE search.
"""

from django.db import migrations

SQLITE_CREATE = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS kennisbank_search_fts USING fts5("
    "title, body, tokenize = 'unicode61 remove_diacritics 0')"
)
POSTGRES_CREATE = [
    "ALTER TABLE kennisbank_search_searchentry ADD COLUMN IF NOT EXISTS search_vector tsvector",
    "CREATE INDEX IF NOT EXISTS kennisbank_search_vector_gin "
    "ON kennisbank_search_searchentry USING GIN (search_vector)",
]


def create(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "sqlite":
        schema_editor.execute(SQLITE_CREATE)
    elif connection.vendor == "postgresql":
        for statement in POSTGRES_CREATE:
            schema_editor.execute(statement)


def drop(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS kennisbank_search_fts")
    elif connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS kennisbank_search_vector_gin")
        schema_editor.execute(
            "ALTER TABLE kennisbank_search_searchentry DROP COLUMN IF EXISTS search_vector"
        )


class Migration(migrations.Migration):
    dependencies = [("kennisbank_search", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
