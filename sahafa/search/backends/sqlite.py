"""SQLite FTS5 search backend (the embedded default).

Two tables, created by the app's migration on SQLite only:

* ``search_entry`` — one row per article (rowid = article id): external id,
  headline, section and publication time (Unix seconds) for filters and recency;
* ``search_fts`` — an FTS5 table over the *analysed* text (``index_terms`` output
  joined by spaces) in columns ``title``, ``lead``, ``body``, ``meta`` plus
  ``facets`` (filter tokens ``s12 a3 t7``, weight 0).  The ``unicode61`` tokenizer
  with ``remove_diacritics 0`` only splits on spaces here: normalising and stemming
  were done in Python, identically for the query.

Relevance is FTS5's ``bm25()`` with :data:`~.base.FIELD_WEIGHTS`, times the recency
factor of :mod:`.base`.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from datetime import UTC, datetime, time, timedelta

from django.core import checks
from django.db import connections, transaction
from django.utils import timezone

from sahafa.arabic import protected_words

from ..documents import SearchDocument, SearchHit
from ..query import fts5_match, index_terms
from .base import FIELD_WEIGHTS, RECENCY_BOOST, RECENCY_DAYS, BaseSearchBackend, batches

COLUMNS = ("title", "lead", "body", "meta")
HEAD_COLUMNS = ("title", "lead", "meta")
_BATCH = 500


def fts5_available() -> bool:
    """Whether the SQLite library Python links against has FTS5."""
    try:
        with sqlite3.connect(":memory:") as probe:
            probe.execute("CREATE VIRTUAL TABLE probe USING fts5(x)")
        return True
    except sqlite3.OperationalError:
        return False


def _epoch(value: datetime | None) -> float | None:
    return value.timestamp() if value is not None else None


def _from_epoch(value: float | None) -> datetime | None:
    return datetime.fromtimestamp(value, UTC) if value is not None else None


def _text(terms: list[str]) -> str:
    return " ".join(terms)


class SQLiteSearchBackend(BaseSearchBackend):
    vendor = "sqlite"

    @property
    def connection(self):
        return connections[self.database]

    def _rows(self, documents: Iterable[SearchDocument]):
        entries, fts = [], []
        names = protected_words()  # once per batch, not once per field
        for d in documents:
            entries.append(
                (
                    d.id,
                    d.external_id,
                    d.title,
                    d.section_id,
                    _epoch(d.published_at),
                )
            )
            fts.append(
                (
                    d.id,
                    _text(index_terms(d.title, names)),
                    _text(index_terms(f"{d.kicker}\n{d.standfirst}", names)),
                    _text(index_terms(d.body, names)),
                    _text(index_terms("\n".join([*d.tags, *d.authors, d.section]), names)),
                    " ".join(d.facets()),
                )
            )
        return entries, fts

    def index_documents(self, documents: Iterable[SearchDocument]) -> int:
        return sum(self._write(batch) for batch in batches(documents, _BATCH))

    def _write(self, documents: list[SearchDocument]) -> int:
        entries, fts = self._rows(documents)
        ids = [(row[0],) for row in entries]
        with transaction.atomic(using=self.database), self.connection.cursor() as cursor:
            cursor.executemany("DELETE FROM search_fts WHERE rowid = %s", ids)
            cursor.executemany(
                "INSERT OR REPLACE INTO search_entry "
                "(id, external_id, title, section_id, published_at) "
                "VALUES (%s, %s, %s, %s, %s)",
                entries,
            )
            cursor.executemany(
                "INSERT INTO search_fts (rowid, title, lead, body, meta, facets) "
                "VALUES (%s, %s, %s, %s, %s, %s)",
                fts,
            )
        return len(entries)

    def remove(self, ids: Iterable[int]) -> int:
        rows = [(int(i),) for i in ids]
        if not rows:
            return 0
        with transaction.atomic(using=self.database), self.connection.cursor() as cursor:
            cursor.executemany("DELETE FROM search_fts WHERE rowid = %s", rows)
            before = self.connection.connection.total_changes
            cursor.executemany("DELETE FROM search_entry WHERE id = %s", rows)
            return self.connection.connection.total_changes - before

    def clear(self) -> None:
        with transaction.atomic(using=self.database), self.connection.cursor() as cursor:
            cursor.execute("DELETE FROM search_fts")
            cursor.execute("DELETE FROM search_entry")

    def indexed_ids(self, ids: Iterable[int] | None = None) -> set[int]:
        with self.connection.cursor() as cursor:
            if ids is None:
                cursor.execute("SELECT id FROM search_entry")
                return {row[0] for row in cursor.fetchall()}
            wanted = [int(i) for i in ids]
            found: set[int] = set()
            for start in range(0, len(wanted), 500):
                chunk = wanted[start : start + 500]
                marks = ", ".join(["%s"] * len(chunk))
                cursor.execute(f"SELECT id FROM search_entry WHERE id IN ({marks})", chunk)  # noqa: S608 - placeholders only
                found.update(row[0] for row in cursor.fetchall())
            return found

    def count(self) -> int:
        with self.connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM search_entry")
            return cursor.fetchone()[0]

    def _where(self, query, filters, head_only: bool) -> tuple[str, str, list]:
        """(MATCH expression, SQL conditions on the entry ``e``, their parameters)."""
        match = fts5_match(
            query,
            HEAD_COLUMNS if head_only else COLUMNS,
            facets_column="facets",
            facets=filters.facets(),
        )
        where: list[str] = []
        params: list = []
        tz = timezone.get_current_timezone()
        if filters.date_from:
            where.append("e.published_at >= %s")
            params.append(datetime.combine(filters.date_from, time.min, tz).timestamp())
        if filters.date_to:
            where.append("e.published_at < %s")
            params.append(
                datetime.combine(filters.date_to + timedelta(days=1), time.min, tz).timestamp()
            )
        return match, " AND ".join(where) or "1", params  # "1": no condition

    def _hits(self, query, filters, offset, limit, now, *, head_only):
        now = now or timezone.now()
        match, where, params = self._where(query, filters, head_only)
        weights = ", ".join(str(FIELD_WEIGHTS[c]) for c in COLUMNS) + ", 0.0"
        # bm25() must run in a plain query over the FTS table: materialise the matches
        # (with their relevance) first, then join, filter and sort.
        sql = (
            f"WITH m AS MATERIALIZED (SELECT rowid AS id, -bm25(search_fts, {weights}) AS rel "  # noqa: S608 - fixed SQL, values bound
            "FROM search_fts WHERE search_fts MATCH %s) "
            "SELECT e.id, e.title, e.external_id, e.published_at, "
            "m.rel * (1.0 + %s / (1.0 + max(0.0, %s - coalesce(e.published_at, 0.0)) / %s)) AS score "
            f"FROM m JOIN search_entry e ON e.id = m.id WHERE {where} "
            "ORDER BY score DESC, e.id DESC LIMIT %s OFFSET %s"
        )
        head = [match, RECENCY_BOOST, now.timestamp(), RECENCY_DAYS * 86400]
        with self.connection.cursor() as cursor:
            cursor.execute(sql, [*head, *params, limit, offset])
            rows = cursor.fetchall()
        return [
            SearchHit(
                id=r[0],
                title=r[1],
                external_id=r[2],
                published_at=_from_epoch(r[3]),
                score=round(r[4], 6),
            )
            for r in rows
        ]

    def _count(self, query, filters, cap):
        match, where, params = self._where(query, filters, head_only=False)
        sql = (
            "SELECT count(*) FROM (SELECT 1 FROM search_fts "  # noqa: S608 - fixed SQL, values bound
            "JOIN search_entry e ON e.id = search_fts.rowid "
            f"WHERE search_fts MATCH %s AND {where} LIMIT %s)"
        )
        with self.connection.cursor() as cursor:
            cursor.execute(sql, [match, *params, cap])
            return cursor.fetchone()[0]

    def index_size_bytes(self) -> int:
        with self.connection.cursor() as cursor:
            try:
                cursor.execute(
                    "SELECT sum(pgsize) FROM dbstat WHERE name LIKE 'search\\_%%' ESCAPE '\\'"
                )
                return int(cursor.fetchone()[0] or 0)
            except Exception:  # noqa: BLE001 - dbstat is an optional SQLite module
                raise NotImplementedError(
                    "This backend does not support measuring the index size without dbstat"
                ) from None

    def optimize(self) -> None:
        with self.connection.cursor() as cursor:
            cursor.execute("INSERT INTO search_fts (search_fts) VALUES ('optimize')")

    def check(self) -> list[checks.CheckMessage]:
        if fts5_available():
            return []
        return [
            checks.Warning(
                "SQLite has no FTS5 module: Arabic search will not work.",
                hint="Use a Python built against SQLite with FTS5 (the default for CPython "
                "builds), or set SAHAFA_DATABASE_URL to PostgreSQL.",
                id="sahafa.search.W001",
            )
        ]


SearchBackend = SQLiteSearchBackend
