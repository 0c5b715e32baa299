"""PostgreSQL full-text search backend.

One table, created by the app's migration on PostgreSQL only: ``search_entry``
with the article's external id, headline, section, publication time,
``facets`` (``text[]`` of filter tokens ``s12 a3 t7``, GIN-indexed) and
``document``, a weighted ``tsvector`` (GIN-indexed) built from the *analysed* terms
(headline A, kicker/standfirst B, tags/authors/section C, body D).  The vector and
the query are written as literals rather than through a text search configuration,
so PostgreSQL matches exactly the terms :func:`sahafa.search.query.index_terms`
produced: no second, different Arabic stemmer (PostgreSQL's ``arabic`` config keeps
«والمدرسة» whole and turns «فلسطين» into «لسط»).

Relevance is ``ts_rank`` with :data:`~.base.FIELD_WEIGHTS` and length
normalisation 1 (BM25-like dampening of long articles), times the recency factor.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, time, timedelta

from django.db import connections, transaction
from django.utils import timezone

from sahafa.arabic import protected_words

from ..documents import SearchDocument, SearchHit
from ..query import index_terms, tsquery, tsvector_literal
from .base import FIELD_WEIGHTS, RECENCY_BOOST, RECENCY_DAYS, BaseSearchBackend, batches

_BATCH = 500
# How many of the newest matching articles a query ranks (see _hits).
RANK_CANDIDATES = 2000
# ts_rank takes weights for {D, C, B, A}, each at most 1: the field weights scaled.
_TOP = max(FIELD_WEIGHTS.values())
RANK_WEIGHTS = "{%s}" % ",".join(  # noqa: UP031 - a PostgreSQL array literal
    str(round(FIELD_WEIGHTS[f] / _TOP, 3)) for f in ("body", "meta", "lead", "title")
)


def document_vectors(d: SearchDocument, names: frozenset[str]) -> tuple[str, str]:
    """(head, document): the vector of everything but the body, and of everything."""
    head = [
        (index_terms(d.title, names), "A"),
        (index_terms(f"{d.kicker}\n{d.standfirst}", names), "B"),
        (index_terms("\n".join([*d.tags, *d.authors, d.section]), names), "C"),
    ]
    return tsvector_literal(head), tsvector_literal([*head, (index_terms(d.body, names), "D")])


class PostgresSearchBackend(BaseSearchBackend):
    vendor = "postgresql"

    @property
    def connection(self):
        return connections[self.database]

    def index_documents(self, documents: Iterable[SearchDocument]) -> int:
        return sum(self._write(batch) for batch in batches(documents, _BATCH))

    def _write(self, documents: list[SearchDocument]) -> int:
        names = protected_words()  # once per batch, not once per field
        rows = [
            (
                d.id,
                d.external_id,
                d.title,
                d.section_id,
                d.published_at,
                d.facets(),
                *document_vectors(d, names),
            )
            for d in documents
        ]
        with transaction.atomic(using=self.database), self.connection.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO search_entry (id, external_id, title, section_id, published_at, "
                "facets, head, document) "
                "VALUES (%s, %s, %s, %s, %s, %s, %s::tsvector, %s::tsvector) "
                "ON CONFLICT (id) DO UPDATE SET external_id = EXCLUDED.external_id, "
                "title = EXCLUDED.title, section_id = EXCLUDED.section_id, "
                "published_at = EXCLUDED.published_at, "
                "facets = EXCLUDED.facets, head = EXCLUDED.head, document = EXCLUDED.document",
                rows,
            )
        return len(rows)

    def remove(self, ids: Iterable[int]) -> int:
        wanted = [int(i) for i in ids]
        if not wanted:
            return 0
        with self.connection.cursor() as cursor:
            cursor.execute("DELETE FROM search_entry WHERE id = ANY(%s)", [wanted])
            return cursor.rowcount

    def clear(self) -> None:
        with self.connection.cursor() as cursor:
            cursor.execute("DELETE FROM search_entry")

    def indexed_ids(self, ids: Iterable[int] | None = None) -> set[int]:
        with self.connection.cursor() as cursor:
            if ids is None:
                cursor.execute("SELECT id FROM search_entry")
            else:
                cursor.execute(
                    "SELECT id FROM search_entry WHERE id = ANY(%s)", [[int(i) for i in ids]]
                )
            return {row[0] for row in cursor.fetchall()}

    def count(self) -> int:
        with self.connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM search_entry")
            return cursor.fetchone()[0]

    def _where(self, filters, head_only: bool) -> tuple[str, list]:
        """SQL conditions on the entry ``e`` (the query is ``q.q``) and their parameters."""
        where = ["e.head @@ q.q" if head_only else "e.document @@ q.q"]
        params: list = []
        facets = filters.facets()
        if facets:
            where.append("e.facets @> %s::text[]")
            params.append(facets)
        tz = timezone.get_current_timezone()
        if filters.date_from:
            where.append("e.published_at >= %s")
            params.append(datetime.combine(filters.date_from, time.min, tz))
        if filters.date_to:
            where.append("e.published_at < %s")
            params.append(datetime.combine(filters.date_to + timedelta(days=1), time.min, tz))
        return " AND ".join(where), params

    def _hits(self, query, filters, offset, limit, now, *, head_only):
        now = now or timezone.now()
        where, params = self._where(filters, head_only)
        # Head-only ranking reads the small head vector, never the (TOASTed) body.
        vector = "e.head" if head_only else "e.document"
        # A very common word matches tens of thousands of articles; ranking every
        # one of them is what made one-word queries slow at scale. Only the newest
        # RANK_CANDIDATES matches are ranked (recency is part of the score anyway);
        # the planner can then walk the published_at index and stop early.
        candidates = max(RANK_CANDIDATES, offset + limit)
        inner = (
            "SELECT e.id, e.title, e.external_id, e.published_at, "  # noqa: S608 - values bound
            f"{vector} AS vec FROM search_entry e, CAST(%s AS tsquery) AS q(q) "
            f"WHERE {where} ORDER BY e.published_at DESC NULLS LAST LIMIT %s"
        )
        sql = (
            "SELECT c.id, c.title, c.external_id, c.published_at, "  # noqa: S608 - values bound
            "ts_rank(%s::float4[], c.vec, q.q, 1) * (1.0 + %s / (1.0 + greatest(0.0, "
            "extract(epoch FROM (%s - coalesce(c.published_at, 'epoch'::timestamptz))) / %s))) "
            f"AS score FROM ({inner}) AS c, CAST(%s AS tsquery) AS q(q) "
            "ORDER BY score DESC, c.id DESC LIMIT %s OFFSET %s"
        )
        ranking = [RANK_WEIGHTS, RECENCY_BOOST, now, RECENCY_DAYS * 86400]
        matching = [tsquery(query), *params, candidates]
        with self.connection.cursor() as cursor:
            cursor.execute(sql, [*ranking, *matching, tsquery(query), limit, offset])
            rows = cursor.fetchall()
        return [
            SearchHit(
                id=r[0],
                title=r[1],
                external_id=r[2],
                published_at=r[3],
                score=round(float(r[4]), 6),
            )
            for r in rows
        ]

    def _count(self, query, filters, cap):
        if not (query.excluded or query.excluded_phrases):
            # Every head match is a document match (the document vector holds the
            # head): when the small head vectors already reach the cap, the large
            # posting lists of the body need not be read at all.
            head = self._count_matches(query, filters, cap, head_only=True)
            if head >= cap:
                return head
        return self._count_matches(query, filters, cap, head_only=False)

    def _count_matches(self, query, filters, cap, *, head_only: bool) -> int:
        where, params = self._where(filters, head_only=head_only)
        sql = (
            "SELECT count(*) FROM (SELECT 1 FROM search_entry e, CAST(%s AS tsquery) AS q(q) "  # noqa: S608
            f"WHERE {where} LIMIT %s) AS matches"
        )
        with self.connection.cursor() as cursor:
            cursor.execute(sql, [tsquery(query), *params, cap])
            return cursor.fetchone()[0]

    def index_size_bytes(self) -> int:
        with self.connection.cursor() as cursor:
            cursor.execute("SELECT pg_total_relation_size('search_entry')")
            return int(cursor.fetchone()[0])

    def optimize(self) -> None:
        with self.connection.cursor() as cursor:
            cursor.execute("ANALYZE search_entry")


SearchBackend = PostgresSearchBackend
