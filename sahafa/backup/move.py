"""``sahafa migrate-db --to postgres://…``: a SQLite site moved up to PostgreSQL.

Everything the site's models hold is copied — content, revisions, users and groups,
workflow state, media references, redirects, the task queue, settings — table by
table, through each field's own conversion to PostgreSQL (``get_db_prep_save``), so
JSON, dates and booleans arrive as PostgreSQL types. Then:

- the target's sequences are moved past the copied ids;
- every table is verified: the same number of rows, and the same SHA-256 over its
  rows read back from both databases in id order;
- the search indexes, which are each engine's own (FTS5 on SQLite, ``tsvector`` on
  PostgreSQL) and not models, are built afresh on the target.

All of it is one transaction on the target (foreign keys are checked at its commit),
read from one snapshot of the source: a failure leaves the target as empty as it was,
and the site keeps running on SQLite throughout. The media files stay where they are
(``SAHAFA_HOME/media``); switching the site over is setting ``SAHAFA_DATABASE_URL``.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.apps import apps
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import DatabaseError, connections, models, transaction
from wagtail.fields import StreamField

from .manifest import BackupError

TARGET = "migrate_target"
CHUNK = 2000
# Wagtail's admin search index: on SQLite an FTS5 table beside the model's, on
# PostgreSQL tsvector columns; rebuilt on the target (``update_index``), not copied.
REBUILT = frozenset({"wagtailsearch.indexentry"})
# Rows here mean the target is a site already.
OWNED_TABLES = ("news_articlepage", "auth_user", "wagtailcore_revision")


@dataclass
class TableReport:
    table: str
    rows: int
    checksum: str


@dataclass
class MoveReport:
    tables: list[TableReport] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def rows(self) -> int:
        return sum(t.rows for t in self.tables)


def migrate_db(url: str, *, progress: bool = True) -> MoveReport:
    started = time.monotonic()
    source = connections["default"]
    if source.vendor != "sqlite":
        raise BackupError(
            f"الموقع ليس على SQLite بل على {source.vendor} / the site is not on SQLite "
            f"(it is on {source.vendor}): nothing to move",
            code=2,
        )
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(source)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        raise BackupError(
            "قاعدة بيانات الموقع تحتاج إلى تحديث أولًا: شغّل «sahafa manage migrate» / the "
            "site's database is not up to date: run `sahafa manage migrate` first",
            code=2,
        )
    _add_target(url)
    target = connections[TARGET]
    try:
        target.ensure_connection()
    except DatabaseError as exc:
        raise BackupError(
            f"تعذّر الاتصال بقاعدة البيانات الهدف / cannot connect to the target ({_line(exc)})"
        ) from exc
    _refuse_non_empty(target)
    # In a process of its own where the target is the default database: data
    # migrations (Wagtail's first pages among them) write to the default one.
    _run_on(url, ["migrate", "--no-input", "--verbosity", "0"], "migrate")
    # What migrations and post_migrate wrote there (content types, permissions,
    # Wagtail's first pages) comes from the site instead, with the site's ids.
    call_command(
        "flush", database=TARGET, interactive=False, inhibit_post_migrate=True, verbosity=0
    )
    # Tables of one engine only (Wagtail's FTS5 index on SQLite) have no counterpart.
    both = set(source.introspection.table_names()) & set(target.introspection.table_names())
    copied = [
        m for m in _models() if m._meta.label_lower not in REBUILT and m._meta.db_table in both
    ]
    report = MoveReport()
    from tqdm import tqdm

    # One snapshot of the source, one transaction on the target.
    with _snapshot(source), transaction.atomic(using=TARGET):
        totals = {m: m._base_manager.using("default").count() for m in copied}
        bar = tqdm(
            total=sum(totals.values()),
            unit=" rows",
            desc="migrate-db",
            disable=not progress or None,
        )
        try:
            for model in copied:
                _copy(model, target, bar)
        finally:
            bar.close()
        _reset_sequences(target, copied)
        for model in copied:
            report.tables.append(_verify(model, totals[model]))
    _rebuild_indexes(url)
    report.seconds = time.monotonic() - started
    return report


@contextmanager
def _snapshot(connection) -> Iterator[None]:
    """Every read until the end of the block sees the source as it was at its start.

    A deferred SQLite transaction, begun by hand: Django's ``atomic`` would begin it
    IMMEDIATE (the site's setting), taking the write lock from the editors for the
    whole copy; a reader in WAL mode blocks nobody.
    """
    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("BEGIN DEFERRED")
        cursor.execute("SELECT count(*) FROM django_migrations")  # the snapshot starts here
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("ROLLBACK")


def _add_target(url: str) -> None:
    import dj_database_url

    if not url.startswith(("postgres://", "postgresql://")):
        raise BackupError("--to: يلزم عنوان postgres:// / a postgres:// URL is needed", code=2)
    try:
        config = dj_database_url.parse(url)
    except Exception as exc:  # dj-database-url raises several types for bad URLs
        raise BackupError(f"--to: عنوان غير صالح / not a database URL ({exc})", code=2) from exc
    if "postgresql" not in config.get("ENGINE", ""):
        raise BackupError("--to: يلزم عنوان postgres:// / a postgres:// URL is needed", code=2)
    configured = connections.configure_settings(
        {"default": connections.settings["default"], TARGET: config}
    )
    connections.settings[TARGET] = configured[TARGET]


def _refuse_non_empty(target) -> None:
    """A database with pages or accounts is somebody's site: never written over. (One
    only migrated — content types, permissions, Wagtail's root page — is empty.)"""
    tables = set(target.introspection.table_names())
    with target.cursor() as cursor:
        for table in OWNED_TABLES:
            if table not in tables:
                continue
            cursor.execute(f"SELECT 1 FROM {target.ops.quote_name(table)} LIMIT 1")  # noqa: S608 - fixed names
            if cursor.fetchone():
                raise BackupError(
                    f"قاعدة البيانات الهدف ليست فارغة (الجدول {table}) / the target "
                    f"database is not empty (table {table}): give the site a new, empty one",
                    code=2,
                )


def _models() -> list[type[models.Model]]:
    """Every table the site's models own, many-to-many tables included, once each."""
    seen: set[str] = set()
    out = []
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or not meta.managed or meta.db_table in seen:
            continue
        seen.add(meta.db_table)
        out.append(model)
    return out


def _columns(model: type[models.Model]) -> list[models.Field]:
    return list(model._meta.local_concrete_fields)


def _copy(model: type[models.Model], target, bar) -> None:
    fields = _columns(model)
    quote = target.ops.quote_name
    sql = (
        f"INSERT INTO {quote(model._meta.db_table)} "  # noqa: S608 - a model's own table
        f"({', '.join(quote(f.column) for f in fields)}) "
        f"VALUES ({', '.join(['%s'] * len(fields))})"
    )
    rows = (
        model._base_manager.using("default")
        .order_by("pk")
        .values_list(*[f.attname for f in fields])
        .iterator(chunk_size=CHUNK)
    )
    with target.cursor() as cursor:
        for chunk in _chunks(rows, CHUNK):
            cursor.executemany(
                sql,
                [
                    [
                        f.get_db_prep_save(v, connection=target)
                        for f, v in zip(fields, row, strict=True)
                    ]
                    for row in chunk
                ],
            )
            bar.update(len(chunk))


def _chunks(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


def _reset_sequences(target, copied: list[type[models.Model]]) -> None:
    statements = target.ops.sequence_reset_sql(no_style(), copied)
    with target.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def _verify(model: type[models.Model], expected: int) -> TableReport:
    table = model._meta.db_table
    here = _checksum(model, "default")
    there = _checksum(model, TARGET)
    if here != there:
        raise BackupError(
            f"لم تتطابق بيانات الجدول {table} بعد النسخ / table {table} differs after the "
            f"copy ({here[1]} rows, {there[1]} copied): nothing was kept in the target"
        )
    if here[1] != expected:
        raise BackupError(f"table {table} changed during the copy ({expected} → {here[1]})")
    return TableReport(table, here[1], here[0])


def _checksum(model: type[models.Model], alias: str) -> tuple[str, int]:
    digest = hashlib.sha256()
    count = 0
    fields = _columns(model)
    rows = (
        model._base_manager.using(alias)
        .order_by("pk")
        .values_list(*[f.attname for f in fields])
        .iterator(chunk_size=CHUNK)
    )
    for row in rows:
        plain = [_plain(f, v) for f, v in zip(fields, row, strict=True)]
        digest.update(json.dumps(plain, default=str).encode())
        count += 1
    return digest.hexdigest(), count


def _plain(field: models.Field, value):
    """One form for a value, whichever database it was read from (PostgreSQL's jsonb
    orders an object's keys its own way; SQLite keeps them as written)."""
    if isinstance(field, StreamField):
        value = field.get_prep_value(value)
        if isinstance(value, str):
            value = json.loads(value or "[]")
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat() if value.tzinfo else value.isoformat()
    if isinstance(value, (dict, list)):
        return json.dumps(value, sort_keys=True, default=str)
    if isinstance(value, memoryview):
        return bytes(value).hex()
    if isinstance(value, bytes):
        return value.hex()
    return value


def _rebuild_indexes(url: str) -> None:
    """Sahafa's Arabic search index and Wagtail's admin index, built on the target by
    the site's own commands running against it."""
    _run_on(url, ["rebuild_search_index", "--no-progress"], "rebuild_search_index")
    _run_on(url, ["update_index", "--verbosity", "0"], "update_index")


def _run_on(url: str, command: list[str], name: str) -> None:
    """A management command of the site run against the target database."""
    env = {**os.environ, "SAHAFA_DATABASE_URL": url}
    done = subprocess.run(  # noqa: S603 - this interpreter, the site's own command
        [sys.executable, "-m", "sahafa.cli", "manage", *command],
        env=env,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        said = [line for line in done.stderr.splitlines() if line and not line.startswith("{")]
        raise BackupError(
            f"تعذّر تنفيذ {name} على قاعدة البيانات الهدف / {name} failed on the target: "
            + " | ".join(said[-3:])[-500:]
        )


def _line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


def migrate_db_command(url: str, progress: bool = True) -> int:
    """What ``sahafa migrate-db`` runs: the move, then its report; one line and a
    non-zero exit when it cannot be done (the target then holds nothing of it)."""
    from sahafa.cli import fail

    try:
        report = migrate_db(url, progress=progress)
    except BackupError as exc:
        fail(str(exc), exc.code)
    width = max(len(t.table) for t in report.tables)
    for table in report.tables:
        if table.rows:
            print(f"  {table.table:<{width}}  {table.rows:>8}  sha256 {table.checksum[:16]}")
    print(
        f"نُقل الموقع إلى PostgreSQL / moved to PostgreSQL: {len(report.tables)} tables, "
        f"{report.rows} rows, every table verified (rows and SHA-256), "
        f"search indexes rebuilt, {report.seconds:.1f} s"
    )
    print(
        "الخطوة التالية / next: set SAHAFA_DATABASE_URL to the new database (in "
        "SAHAFA_HOME/sahafa.env or the environment) and restart sahafa serve; the SQLite "
        "file is left as it was"
    )
    return 0
