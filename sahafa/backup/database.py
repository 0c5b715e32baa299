"""The database half of a backup: a consistent copy taken while the site runs, and
putting one back, for SQLite (its online backup API) and PostgreSQL (pg_dump and
pg_restore, the client binaries on PATH)."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from django.db import DatabaseError, connection, connections

from .manifest import BackupError

SQLITE_FILE = "database.sqlite3"
POSTGRES_FILE = "database.pgdump"
MIGRATIONS_TABLE = "django_migrations"

# libpq reads these from the environment: the password never shows on a command line
# (where any local user could read it in the process list).
LIBPQ_ENVIRONMENT = {
    "HOST": "PGHOST",
    "PORT": "PGPORT",
    "USER": "PGUSER",
    "PASSWORD": "PGPASSWORD",
    "NAME": "PGDATABASE",
}
LIBPQ_OPTIONS = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "service": "PGSERVICE",
    "passfile": "PGPASSFILE",
    "connect_timeout": "PGCONNECT_TIMEOUT",
    "options": "PGOPTIONS",
}


@dataclass
class Dump:
    """What was written, and the facts the manifest records, read from the copy
    itself (so they describe the dump, not the site a moment later)."""

    file: str
    vendor: str
    server_version: str
    counts: dict[str, int]
    migrations: dict[str, str]


def vendor() -> str:
    return connection.vendor


def counted_tables() -> dict[str, str]:
    """The main tables a manifest counts, by a name an operator reads."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model
    from wagtail.models import Page, Revision

    from sahafa.news.models import ArticlePage, Author, NewsTag, SectionPage

    models = {
        "articles": ArticlePage,
        "sections": SectionPage,
        "pages": Page,
        "revisions": Revision,
        "authors": Author,
        "tags": NewsTag,
        "images": get_image_model(),
        "renditions": get_image_model().get_rendition_model(),
        "documents": get_document_model(),
        "users": get_user_model(),
        "groups": Group,
    }
    return {label: model._meta.db_table for label, model in models.items()}


def _facts(cursor, tables: set[str]) -> tuple[dict[str, int], dict[str, str]]:
    """Row counts of the main tables and the latest applied migration of each app,
    through any DB-API cursor of either vendor."""
    quote = connection.ops.quote_name
    counts = {}
    for label, table in counted_tables().items():
        if table in tables:
            cursor.execute(f"SELECT count(*) FROM {quote(table)}")  # noqa: S608 - model tables
            counts[label] = cursor.fetchone()[0]
    applied: list[tuple[str, str]] = []
    if MIGRATIONS_TABLE in tables:
        cursor.execute(f"SELECT app, name FROM {MIGRATIONS_TABLE} ORDER BY id")  # noqa: S608
        applied = [(app, name) for app, name in cursor.fetchall()]
    return counts, latest_migrations(applied)


def latest_migrations(applied: list[tuple[str, str]]) -> dict[str, str]:
    """The latest applied migration of each app, by the migration graph: the order
    rows were written is not it (a squashed migration is recorded after the ones it
    replaces, at the end of the run that applied them)."""
    from django.db.migrations.loader import MigrationLoader

    graph = MigrationLoader(None, ignore_no_migrations=True).graph
    latest: dict[str, tuple[int, str]] = {}
    for app, name in applied:
        # Migrations this code does not know (of a removed app): ranked by row order.
        depth = len(graph.forwards_plan((app, name))) if (app, name) in graph.nodes else -1
        if app not in latest or depth >= latest[app][0]:
            latest[app] = (depth, name)
    return {app: name for app, (_depth, name) in sorted(latest.items())}


def current_counts() -> dict[str, int]:
    """The same counts, of the site's database now."""
    with connection.cursor() as cursor:
        return _facts(cursor, set(connection.introspection.table_names(cursor)))[0]


def current_content() -> tuple[int, int]:
    """(articles, users) of the site now; (0, 0) on a database not migrated yet (a
    new server about to receive its first restore)."""
    from django.contrib.auth import get_user_model

    from sahafa.news.models import ArticlePage

    try:
        return ArticlePage.objects.count(), get_user_model().objects.count()
    except DatabaseError:
        return 0, 0


def dump(staging: Path) -> Dump:
    try:
        if connection.vendor == "sqlite":
            return _dump_sqlite(staging)
        if connection.vendor == "postgresql":
            return _dump_postgres(staging)
    except (sqlite3.Error, DatabaseError, connection.Database.Error) as exc:
        raise BackupError(f"تعذّر نسخ قاعدة البيانات / could not copy the database: {exc}") from exc
    raise BackupError(f"قاعدة بيانات غير مدعومة / unsupported database: {connection.vendor}")


def load(path: Path, backup_vendor: str) -> None:
    """Replace the site's database with the copy at ``path`` (checked beforehand)."""
    # Our own connection may hold a read transaction or a cached schema; the restore
    # works through connections of its own.
    connections.close_all()
    try:
        if backup_vendor == "sqlite":
            _load_sqlite(path)
        else:
            _load_postgres(path)
    except sqlite3.Error as exc:
        raise BackupError(
            f"تعذّرت استعادة قاعدة البيانات / could not restore the database: {exc}"
        ) from exc
    connections.close_all()


# --- SQLite ---------------------------------------------------------------------------


def _read_only(path: Path) -> sqlite3.Connection:
    # mode=ro: a missing file is an error, never a new empty database.
    return sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True, timeout=30)


def _sqlite_tables(conn: sqlite3.Connection) -> set[str]:
    return {name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}


def _dump_sqlite(staging: Path) -> Dump:
    live = Path(connection.settings_dict["NAME"])
    target = staging / SQLITE_FILE
    source = _read_only(live)
    try:
        copy = sqlite3.connect(target)
        try:
            # The online backup API, in one step (pages=-1): the whole database is read
            # under one read transaction, a snapshot, while the site goes on writing
            # (WAL). Copying the file instead could catch it between a commit to the
            # -wal file and its checkpoint, and miss recent commits or be torn.
            source.backup(copy)
            # One self-contained file: no -wal or -shm beside it, readable read-only.
            copy.execute("PRAGMA journal_mode=DELETE")
            counts, migrations = _facts(copy.cursor(), _sqlite_tables(copy))
        finally:
            copy.close()
    finally:
        source.close()
    return Dump(SQLITE_FILE, "sqlite", sqlite3.sqlite_version, counts, migrations)


def _load_sqlite(path: Path) -> None:
    live = Path(connection.settings_dict["NAME"])
    source = _read_only(path)
    try:
        target = sqlite3.connect(live, timeout=30)
        try:
            # Through the backup API into the live file, not a rename over it: processes
            # that have the database open (a running server, its worker) then see the
            # restored pages through SQLite's own locking, and the live file's -wal is
            # never paired with another file's pages. It stays in WAL mode.
            source.backup(target)
        finally:
            target.close()
    finally:
        source.close()


# --- PostgreSQL -----------------------------------------------------------------------


def _libpq_env() -> dict[str, str]:
    env = dict(os.environ)
    settings_dict = connection.settings_dict
    for key, name in LIBPQ_ENVIRONMENT.items():
        if settings_dict.get(key):
            env[name] = str(settings_dict[key])
    for key, name in LIBPQ_OPTIONS.items():
        if settings_dict.get("OPTIONS", {}).get(key):
            env[name] = str(settings_dict["OPTIONS"][key])
    return env


def _client(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(
            f"{name} غير موجود / {name} not found on PATH: install the PostgreSQL client "
            "programs of the server's version (Debian: postgresql-client)"
        )
    return found


def _run(command: list[str], what: str) -> None:
    done = subprocess.run(  # noqa: S603 - a PostgreSQL client found on PATH, our arguments
        command,
        env=_libpq_env(),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        lines = [line for line in done.stderr.strip().splitlines() if line.strip()]
        if lines:
            reason = lines[-1]
        elif done.returncode < 0:  # e.g. SIGXFSZ: a file over the size limit
            reason = f"stopped by {signal.Signals(-done.returncode).name}"
        else:
            reason = f"exit code {done.returncode}"
        raise BackupError(f"فشل {what} / {what} failed: {reason}")


def _dump_postgres(staging: Path) -> Dump:
    pg_dump = _client("pg_dump")
    target = staging / POSTGRES_FILE
    raw = connection.Database.connect(**connection.get_connection_params())
    try:
        raw.autocommit = True
        with raw.cursor() as cursor:
            # A snapshot of our own that pg_dump shares (--snapshot): the counts and the
            # migration state in the manifest are those of the dump, to the row.
            cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            _run(
                [
                    pg_dump,
                    "--format=custom",
                    "--no-password",
                    f"--snapshot={snapshot}",
                    f"--file={target}",
                ],
                "pg_dump",
            )
            cursor.execute(
                "SELECT tablename FROM pg_catalog.pg_tables WHERE schemaname = current_schema()"
            )
            tables = {name for (name,) in cursor.fetchall()}
            counts, migrations = _facts(cursor, tables)
            cursor.execute("SHOW server_version")
            server_version = cursor.fetchone()[0]
            cursor.execute("COMMIT")
    finally:
        raw.close()
    return Dump(POSTGRES_FILE, "postgresql", server_version, counts, migrations)


def _conninfo_value(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace("'", "\\'")
    return f"'{escaped}'"


def _load_postgres(path: Path) -> None:
    pg_restore = _client("pg_restore")
    name = connection.settings_dict["NAME"]
    _run(
        [
            pg_restore,
            "--clean",
            "--if-exists",
            "--no-owner",
            # Grants name roles of the server the dump came from, which this one may not
            # have; with --single-transaction one missing role would undo the restore.
            "--no-privileges",
            # All or nothing: a restore that fails half-way leaves the site as it was.
            "--single-transaction",
            "--no-password",
            f"--dbname=dbname={_conninfo_value(name)}",
            str(path),
        ],
        "pg_restore",
    )


def pending_migrations() -> int:
    """Migrations of this code the restored database has not applied (a backup of an
    older release): ``sahafa manage migrate`` brings it up to date."""
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    return len(executor.migration_plan(executor.loader.graph.leaf_nodes()))


def unknown_migrations(migrations: dict[str, str]) -> list[str]:
    """Migrations the backup's database had applied that this code does not know: it
    was made by a newer release, whose tables this one would misread."""
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(None, ignore_no_migrations=True)
    known = set(loader.disk_migrations)
    for migration in loader.replacements.values():
        known.update(migration.replaces)  # squashed away, still the same history
    return [
        f"{app}.{name}"
        for app, name in sorted(migrations.items())
        if app in loader.migrated_apps and (app, name) not in known
    ]
