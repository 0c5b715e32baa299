"""Re-scoring the best hits by how well the headline matches (pure, no Django).

Engines score each term on its own (BM25 / ts_rank).  A reader who remembers a
headline types its words, usually in order; so the top of every result list
(:data:`RESCORE_WINDOW` hits) is re-scored in Python, identically for every
backend, by headline *coverage* (share of query words in the headline) and
*proximity* (query words next to each other, in order, in the headline).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from .documents import SearchHit
from .query import AnalysedQuery, index_terms

#: How many of the engine's best hits are re-scored.
RESCORE_WINDOW = 50
COVERAGE_BOOST = 1.0
PROXIMITY_BOOST = 1.0


def headline_bonus(title_terms: Sequence[str], query: AnalysedQuery) -> float:
    """``coverage × COVERAGE_BOOST + adjacency × PROXIMITY_BOOST`` for one headline."""
    wanted = [set(t.alternatives) for t in query.required] + [{p[0]} for p in query.phrases]
    if not wanted or not title_terms:
        return 0.0
    positions = [[i for i, term in enumerate(title_terms) if term in alts] for alts in wanted]
    coverage = sum(bool(p) for p in positions) / len(wanted)
    pairs = len(wanted) - 1
    adjacent = 0
    for before, after in zip(positions, positions[1:], strict=False):
        # In order, at most one word between (a stop word or a name usually).
        if any(0 < b - a <= 2 for a in before for b in after):
            adjacent += 1
    adjacency = adjacent / pairs if pairs else coverage
    return COVERAGE_BOOST * coverage + PROXIMITY_BOOST * adjacency


def rescore(hits: Sequence[SearchHit], query: AnalysedQuery) -> list[SearchHit]:
    """``hits`` re-ordered by ``score × (1 + headline_bonus)``; scores updated."""
    rescored = [
        replace(
            hit, score=round(hit.score * (1.0 + headline_bonus(index_terms(hit.title), query)), 6)
        )
        for hit in hits
    ]
    rescored.sort(key=lambda h: (-h.score, -h.id))
    return rescored
