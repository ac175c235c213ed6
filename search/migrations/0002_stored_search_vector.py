"""Stored tsvectors and a GIN index for the database fallback, on PostgreSQL only.

Two generated columns on `search_searchentry`, which the model does not declare (SQLite has
no tsvector; `search.fallback` reads them through SQL on PostgreSQL only):

- `search_vector`: `to_tsvector('french', folded)`, what the fallback matches, with a GIN
  index. `folded` is already lower-case and accent-free (`search.indexing.fold`), like the
  queries (`search.fallback.query_terms`). PostgreSQL refuses a tsvector over 1 MB, which
  would make the write of the whole batch fail: a `folded` text over 300 000 bytes (a few
  hundred pages of attachments) is cut to its first 75 000 characters (at most 4 bytes each;
  the lexemes and positions of a text take at most about 3.3 times its size).
- `search_head`: title (weight A) and summary (weight B, first 2 000 characters), what the
  relevance ranking reads: a few hundred bytes kept in the row, so ranking 100 000 matches
  never reads the large, compressed `search_vector`. `title` and `summary` are not folded in
  the table: they are folded here as `fold` does (NFKD, combining marks dropped; the
  dictionary lowercases), which needs a UTF8 database; on another encoding they are used as
  they are (accented words then only lose their ranking bonus, never a match).

PostgreSQL computes both on every INSERT and UPDATE (`write_entries` is unchanged: about
2 ms more per entry written). On other databases this migration does nothing.
"""

from django.db import migrations

COMBINING_MARKS = r"[\u0300-\u034e\u0350-\u036f]"  # the range `search.indexing.fold` drops in one pass


def folded_sql(expression, encoding):
    if encoding != "UTF8":
        return expression
    return f"regexp_replace(normalize({expression}, NFKD), '{COMBINING_MARKS}', '', 'g')"


def forward_statements(encoding):
    title, summary = folded_sql("title", encoding), folded_sql("left(summary, 2000)", encoding)
    return [
        f"""
        ALTER TABLE search_searchentry
            ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
                to_tsvector(
                    'french'::regconfig,
                    CASE WHEN octet_length(folded) <= 300000 THEN folded ELSE left(folded, 75000) END
                )
            ) STORED,
            ADD COLUMN search_head tsvector GENERATED ALWAYS AS (
                setweight(to_tsvector('french'::regconfig, {title}), 'A')
                || setweight(to_tsvector('french'::regconfig, {summary}), 'B')
            ) STORED
        """,
        "CREATE INDEX search_searchentry_vector_gin ON search_searchentry USING gin (search_vector)",
    ]


BACKWARD = [
    "DROP INDEX IF EXISTS search_searchentry_vector_gin",
    "ALTER TABLE search_searchentry DROP COLUMN IF EXISTS search_head, DROP COLUMN IF EXISTS search_vector",
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SHOW server_encoding")
        encoding = cursor.fetchone()[0]
    for sql in forward_statements(encoding):
        schema_editor.execute(sql)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in BACKWARD:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]
