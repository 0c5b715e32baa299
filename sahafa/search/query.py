"""Query building: from what a reader typed to a safe engine expression.

Plain typed functions with no Django in them, tested without a database.  The
pipeline is::

    raw text --parse_query--> clauses --analyse_query--> AnalysedQuery
             --fts5_match / tsquery--> a MATCH string or a tsquery literal

Everything a reader types is treated as words: engine syntax characters (``* ( )
: ^ NEAR``), SQL fragments and control characters never reach an engine, because
each index term is emitted quoted.  The only syntax readers get is ours:
``"an exact phrase"`` and ``-word`` / ``-"a phrase"`` to exclude.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sahafa.arabic import STOP_WORDS, analyze, normalize, protected_words, stem
from sahafa.arabic.tokenize import MATCH_TOKEN_RE

__all__ = [
    "MAX_QUERY_CHARS",
    "MAX_QUERY_TERMS",
    "AnalysedQuery",
    "Clause",
    "Term",
    "analyse_query",
    "filter_date_usable",
    "fold_terms",
    "fts5_match",
    "index_terms",
    "parse_query",
    "tsquery",
    "tsvector_literal",
]

#: Longer queries are cut here (the header form already stops at 200 characters).
MAX_QUERY_CHARS = 256
#: At most this many words (and phrases) are used; the rest are ignored.
MAX_QUERY_TERMS = 12
#: Dates a reader may filter by. Python's dates end at 9999-12-31, and the backends
#: add a day to an inclusive end and shift by the time zone, so the bounds keep a year
#: clear of both ends; no article lies outside them.
MIN_FILTER_DATE = date(1000, 1, 1)
MAX_FILTER_DATE = date(9998, 12, 31)

# Quote marks readers type for a phrase: ASCII, guillemets and curly quotes.
_QUOTES = str.maketrans({"«": '"', "»": '"', "“": '"', "”": '"', "„": '"', "″": '"'})
# C0/C1 controls become spaces so that they cannot glue or split words unexpectedly.
_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_CLAUSE_RE = re.compile(r'(-?)"([^"]*)"?|(-?)([^\s"]+)')
# Single-letter clitics (and/so/with/for/like) that the stemmer keeps on short words
# on purpose; a query word starting with one also tries the word without it.
_CLITIC_LETTERS = frozenset("وفبلك")
_CLITIC_PAIRS = ("وب", "ول", "وك", "فب", "فل", "فك")


@dataclass(frozen=True)
class Clause:
    """One piece of a parsed query: a word or a quoted phrase, maybe excluded."""

    text: str
    phrase: bool = False
    exclude: bool = False


@dataclass(frozen=True)
class Term:
    """One query word as index terms: a document matches if it has any alternative."""

    alternatives: tuple[str, ...]


@dataclass(frozen=True)
class AnalysedQuery:
    """A query ready for an engine: all ``required`` terms and ``phrases`` must match,
    no ``excluded`` term may.  ``is_empty`` means nothing positive is left to search for
    (an empty query, only stop words, only punctuation, or only exclusions)."""

    required: tuple[Term, ...] = ()
    phrases: tuple[tuple[str, ...], ...] = ()
    excluded: tuple[Term, ...] = ()
    excluded_phrases: tuple[tuple[str, ...], ...] = ()
    text: str = ""
    #: Match documents with ANY required term instead of all (the fallback when
    #: requiring all of them found nothing).
    any_term: bool = False

    @property
    def is_empty(self) -> bool:
        return not (self.required or self.phrases)

    def highlight_terms(self) -> frozenset[str]:
        """Index terms whose occurrences a snippet should mark."""
        terms = {a for t in self.required for a in t.alternatives}
        terms.update(t for p in self.phrases for t in p)
        return frozenset(terms)


def clean_query(raw: str | None) -> str:
    """Cap the length, turn control characters into spaces and unify quote marks."""
    if not raw:
        return ""
    text = _CONTROLS.sub(" ", str(raw)[:MAX_QUERY_CHARS]).translate(_QUOTES)
    # Lone surrogates (possible in a str built from bad input) cannot be encoded for
    # a database driver; drop them here rather than fail later.
    text = text.encode("utf-8", "ignore").decode("utf-8")
    return " ".join(text.split())


def filter_date_usable(value: date) -> bool:
    """Whether a from/to date can be searched by (see ``MIN_FILTER_DATE``)."""
    return MIN_FILTER_DATE <= value <= MAX_FILTER_DATE


def parse_query(raw: str | None) -> list[Clause]:
    """Split a query into words and ``"phrases"``; a leading ``-`` excludes.

    An unclosed quote runs to the end of the query.  A lone ``-`` is ignored.
    """
    clauses: list[Clause] = []
    for m in _CLAUSE_RE.finditer(clean_query(raw)):
        if m.group(2) is not None:
            text = m.group(2).strip()
            if text:
                clauses.append(Clause(text, phrase=True, exclude=bool(m.group(1))))
        else:
            word = m.group(4)
            exclude = bool(m.group(3))
            if word.strip("-"):
                clauses.append(Clause(word.lstrip("-") if exclude else word, exclude=exclude))
    return clauses


def fold_terms(terms: Iterable[str], names: frozenset[str] | None = None) -> list[str]:
    """Fold protected place names onto the stem of their adjective.

    The toolkit keeps «روسيا» whole (a protected name) while «الروسية» stems to «روس»;
    a reader searching «مفاوضات روسيا» must still find «المفاوضات الروسية».  So a
    protected name ending in «يا» or «ا» is indexed and searched without that ending
    (روسيا→روس، سوريا→سور، أمريكا→امريك، فرنسا→فرنس).  Applied identically at
    index and query time, so it can only merge, never lose, matches.
    """
    names = protected_words() if names is None else names
    out = []
    for t in terms:
        if t in names:
            if t.endswith("يا") and len(t) >= 5:
                t = t[:-2]
            elif t.endswith("ا") and len(t) >= 4:
                t = t[:-1]
        out.append(t)
    return out


def index_terms(text: str, names: frozenset[str] | None = None) -> list[str]:
    """The terms a field is indexed under: the toolkit's analyse, then :func:`fold_terms`."""
    return fold_terms(analyze(text), names)


def _word_alternatives(token: str, names: frozenset[str]) -> tuple[str, ...]:
    """Index terms one normalised query token may appear as (empty for a stop word)."""
    if token in STOP_WORDS:
        return ()
    forms = [token]
    if "\u0620" <= token[0] <= "\u06ff":
        # «لمفاوضات»، «بمفاوضات»: the stemmer keeps a single ب/ل/ك (too many roots
        # start with them), so the query also tries the word without the clitic.
        if token[:2] in _CLITIC_PAIRS and len(token) - 2 >= 3:
            forms.append(token[2:])
        if token[0] in _CLITIC_LETTERS and len(token) - 1 >= 3:
            forms.append(token[1:])
    alternatives: list[str] = []
    for form in forms:
        if form in STOP_WORDS:
            continue
        (term,) = fold_terms([stem(form)], names)
        if term not in alternatives:
            alternatives.append(term)
    return tuple(alternatives)


def _tokens(text: str) -> list[str]:
    return MATCH_TOKEN_RE.findall(normalize(text, "match"))


def analyse_query(raw: str | None) -> AnalysedQuery:
    """Parse and analyse ``raw`` with the same pipeline the index uses."""
    names = protected_words()
    required: list[Term] = []
    phrases: list[tuple[str, ...]] = []
    excluded: list[Term] = []
    excluded_phrases: list[tuple[str, ...]] = []
    for clause in parse_query(raw):
        if clause.phrase:
            terms = tuple(index_terms(clause.text, names))
            if len(terms) > 1:
                (excluded_phrases if clause.exclude else phrases).append(terms)
            elif terms:
                (excluded if clause.exclude else required).append(Term(terms))
            continue
        target = excluded if clause.exclude else required
        for token in _tokens(clause.text):
            alternatives = _word_alternatives(token, names)
            if clause.exclude:
                # Excluding is literal: «-لبنان» must not also exclude «بنان».
                alternatives = alternatives[:1]
            if alternatives and Term(alternatives) not in target:
                target.append(Term(alternatives))
    budget = MAX_QUERY_TERMS
    phrases = phrases[:budget]
    required = required[: max(budget - len(phrases), 0)]
    excluded = excluded[:MAX_QUERY_TERMS]
    return AnalysedQuery(
        required=tuple(required),
        phrases=tuple(phrases),
        excluded=tuple(excluded),
        excluded_phrases=tuple(excluded_phrases[:MAX_QUERY_TERMS]),
        text=clean_query(raw),
    )


# --- SQLite FTS5 -------------------------------------------------------------------


def _fts5_string(term: str) -> str:
    # A double-quoted FTS5 string is always a phrase of plain tokens: operators,
    # column filters and ``*`` inside it are just text.
    return '"' + term.replace('"', '""') + '"'


def _fts5_any(term: Term) -> str:
    parts = [_fts5_string(a) for a in term.alternatives]
    return parts[0] if len(parts) == 1 else "(" + " OR ".join(parts) + ")"


def fts5_match(
    query: AnalysedQuery,
    columns: Iterable[str],
    *,
    facets_column: str | None = None,
    facets: Iterable[str] = (),
) -> str:
    """An FTS5 MATCH expression for ``query`` over ``columns``.

    ``facets`` are filter tokens (``s12``, ``a3``, ``t7``) that must appear in
    ``facets_column``.  ``query`` must not be empty.
    """
    if query.is_empty:
        raise ValueError("an empty query has no MATCH expression")
    cols = "{" + " ".join(columns) + "}"
    positive = [_fts5_any(t) for t in query.required]
    positive += [_fts5_string(" ".join(p)) for p in query.phrases]
    expr = f"{cols} : ({(' OR ' if query.any_term else ' AND ').join(positive)})"
    facet_list = list(facets)
    if facet_list:
        if facets_column is None:
            raise ValueError("facets need a facets_column")
        expr += " AND " + " AND ".join(
            f"{{{facets_column}}} : {_fts5_string(f)}" for f in facet_list
        )
    negative = [_fts5_any(t) for t in query.excluded]
    negative += [_fts5_string(" ".join(p)) for p in query.excluded_phrases]
    if negative:
        expr += f" NOT {cols} : ({' OR '.join(negative)})"
    return expr


# --- PostgreSQL tsquery / tsvector literals -------------------------------------------


def _ts_lexeme(term: str) -> str:
    # Quoted lexeme syntax of tsvector/tsquery input: '' and \\ escape.
    return "'" + term.replace("\\", "\\\\").replace("'", "''") + "'"


def _ts_any(term: Term) -> str:
    parts = [_ts_lexeme(a) for a in term.alternatives]
    return parts[0] if len(parts) == 1 else "(" + " | ".join(parts) + ")"


def tsquery(query: AnalysedQuery) -> str:
    """A tsquery literal (for ``%s::tsquery``) for ``query``; never parsed by a text
    search configuration, so the terms are matched exactly as the index stores them."""
    if query.is_empty:
        raise ValueError("an empty query has no tsquery")
    positive = [_ts_any(t) for t in query.required]
    positive += ["(" + " <-> ".join(_ts_lexeme(t) for t in p) + ")" for p in query.phrases]
    expr = (" | " if query.any_term else " & ").join(positive)
    if query.any_term and len(positive) > 1:
        expr = f"({expr})"
    negative = [_ts_any(t) for t in query.excluded]
    negative += ["(" + " <-> ".join(_ts_lexeme(t) for t in p) + ")" for p in query.excluded_phrases]
    if negative:
        expr += " & !(" + " | ".join(negative) + ")"
    return expr


#: tsvector positions stop at 16383; later terms share the last position.
_MAX_POSITION = 16383


def tsvector_literal(fields: Iterable[tuple[list[str], str]]) -> str:
    """A tsvector literal from ``(terms, weight)`` pairs, positions running on across fields.

    Built by hand (not with ``to_tsvector``) so PostgreSQL stores exactly the terms of
    :func:`index_terms`, which the query side also produces.
    """
    positions: dict[str, list[str]] = {}
    pos = 0
    for terms, weight in fields:
        for term in terms:
            pos = min(pos + 1, _MAX_POSITION)
            entries = positions.setdefault(term, [])
            if len(entries) < 256:  # PostgreSQL keeps at most 256 positions per lexeme
                entries.append(f"{pos}{weight}")
        pos = min(pos + 1, _MAX_POSITION)  # a gap: phrases never span two fields
    return " ".join(f"{_ts_lexeme(t)}:{','.join(p)}" for t, p in positions.items())
