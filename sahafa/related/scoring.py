"""The scoring core of related topics: plain typed functions, no Django.

An article becomes a :class:`Profile` (weighted term frequencies of its stemmed,
match-normalised fields, a near-duplicate fingerprint, its day, section and
authors). Against the site's term statistics a profile gives a *signature*: its
``SIGNATURE_SIZE`` heaviest BM25-weighted terms, L2-normalised. Similarity is the dot
product of two signatures (cosine over the truncated vectors), found through an
inverted index of postings (term → article, weight), so ranking one article reads
only the postings of its own few terms.

The ranked list multiplies similarity by a recency factor and a same-section bonus,
then walks the candidates best first, dropping near-duplicates (of the article or of
an item already taken) and a third story from one author on one day.

The database layer (``sahafa.related.store``) and the in-memory index used by the
quality benchmark both feed this module through the :class:`Store` protocol, so the
site and the benchmark rank with the same code.
"""

from __future__ import annotations

import heapq
import math
import zlib
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from sahafa.arabic import analyze

# Field weights: a word in the headline or a shared tag says more about the story
# than the same word deep in the body.
FIELD_WEIGHTS: dict[str, float] = {"headline": 3.0, "tags": 3.0, "standfirst": 1.5, "body": 1.0}
SIGNATURE_SIZE = 40
LIST_SIZE = (
    12  # stored per article: more than shown, so pins and exclusions still leave a full block
)
CANDIDATE_POOL = 150  # best raw matches that reach the (more expensive) ranking step
BM25_K1 = 1.2
BM25_B = 0.75
# Recency: a story's score keeps RECENCY_FLOOR of its text similarity however old
# it is; the rest halves every HALF_LIFE_DAYS of distance from the source's date.
HALF_LIFE_DAYS = 30.0
RECENCY_FLOOR = 0.5
SAME_SECTION_BONUS = (
    1.4  # tuned on the corpus: keeps ≥ 0.8 same-section without losing same-story recall
)
NEAR_DUPLICATE = 0.8  # estimated Jaccard of word 3-shingles at or above which two texts are one
SHINGLE = 3
FINGERPRINT_SIZE = 64
PER_AUTHOR_DAY = 2
MIN_SCORE = 0.02  # below this a "related" article shares little more than common words

Key = Hashable


@dataclass(frozen=True)
class Document:
    """The fields of an article that related topics reads (already plain text)."""

    key: Key
    headline: str
    standfirst: str = ""
    body: str = ""
    tags: tuple[str, ...] = ()
    day: int = 0  # proleptic ordinal of the publication date (``date.toordinal()``)
    section: Key | None = None
    authors: tuple[Key, ...] = ()


@dataclass(frozen=True)
class Candidate:
    """What ranking needs to know about a possible related article."""

    key: Key
    day: int
    section: Key | None = None
    authors: tuple[Key, ...] = ()
    fingerprint: tuple[int, ...] = ()


@dataclass(frozen=True)
class Profile:
    """A document analysed once: weighted term frequencies, length and fingerprint."""

    candidate: Candidate
    tf: dict[str, float]
    length: float

    @property
    def key(self) -> Key:
        return self.candidate.key


@dataclass(frozen=True)
class Scored:
    key: Key
    score: float


@dataclass
class Stats:
    """Site-wide term statistics for BM25: document count, mean length, document frequencies."""

    documents: int
    mean_length: float
    df: Mapping[str, int] = field(default_factory=dict)


class Store(Protocol):
    """Where signatures live: the database in production, a dict in the benchmark."""

    def postings(self, terms: Sequence[str]) -> Iterable[tuple[str, Key, float, int, Key | None]]:
        """``(term, article key, weight, day, section)`` for every article indexed under ``terms``."""

    def candidates(self, keys: Sequence[Key]) -> Mapping[Key, Candidate]:
        """The ranking facts of ``keys`` (missing keys are simply absent)."""


def weighted_terms(doc: Document) -> Counter[str]:
    """Term frequencies over all fields, each occurrence counted with its field's weight."""
    tf: Counter[str] = Counter()
    for name, text in (
        ("headline", doc.headline),
        ("standfirst", doc.standfirst),
        ("body", doc.body),
    ):
        if text:
            weight = FIELD_WEIGHTS[name]
            for term in analyze(text):
                tf[term] += weight
    for tag in doc.tags:
        for term in analyze(tag):
            tf[term] += FIELD_WEIGHTS["tags"]
    return tf


def fingerprint(text: str, size: int = FINGERPRINT_SIZE) -> tuple[int, ...]:
    """A bottom-``size`` sketch of the word 3-shingles of ``text``, sorted.

    Stop words are kept (two rewrites of one dispatch share them too) and words are
    normalised and stemmed, so spelling variants do not hide a duplicate. crc32 is a
    stable hash: sketches are stored and compared across processes.
    """
    words = analyze(text, stop=False)
    if len(words) < SHINGLE:
        shingles = {" ".join(words)} if words else set()
    else:
        shingles = {" ".join(words[i : i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)}
    hashes = {zlib.crc32(s.encode()) for s in shingles}
    return tuple(heapq.nsmallest(size, hashes))


def resemblance(a: Sequence[int], b: Sequence[int], size: int = FINGERPRINT_SIZE) -> float:
    """Estimated Jaccard similarity of two texts from their bottom-k sketches.

    The ``size`` smallest hashes of the union are a uniform sample of it; the share of
    them present in both sketches estimates |A∩B| / |A∪B| (exact for short texts).
    """
    if not a or not b:
        return 0.0
    sa, sb = set(a), set(b)
    union = sa | sb
    # The sample is the ``size`` smallest of the union; counting the shared hashes up
    # to its largest is the same count as testing each sampled hash (ranking calls
    # this for every pair it compares, so it is written for speed).
    cutoff = sorted(union)[min(size, len(union)) - 1]
    both = sum(1 for h in sa & sb if h <= cutoff)
    return both / min(size, len(union))


def profile(doc: Document) -> Profile:
    tf = weighted_terms(doc)
    text = "\n".join(p for p in (doc.headline, doc.standfirst, doc.body) if p)
    candidate = Candidate(doc.key, doc.day, doc.section, tuple(doc.authors), fingerprint(text))
    return Profile(candidate, dict(tf), float(sum(tf.values())))


def idf(df: int, documents: int) -> float:
    """BM25's idf, always positive (the +1 inside the log)."""
    return math.log(1.0 + (documents - df + 0.5) / (df + 0.5))


def signature(
    tf: Mapping[str, float], length: float, stats: Stats, size: int = SIGNATURE_SIZE
) -> dict[str, float]:
    """The ``size`` heaviest BM25-weighted terms of a document, as a unit vector.

    A term not yet in ``stats`` (new to the site) counts as seen once.
    """
    n = max(stats.documents, 1)
    norm = BM25_K1 * (1 - BM25_B + BM25_B * length / max(stats.mean_length, 1.0))
    weights = {
        term: idf(stats.df.get(term, 1), n) * f * (BM25_K1 + 1) / (f + norm)
        for term, f in tf.items()
    }
    top = heapq.nlargest(size, weights.items(), key=lambda kv: (kv[1], kv[0]))
    length2 = math.sqrt(sum(w * w for _, w in top)) or 1.0
    return {term: w / length2 for term, w in top}


def recency(source_day: int, other_day: int) -> float:
    """1 for the same day, falling towards ``RECENCY_FLOOR`` with distance in either direction."""
    distance = abs(source_day - other_day)
    return RECENCY_FLOOR + (1 - RECENCY_FLOOR) * 0.5 ** (distance / HALF_LIFE_DAYS)


def pair_score(similarity: float, source: Candidate, day: int, section: Key | None) -> float:
    """The ranking score of one candidate; symmetric in the two articles."""
    bonus = SAME_SECTION_BONUS if section is not None and section == source.section else 1.0
    return similarity * recency(source.day, day) * bonus


def match(
    signature_: Mapping[str, float], source: Candidate, store: Store, pool: int = CANDIDATE_POOL
) -> list[Scored]:
    """Candidates sharing terms with ``signature_``, best ``pool`` first by :func:`pair_score`."""
    sims: dict[Key, float] = {}
    facts: dict[Key, tuple[int, Key | None]] = {}
    for term, key, weight, day, section in store.postings(list(signature_)):
        if key == source.key:
            continue
        sims[key] = sims.get(key, 0.0) + signature_[term] * weight
        facts[key] = (day, section)
    # Best by (score, str(key)), ties in first-seen order as a stable sort keeps them;
    # plain tuples, and a Scored made only for the ``pool`` kept (this runs for every
    # candidate of every list ranked).
    scored = (
        (pair_score(s, source, *facts[k]), str(k), -n, k) for n, (k, s) in enumerate(sims.items())
    )
    return [Scored(k, score) for score, _, _, k in heapq.nlargest(pool, scored)]


def diversify(
    source: Candidate,
    ranked: Sequence[Scored],
    facts: Mapping[Key, Candidate],
    limit: int = LIST_SIZE,
) -> list[Scored]:
    """Walk ``ranked`` best first, keeping at most ``limit`` items that are not the article
    itself, not near-duplicates of it or of an item kept, and not a third from one author-day."""
    kept: list[Scored] = []
    kept_prints: list[tuple[int, ...]] = []
    per_author_day: Counter[tuple[Key, int]] = Counter()
    for item in ranked:
        if len(kept) >= limit or item.score < MIN_SCORE:
            break
        other = facts.get(item.key)
        if other is None or item.key == source.key:
            continue
        if resemblance(source.fingerprint, other.fingerprint) >= NEAR_DUPLICATE:
            continue
        if any(resemblance(p, other.fingerprint) >= NEAR_DUPLICATE for p in kept_prints):
            continue
        slots = [(author, other.day) for author in other.authors]
        if any(per_author_day[s] >= PER_AUTHOR_DAY for s in slots):
            continue
        per_author_day.update(slots)
        kept.append(item)
        kept_prints.append(other.fingerprint)
    return kept


def rank(
    signature_: Mapping[str, float], source: Candidate, store: Store, limit: int = LIST_SIZE
) -> list[Scored]:
    """The related list of one article: match through the postings, then diversify."""
    ranked = match(signature_, source, store)
    facts = store.candidates([s.key for s in ranked])
    return diversify(source, ranked, facts, limit)
