"""Drop ``search_entry.embargo_until``: the index no longer applies the embargo.

There is one publication clock, ``live``: an embargo only bounds Wagtail's go-live
time, and the publishing task indexes an article once it is live and removes it
when it is not, so searching has nothing left to decide about publication.

``search_entry`` is raw SQL (see 0001_initial), not a Django model, so the column is
dropped by hand on each vendor. The reverse adds it back empty (every row then reads
as "no embargo", which is what the index holds: published articles only).
"""

from django.db import migrations


def _columns(schema_editor) -> set[str]:
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT name FROM pragma_table_info('search_entry')")
        return {row[0] for row in cursor.fetchall()}


def drop_embargo(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        # ALTER TABLE … DROP COLUMN needs SQLite 3.35; it has no IF EXISTS.
        if "embargo_until" in _columns(schema_editor):
            schema_editor.execute("ALTER TABLE search_entry DROP COLUMN embargo_until")
    elif vendor == "postgresql":
        schema_editor.execute("ALTER TABLE search_entry DROP COLUMN IF EXISTS embargo_until")


def add_embargo(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        if "embargo_until" not in _columns(schema_editor):
            schema_editor.execute("ALTER TABLE search_entry ADD COLUMN embargo_until REAL")
    elif vendor == "postgresql":
        schema_editor.execute(
            "ALTER TABLE search_entry ADD COLUMN IF NOT EXISTS embargo_until timestamptz"
        )


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [migrations.RunPython(drop_embargo, add_embargo)]
