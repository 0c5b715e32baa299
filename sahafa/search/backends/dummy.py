"""An in-memory backend for tests: the same analysis and contract, no database.

Scoring is deliberately simple (field weights × term frequency, plus recency); it
keeps the contract (filters, phrases, exclusions, pagination), not the
exact BM25 figures.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, time, timedelta

from django.utils import timezone

from ..documents import SearchDocument, SearchFilters, SearchHit
from ..query import AnalysedQuery, index_terms
from .base import FIELD_WEIGHTS, BaseSearchBackend, recency_factor


def _fields(doc: SearchDocument) -> dict[str, list[str]]:
    return {
        "title": index_terms(doc.title),
        "lead": index_terms(f"{doc.kicker}\n{doc.standfirst}"),
        "body": index_terms(doc.body),
        "meta": index_terms("\n".join([*doc.tags, *doc.authors, doc.section])),
    }


def _has_phrase(terms: list[str], phrase: tuple[str, ...]) -> bool:
    n = len(phrase)
    return any(tuple(terms[i : i + n]) == phrase for i in range(len(terms) - n + 1))


class DummySearchBackend(BaseSearchBackend):
    vendor = ""

    def __init__(self, params: dict | None = None) -> None:
        super().__init__(params)
        self.documents: dict[int, tuple[SearchDocument, dict[str, list[str]]]] = {}

    def index_documents(self, documents: Iterable[SearchDocument]) -> int:
        n = 0
        for doc in documents:
            self.documents[doc.id] = (doc, _fields(doc))
            n += 1
        return n

    def remove(self, ids: Iterable[int]) -> int:
        return sum(self.documents.pop(i, None) is not None for i in ids)

    def clear(self) -> None:
        self.documents.clear()

    def indexed_ids(self, ids: Iterable[int] | None = None) -> set[int]:
        keys = set(self.documents)
        return keys if ids is None else keys & set(ids)

    def _hits(self, query, filters, offset, limit, now, *, head_only):
        return self._matches(query, filters, now, head_only)[offset : offset + limit]

    def _count(self, query, filters, cap):
        return min(len(self._matches(query, filters, None, head_only=False)), cap)

    def _matches(self, query: AnalysedQuery, filters: SearchFilters, now, head_only: bool):
        now = now or timezone.now()
        scored = []
        for doc, all_fields in self.documents.values():
            fields = {k: v for k, v in all_fields.items() if not (head_only and k == "body")}
            if not self._passes(doc, filters):
                continue
            all_terms = [t for terms in fields.values() for t in terms]
            present = set(all_terms)
            wanted_terms = [bool(present.intersection(t.alternatives)) for t in query.required]
            wanted_phrases = [
                any(_has_phrase(f, p) for f in fields.values()) for p in query.phrases
            ]
            found = wanted_terms + wanted_phrases
            if not (any(found) if query.any_term else all(found)):
                continue
            if any(present.intersection(t.alternatives) for t in query.excluded):
                continue
            if any(any(_has_phrase(f, p) for f in fields.values()) for p in query.excluded_phrases):
                continue
            wanted = query.highlight_terms()
            relevance = sum(
                FIELD_WEIGHTS[name] * sum(t in wanted for t in terms) / (1 + len(terms)) ** 0.5
                for name, terms in fields.items()
            )
            age = (now - doc.published_at).total_seconds() / 86400 if doc.published_at else 1e6
            scored.append((relevance * recency_factor(age), doc))
        scored.sort(key=lambda pair: (-pair[0], -pair[1].id))
        return [
            SearchHit(d.id, d.title, round(s, 6), d.external_id, d.published_at) for s, d in scored
        ]

    @staticmethod
    def _passes(doc: SearchDocument, filters: SearchFilters) -> bool:
        if not set(filters.facets()) <= set(doc.facets()):
            return False
        tz = timezone.get_current_timezone()
        when = doc.published_at
        if filters.date_from and (
            when is None or when < datetime.combine(filters.date_from, time.min, tz)
        ):
            return False
        if filters.date_to and (
            when is None
            or when >= datetime.combine(filters.date_to + timedelta(days=1), time.min, tz)
        ):
            return False
        return True


SearchBackend = DummySearchBackend
