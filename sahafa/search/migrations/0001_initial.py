"""The search index tables, in the flavour of the database in use.

SQLite gets an FTS5 virtual table and PostgreSQL a table with a GIN-indexed
tsvector; neither is a Django model (Django cannot describe either), so the DDL
lives here, frozen, and the backends in sahafa/search/backends/ read and write it.
"""

from django.db import migrations

SQLITE = [
    """CREATE TABLE IF NOT EXISTS search_entry (
        id INTEGER PRIMARY KEY,
        external_id TEXT,
        title TEXT NOT NULL,
        section_id INTEGER,
        published_at REAL,
        embargo_until REAL
    )""",
    "CREATE INDEX IF NOT EXISTS search_entry_published ON search_entry (published_at)",
    """CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5(
        title, lead, body, meta, facets,
        tokenize = 'unicode61 remove_diacritics 0'
    )""",
]
SQLITE_DROP = ["DROP TABLE IF EXISTS search_fts", "DROP TABLE IF EXISTS search_entry"]

POSTGRES = [
    """CREATE TABLE IF NOT EXISTS search_entry (
        id bigint PRIMARY KEY,
        external_id text,
        title text NOT NULL,
        section_id bigint,
        published_at timestamptz,
        embargo_until timestamptz,
        facets text[] NOT NULL DEFAULT '{}',
        head tsvector NOT NULL,
        document tsvector NOT NULL
    ) WITH (toast_tuple_target = 128)""",
    # Keep rows narrow: the big body vector always goes to TOAST, the small head
    # vector stays inline, so ranking thousands of headline matches reads few pages.
    "ALTER TABLE search_entry ALTER COLUMN head SET STORAGE MAIN",
    "CREATE INDEX IF NOT EXISTS search_entry_document ON search_entry USING gin (document)",
    "CREATE INDEX IF NOT EXISTS search_entry_head ON search_entry USING gin (head)",
    "CREATE INDEX IF NOT EXISTS search_entry_facets ON search_entry USING gin (facets)",
    "CREATE INDEX IF NOT EXISTS search_entry_published ON search_entry (published_at)",
]
POSTGRES_DROP = ["DROP TABLE IF EXISTS search_entry"]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        statements = statements_by_vendor.get(schema_editor.connection.vendor, [])
        for sql in statements:
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    initial = True
    dependencies: list = []

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRES}),
            _run({"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}),
        )
    ]
