"""PostgreSQL: keep the full-text vectors in the table's rows and the long texts out of them;
match through the GIN index always.

An entry's row held its text, its tokens, its word list and both vectors (about 3.6 KB), so
PostgreSQL moved some of each row out to the TOAST table, vectors included, and a search read
them back from there for every matching entry it ranked. ``STORAGE MAIN`` keeps a vector in the
row (compressed, or moved out, only when it cannot fit: a very long document); ``STORAGE
EXTERNAL`` moves the text, tokens and words out first. The heap of 5,000 benchmark entries went
from 18 MB to 10 MB and ranking the matches of a common word (``ts_rank`` over 1,300-4,900
entries) from 11.6 ms to 5.6 ms (median, same machine and load).

Matching only needs the ids of the matching entries, which the GIN index gives without reading a
single vector; but for a word in a third of the entries or more the planner chose to read every
row and test its vector (it does not count the cost of reading a vector), 300-440 ms for a word in
48,500 of 50,000 entries against 116-139 ms through the index. ``kennisbank_search_match_ids``
runs the match with sequential scans off, for that query only (a function's ``SET`` ends with
it, also on an error).

Rows written before this migration keep their old layout: run ``./manage.py kennisbank_reindex``
after deploying. SQLite (FTS5) is not affected.
"""

from django.db import migrations

TABLE = "kennisbank_search_searchentry"
LAYOUT = {
    "search_vector": ("MAIN", "EXTENDED"),
    "title_vector": ("MAIN", "EXTENDED"),
    "body": ("EXTERNAL", "EXTENDED"),
    "body_tokens": ("EXTERNAL", "EXTENDED"),
    "words": ("EXTERNAL", "EXTENDED"),
}


def set_storage(index):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        columns = ", ".join(
            f"ALTER COLUMN {column} SET STORAGE {storage[index]}"
            for column, storage in LAYOUT.items()
        )
        schema_editor.execute(f"ALTER TABLE {TABLE} {columns}")

    return apply


MATCH_FUNCTION = f"""
CREATE OR REPLACE FUNCTION kennisbank_search_match_ids(query tsquery) RETURNS SETOF bigint
LANGUAGE sql STABLE SET enable_seqscan = off
AS $$ SELECT id FROM {TABLE} WHERE search_vector @@ query $$
"""


def create_match_function(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(MATCH_FUNCTION)


def drop_match_function(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS kennisbank_search_match_ids(tsquery)")


class Migration(migrations.Migration):
    dependencies = [
        ("kennisbank_search", "0005_synonym_language_choices"),
    ]

    operations = [
        migrations.RunPython(set_storage(0), set_storage(1)),
        migrations.RunPython(create_match_function, drop_match_function),
    ]
