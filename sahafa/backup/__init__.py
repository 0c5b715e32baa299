"""Backups of a whole site: ``sahafa backup DIR`` and ``sahafa restore DIR [--yes]``.

A backup is a folder:

- ``database.sqlite3`` (SQLite's online backup API) or ``database.pgdump``
  (``pg_dump --format=custom``), taken consistently while the site runs;
- ``media/``: every file under MEDIA_ROOT, originals, documents and renditions;
- ``manifest.json``: the Sahafa version, when, the database vendor, the latest applied
  migration of each app, row counts of the main tables, and the size and SHA-256 of
  every other file (checked in full before a restore changes anything).

``manifest`` is plain Python; ``database`` and ``media`` do the work of each half;
``commands`` is what the ``sahafa`` command calls.
"""

from .commands import backup_command, restore_command

__all__ = ["backup_command", "restore_command"]
