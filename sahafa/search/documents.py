"""The values that cross the search interface: what is indexed, what is asked, what comes back.

Plain dataclasses with no Django in them, so a backend can be fed by the article
pages (see :mod:`sahafa.search.indexing`) or directly (benchmarks, importers).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from .query import AnalysedQuery


@dataclass(frozen=True)
class SearchDocument:
    """One published article as the index sees it.

    ``id`` is the article page's primary key.  The index holds published articles
    only (the publishing task adds and removes them), so nothing about publication
    is decided when searching.
    """

    id: int
    title: str
    external_id: str | None = None
    kicker: str = ""
    standfirst: str = ""
    body: str = ""
    tags: tuple[str, ...] = ()
    authors: tuple[str, ...] = ()
    section: str = ""
    section_id: int | None = None
    author_ids: tuple[int, ...] = ()
    tag_ids: tuple[int, ...] = ()
    published_at: datetime | None = None

    def facets(self) -> list[str]:
        """Filter tokens: ``s<section>``, ``a<author>``, ``t<tag>``."""
        out = [f"s{self.section_id}"] if self.section_id is not None else []
        out += [f"a{i}" for i in self.author_ids]
        out += [f"t{i}" for i in self.tag_ids]
        return out


@dataclass(frozen=True)
class SearchFilters:
    """Restrictions on a search; ``date_to`` is inclusive."""

    section_id: int | None = None
    author_id: int | None = None
    tag_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None

    def facets(self) -> list[str]:
        out = []
        if self.section_id is not None:
            out.append(f"s{self.section_id}")
        if self.author_id is not None:
            out.append(f"a{self.author_id}")
        if self.tag_id is not None:
            out.append(f"t{self.tag_id}")
        return out


@dataclass(frozen=True)
class SearchHit:
    """One result: the article's id, external id and headline, and its score."""

    id: int
    title: str
    score: float
    external_id: str | None = None
    published_at: datetime | None = None


@dataclass(frozen=True)
class SearchResults:
    """A page of hits, best first, and the number of matching articles in all."""

    query: AnalysedQuery
    hits: list[SearchHit] = field(default_factory=list)
    total: int = 0
    offset: int = 0
    limit: int = 10
    #: True when ``total`` is a lower bound (counting stopped at COUNT_LIMIT + 1).
    total_capped: bool = False
