"""The search backend contract.

A backend stores :class:`~sahafa.search.documents.SearchDocument` values and answers
:class:`~sahafa.search.query.AnalysedQuery` values.  Every backend indexes the
same analysed terms (:func:`sahafa.search.query.index_terms`) and scores the same
way, so the ranking a reader gets does not depend on the database in use:

* relevance: BM25-style, with the headline weighted above the kicker/standfirst
  and tags/authors/section, which are weighted above the body (:data:`FIELD_WEIGHTS`);
* a mild recency boost: ``relevance × (1 + RECENCY_BOOST / (1 + age_days / RECENCY_DAYS))``,
  at most +20% for today's news, +10% at one month, fading to nothing.

Optional features raise ``NotImplementedError("This backend does not support …")``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace
from datetime import datetime
from typing import TypeVar

from django.core.checks import CheckMessage

from ..documents import SearchDocument, SearchFilters, SearchHit, SearchResults
from ..query import AnalysedQuery, analyse_query
from ..ranking import RESCORE_WINDOW, rescore

#: Relative weight of each indexed field.
FIELD_WEIGHTS: dict[str, float] = {"title": 20.0, "lead": 4.0, "meta": 3.0, "body": 1.0}
RECENCY_BOOST = 0.2
RECENCY_DAYS = 30.0
#: Most results one search may return (pagination stops there).
MAX_LIMIT = 100
MAX_OFFSET = 1000
#: Totals are exact up to here; above it results say "more than COUNT_LIMIT".
COUNT_LIMIT = 1000

T = TypeVar("T")


def batches(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """``items`` in lists of at most ``size`` (itertools.batched arrives in 3.12)."""
    batch: list[T] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


class BaseSearchBackend:
    """Base class of search backends; ``params`` is the entry of ``SAHAFA_SEARCH_BACKENDS``."""

    #: The Django database vendor this backend runs on ("" if none).
    vendor = ""

    def __init__(self, params: dict | None = None) -> None:
        self.params = dict(params or {})
        self.database = self.params.get("DATABASE", "default")

    # --- writing ---------------------------------------------------------------

    def index_documents(self, documents: Iterable[SearchDocument]) -> int:
        """Add or replace ``documents`` (by id); return how many were written.

        Runs in the caller's transaction when there is one, so an index update
        commits or rolls back with the content change that caused it.
        """
        raise NotImplementedError

    def remove(self, ids: Iterable[int]) -> int:
        """Remove the documents with these ids (unknown ids are ignored)."""
        raise NotImplementedError

    def clear(self) -> None:
        """Remove every document."""
        raise NotImplementedError

    def indexed_ids(self, ids: Iterable[int] | None = None) -> set[int]:
        """The ids in the index (restricted to ``ids`` when given)."""
        raise NotImplementedError

    # --- reading ---------------------------------------------------------------

    def search(
        self,
        query: str | AnalysedQuery,
        *,
        filters: SearchFilters | None = None,
        offset: int = 0,
        limit: int = 10,
        now: datetime | None = None,
    ) -> SearchResults:
        """Return the ``limit`` best hits from ``offset`` and the total match count.

        ``query`` is raw reader input or an analysed query; any string is accepted
        and an empty query gives empty results, never an error.  When no document
        has all the words, documents with any of them are returned instead, and the
        results' ``query.any_term`` says so.  ``now`` (default: the current time) is
        the moment the recency boost measures age from.
        """
        analysed = query if isinstance(query, AnalysedQuery) else analyse_query(query)
        offset = min(max(int(offset), 0), MAX_OFFSET)
        limit = min(max(int(limit), 1), MAX_LIMIT)
        if analysed.is_empty:
            return SearchResults(query=analysed, offset=offset, limit=limit)
        filters = filters or SearchFilters()
        hits, total = self._run(analysed, filters, offset, limit, now)
        if total == 0 and len(analysed.required) + len(analysed.phrases) > 1:
            # Nothing has every word (a typo, a word the article does not use): rank
            # the articles having some of them rather than show nothing.
            analysed = replace(analysed, any_term=True)
            hits, total = self._run(analysed, filters, offset, limit, now)
        return SearchResults(analysed, hits, total, offset, limit, total_capped=total > COUNT_LIMIT)

    def _run(self, query, filters, offset, limit, now) -> tuple[list[SearchHit], int]:
        """Hits and total, with bounded work whatever the number of matches.

        The first :data:`RESCORE_WINDOW` hits are fetched together and re-scored by
        headline match (:mod:`sahafa.search.ranking`); later pages keep the engine's
        order.  The window is first sought among articles matching in the
        headline, kicker, standfirst, tags, authors or section ("head"), which the
        field weights rank first anyway: when that fills the window, the engine
        never scores the (possibly huge) body-only matches.  Totals are counted up
        to :data:`COUNT_LIMIT` + 1.
        """
        if offset + limit > RESCORE_WINDOW:
            hits = self._hits(query, filters, offset, limit, now, head_only=False)
            return hits, self._count(query, filters, COUNT_LIMIT + 1)
        hits = self._hits(query, filters, 0, RESCORE_WINDOW, now, head_only=True)
        if len(hits) < RESCORE_WINDOW:
            hits = self._hits(query, filters, 0, RESCORE_WINDOW, now, head_only=False)
            if len(hits) < RESCORE_WINDOW:
                return rescore(hits, query)[offset : offset + limit], len(hits)
        total = self._count(query, filters, COUNT_LIMIT + 1)
        return rescore(hits, query)[offset : offset + limit], total

    def _hits(
        self,
        query: AnalysedQuery,
        filters: SearchFilters,
        offset: int,
        limit: int,
        now: datetime | None,
        *,
        head_only: bool,
    ) -> list[SearchHit]:
        """The engine's best hits for a non-empty query, best first, recency measured
        from ``now``; with ``head_only``, only documents matching outside the body."""
        raise NotImplementedError

    def _count(self, query: AnalysedQuery, filters: SearchFilters, cap: int) -> int:
        """Number of matching documents, counting stops at ``cap``."""
        raise NotImplementedError

    def count(self) -> int:
        """Number of indexed documents."""
        return len(self.indexed_ids())

    def index_size_bytes(self) -> int:
        """Disk space the index takes (optional)."""
        raise NotImplementedError("This backend does not support measuring the index size")

    def optimize(self) -> None:
        """Compact the index after a bulk load (optional; a no-op by default)."""

    def check(self) -> list[CheckMessage]:
        """Problems with this backend's capabilities, as Django system check messages."""
        return []


def recency_factor(age_days: float) -> float:
    """The recency multiplier for a document ``age_days`` old (the SQL mirrors it)."""
    return 1.0 + RECENCY_BOOST / (1.0 + max(age_days, 0.0) / RECENCY_DAYS)
