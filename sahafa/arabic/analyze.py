"""The matching pipeline used by search indexing and related topics."""

from __future__ import annotations

from .lexicon import STOP_WORDS
from .normalize import MATCH_TABLE, normalize
from .stem import cached_stemmer
from .tokenize import MATCH_TOKEN_RE, tokenize

__all__ = ["analyze", "analyze_with_offsets"]

_findall = MATCH_TOKEN_RE.findall


def analyze(text: str, *, stop: bool = True, algorithm: str | None = None) -> list[str]:
    """Return the search terms of ``text``: match-normalise, tokenise, stem, drop stop words.

    This is the hot path of indexing: one ``str.translate`` over the whole text, one
    regex ``findall`` and a dict lookup per token (stems are cached per word form).
    Stop words are tested on the normalised token before stemming.
    """
    # Whitespace is not collapsed here: the tokenizer ignores it anyway.
    tokens = _findall(text.translate(MATCH_TABLE))
    stem = cached_stemmer(algorithm)
    if stop:
        return [stem(t) for t in tokens if t not in STOP_WORDS]
    return [stem(t) for t in tokens]


def analyze_with_offsets(
    text: str, *, stop: bool = True, algorithm: str | None = None
) -> list[tuple[str, int, int]]:
    """Like :func:`analyze` but each term comes with ``(start, end)`` in ``text``.

    Offsets are those of the surface token (diacritics included), for highlighting.
    A surface token that normalises to several terms (a presentation-form ligature
    such as ﷺ) yields each term with the same offsets.
    """
    stem = cached_stemmer(algorithm)
    out: list[tuple[str, int, int]] = []
    for token in tokenize(text):
        for term in _findall(normalize(token.text, "match")):
            if stop and term in STOP_WORDS:
                continue
            out.append((stem(term), token.start, token.end))
    return out
