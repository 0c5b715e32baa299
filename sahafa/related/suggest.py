"""Tag suggestions for the article editor: pure functions, no Django.

Two kinds of suggestion, both accepted with one click in the editor:

- **existing tags** of the site ranked by how well they fit the draft: every word of
  a short tag (two thirds of a long one) must occur in the text, weighted by how
  often (log tf, headline counted more) and how rare it is on the site (idf), with a
  bonus when the tag's words stand together in the text;
- **key phrases**: names that news prose announces — «الرئيس …», «وزير …»,
  «المتحدث باسم …», «رئيس وزراء …», «الأمين العام …» — read off the tokens after
  the cue, plus any site tag spelled out in full in the text.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sahafa.arabic import analyze, is_stopword, normalize, tokenize

from .scoring import Document, idf, weighted_terms


@dataclass(frozen=True)
class TagTerms:
    """A site tag and the analysed terms of its name."""

    name: str
    normalized: str  # match-normalised name, as stored on NewsTag
    terms: tuple[str, ...]


@dataclass(frozen=True)
class Suggestion:
    name: str
    score: float
    existing: bool


def tag_terms(name: str) -> TagTerms:
    return TagTerms(name, normalize(name, "match"), tuple(dict.fromkeys(analyze(name))))


def _contains_phrase(haystack: str, phrase: str) -> bool:
    return bool(phrase) and f" {phrase} " in f" {haystack} "


def rank_tags(
    doc: Document,
    tags: Sequence[TagTerms],
    df: Mapping[str, int],
    documents: int,
    limit: int = 10,
) -> list[Suggestion]:
    """The site tags that best fit the draft ``doc``, best first."""
    tf = weighted_terms(doc)
    text = normalize(" ".join((doc.headline, doc.standfirst, doc.body)), "match")
    n = max(documents, 1)
    already = {normalize(t, "match") for t in doc.tags}
    scored = []
    for tag in tags:
        if not tag.terms or tag.normalized in already:
            continue
        present = [t for t in tag.terms if tf.get(t)]
        needed = len(tag.terms) if len(tag.terms) <= 2 else math.ceil(2 * len(tag.terms) / 3)
        if len(present) < needed:
            continue
        weight = sum((1 + math.log(tf[t])) * idf(df.get(t, 1), n) for t in present) / len(tag.terms)
        if _contains_phrase(text, tag.normalized):
            weight *= 1.5
        scored.append(Suggestion(tag.name, round(weight, 4), True))
    scored.sort(key=lambda s: (-s.score, s.name))
    return scored[:limit]


# Cues that announce a person's name after a title («الرئيس الروسي فلاديمير بوتين»)
# or an organisation's («المتحدث باسم وزارة الخارجية»), as match-normalised words.
PERSON_CUES: tuple[tuple[str, ...], ...] = tuple(
    tuple(normalize(w, "match") for w in cue.split())
    for cue in (
        "رئيس وزراء",
        "رئيس الوزراء",
        "رئيسة وزراء",
        "الأمين العام",
        "الرئيس",
        "الرئيسة",
        "رئيس",
        "وزير",
        "وزيرة",
        "الملك",
        "الأمير",
        "زعيم",
        "السفير",
        "المستشارة",
        "المستشار",
    )
)
ORGANISATION_CUES: tuple[tuple[str, ...], ...] = tuple(
    tuple(normalize(w, "match") for w in cue.split())
    for cue in ("المتحدث باسم", "المتحدثة باسم", "الناطق باسم", "الناطقة باسم")
)
# Words that end a name: reporting verbs, days, time words (not stop words in the lexicon).
NAME_ENDERS = frozenset(
    normalize(w, "match")
    for w in """
    قال قالت أكد أكدت أعلن أعلنت أشار أشارت أضاف أضافت دعا دعت وصف وصفت يقول تقول
    صرح صرحت اعتبر اعتبرت كشف كشفت أوضح أوضحت حذر حذرت طالب طالبت رفض رفضت التقى
    يزور زار وصل وصلت يلتقي خلال اليوم أمس غدا الأحد الاثنين الثلاثاء الأربعاء الخميس
    الجمعة السبت الذي التي عن في على مع إلى من بعد قبل أن إن
    """.split()
)
MAX_NAME_WORDS = {
    "person": 2,
    "organisation": 3,
}  # a first and a last name; «وزارة الخارجية الروسية»
MAX_DESCRIPTORS = 3


def _is_name_word(norm: str, kind: str) -> bool:
    return (
        kind in {"arabic", "latin", "mixed"} and norm not in NAME_ENDERS and not is_stopword(norm)
    )


def key_phrases(
    text: str, vocabulary: Sequence[TagTerms] = (), limit: int = 10
) -> list[Suggestion]:
    """Names announced by news cues in ``text``, and site tags spelled out in it.

    After a person cue, words with the definite article (nationality, portfolio:
    «الأمريكي», «الخارجية», «للأمم المتحدة») are skipped and up to two name words are
    taken; after an organisation cue up to three words are taken as they come. A name stops at
    punctuation, a stop word, a reporting verb or a day. Ranked by frequency, then
    by first appearance.
    """
    tokens = tokenize(text)
    norms = [normalize(t.text, "match") for t in tokens]
    # A boundary before token k: anything but spaces between it and the previous token.
    boundary = [True] + [
        bool(text[tokens[k - 1].end : tokens[k].start].strip()) for k in range(1, len(tokens))
    ]
    counts: Counter[str] = Counter()
    surface: dict[str, str] = {}
    first: dict[str, int] = {}

    def add(start: int, end: int, at: int) -> None:
        name = normalize(text[tokens[start].start : tokens[end - 1].end], "display")
        key = normalize(name, "match")
        counts[key] += 1
        surface.setdefault(key, name)
        first.setdefault(key, at)

    k = 0
    while k < len(tokens):
        matched = None
        for cues, kind in ((ORGANISATION_CUES, "organisation"), (PERSON_CUES, "person")):
            for cue in cues:
                end = k + len(cue)
                if tuple(norms[k:end]) == cue and not any(boundary[k + 1 : end]):
                    matched = (end, kind)
                    break
            if matched:
                break
        if not matched:
            k += 1
            continue
        j, kind = matched
        if kind == "person":
            skipped = 0
            while (
                j < len(tokens)
                and skipped < MAX_DESCRIPTORS
                and not boundary[j]
                and norms[j].startswith(("ال", "لل"))  # «الأمريكي», «للأمم»
                and _is_name_word(norms[j], tokens[j].kind)
            ):
                j, skipped = j + 1, skipped + 1
        start = j
        while (
            j < len(tokens)
            and j - start < MAX_NAME_WORDS[kind]
            and not boundary[j]
            and _is_name_word(norms[j], tokens[j].kind)
            # A name word after the first may carry «ال» (بشار الأسد), the first may not
            # for a person: «الرئيس الجديد» is a title, not a name.
            and (kind == "organisation" or j > start or not norms[j].startswith("ال"))
        ):
            j += 1
        if j > start:
            add(start, j, k)
        k = max(j, k + 1)

    for tag in vocabulary:
        if len(tag.normalized.split()) > 1 and _contains_phrase(" ".join(norms), tag.normalized):
            counts[tag.normalized] += 1
            surface.setdefault(tag.normalized, tag.name)
            first.setdefault(tag.normalized, len(tokens))
    # A name announced once is often repeated bare later («… قال بوتين»): count every mention.
    joined = f" {' '.join(norms)} "
    for key in counts:
        counts[key] = max(counts[key], joined.count(f" {key} "))
    known = {t.normalized for t in vocabulary}
    ranked = sorted(counts, key=lambda key: (-counts[key], first[key]))
    return [Suggestion(surface[key], float(counts[key]), key in known) for key in ranked[:limit]]
