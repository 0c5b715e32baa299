"""An in-memory :class:`~sahafa.related.scoring.Store`: the whole site's signatures in dicts.

Used by the full rebuild (one pass over every article, no query per article) and by
the quality benchmark, so both rank through exactly the functions the site uses.
Pure Python, no Django.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence

from .scoring import LIST_SIZE, Candidate, Key, Profile, Scored, Stats, rank, signature


class MemoryIndex:
    """Profiles in, signatures and postings out; ``related(key)`` ranks one article."""

    def __init__(self, profiles: Iterable[Profile]) -> None:
        self.profiles: dict[Key, Profile] = {p.key: p for p in profiles}
        df: Counter[str] = Counter()
        for p in self.profiles.values():
            df.update(p.tf.keys())
        n = len(self.profiles)
        mean = sum(p.length for p in self.profiles.values()) / n if n else 0.0
        self.stats = Stats(n, mean, df)
        self.signatures: dict[Key, dict[str, float]] = {}
        self._postings: dict[str, list[tuple[Key, float, int, Key | None]]] = defaultdict(list)
        for p in self.profiles.values():
            sig = signature(p.tf, p.length, self.stats)
            self.signatures[p.key] = sig
            c = p.candidate
            for term, weight in sig.items():
                self._postings[term].append((c.key, weight, c.day, c.section))

    def postings(self, terms: Sequence[str]) -> Iterable[tuple[str, Key, float, int, Key | None]]:
        for term in terms:
            for key, weight, day, section in self._postings.get(term, ()):
                yield term, key, weight, day, section

    def candidates(self, keys: Sequence[Key]) -> Mapping[Key, Candidate]:
        return {k: self.profiles[k].candidate for k in keys if k in self.profiles}

    def related(self, key: Key, limit: int = LIST_SIZE) -> list[Scored]:
        return rank(self.signatures[key], self.profiles[key].candidate, self, limit)
