"""Tokenisation with offsets into the original (un-normalised) text.

One token grammar is used twice: :data:`TOKEN_RE` runs over raw text (so diacritics,
tatweel and invisible joiners inside a word stay part of the word and offsets point
into what the editor typed), and :data:`MATCH_TOKEN_RE` is the same grammar for
match-normalised text, where those marks are already gone, so the fast analysis
pipeline can use a plain ``findall``.

Grammar: a token is a run of letters/digits.  Inside a token, ``.``/``,`` (and the
Arabic decimal/thousands separators) join digits (``3.5``, ``1,000``), an apostrophe
joins two letters (``O'Brien``), and a hyphen joins Latin letters/digits
(``COVID-19``, ``F-16``).  A hyphen between Arabic words splits them («مصرية-قطرية»
is two search terms).  Underscore is a separator.
"""

from __future__ import annotations

import re
from typing import NamedTuple

__all__ = ["MATCH_TOKEN_RE", "TOKEN_RE", "Token", "token_kind", "tokenize"]


class Token(NamedTuple):
    """A token: surface ``text`` and its ``start``/``end`` offsets in the input."""

    text: str
    start: int
    end: int
    kind: str  # "arabic" | "latin" | "number" | "mixed"


# Marks that belong to the surrounding word but are not \w: harakat, Quranic marks,
# dagger alef, ZWNJ/ZWJ/ZWSP, word joiner, soft hyphen, bidi marks and BOM.
_MARKS = (
    r"\u0610-\u061A\u064B-\u065F\u0670\u06D6-\u06ED\u08D3-\u08FF"
    r"\u200B-\u200F\u202A-\u202E\u2060\u2066-\u2069\u061C\u00AD\uFEFF"
)
_LATIN_OR_DIGIT = r"0-9A-Za-z\u00C0-\u024F\u1E00-\u1EFF\u0660-\u0669\u06F0-\u06F9"


def _grammar(marks: str, number_seps: str, apostrophes: str) -> str:
    char = rf"[^\W_][{marks}]*" if marks else r"[^\W_]"
    run = rf"(?:{char})+"
    join = (
        rf"(?:(?<=\d)[{number_seps}](?=\d)"
        rf"|(?<=[^\W\d_])[{apostrophes}](?=[^\W\d_])"
        rf"|(?<=[{_LATIN_OR_DIGIT}])-(?=[{_LATIN_OR_DIGIT}]))"
    )
    return rf"{run}(?:{join}{run})*"


TOKEN_RE = re.compile(_grammar(_MARKS, r".,\u066B\u066C", r"'\u2019"))
#: The same grammar over match-normalised text (marks removed, separators folded).
MATCH_TOKEN_RE = re.compile(_grammar("", ".,", "'"))

_ARABIC_LETTER = re.compile(
    r"[\u0620-\u064A\u0640\u066E-\u06D3\u06D5\u06EE\u06EF\u06FA-\u06FF\u0750-\u077F\u08A0-\u08C9\uFB50-\uFDFF\uFE70-\uFEFC]"
)
_OTHER_LETTER = re.compile(
    r"[^\W\d_\u0620-\u064A\u0640\u066E-\u06D3\u06D5\u06EE\u06EF\u06FA-\u06FF\u0750-\u077F\u08A0-\u08C9\uFB50-\uFDFF\uFE70-\uFEFC]"
)
_DIGIT = re.compile(r"\d")


def token_kind(text: str) -> str:
    """Classify a token as "arabic", "latin", "number" or "mixed".

    "latin" covers any non-Arabic letters; "mixed" is Arabic with other letters, or
    letters with digits (e.g. «كوفيد19», "F-16").
    """
    has_ar = _ARABIC_LETTER.search(text) is not None
    has_other = _OTHER_LETTER.search(text) is not None
    has_digit = _DIGIT.search(text) is not None
    if has_digit and not has_ar and not has_other:
        return "number"
    if has_ar and not has_other and not has_digit:
        return "arabic"
    if has_other and not has_ar and not has_digit:
        return "latin"
    return "mixed"


def tokenize(text: str) -> list[Token]:
    """Split ``text`` into :class:`Token` objects with offsets into ``text`` itself.

    Diacritics, tatweel and invisible joiners inside a word stay in the token, so
    ``text[t.start:t.end] == t.text`` always holds and can be used for highlighting.
    """
    return [
        Token(m.group(), m.start(), m.end(), token_kind(m.group())) for m in TOKEN_RE.finditer(text)
    ]
