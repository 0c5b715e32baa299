"""Arabic text normalisation driven by one table of rules.

Every rule is a row of :data:`RULES` (a name, a description, the level it belongs
to and a character mapping).  The rows are compiled once, at import time, into two
``str.translate`` tables so that normalising a whole article is a single C-level
pass plus one whitespace-collapsing regex.  Tests iterate over the rows, so a rule
added here is tested without writing a new test.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from typing import NamedTuple

__all__ = [
    "DISPLAY_RULES",
    "LEVELS",
    "MATCH_RULES",
    "RULES",
    "Rule",
    "normalize",
    "to_arabic_digits",
    "to_western_digits",
]

TranslateMap = dict[int, str | None]


class Rule(NamedTuple):
    """One normalisation rule: a row of the :data:`RULES` table."""

    name: str
    description: str
    level: str  # "display" rules also run at "match" level
    mapping: Mapping[int, str | None]


def _delete(chars: Iterable[int]) -> TranslateMap:
    return dict.fromkeys(chars)


def _map(pairs: Mapping[str, str]) -> TranslateMap:
    return {ord(src): dst for src, dst in pairs.items()}


def _presentation_forms() -> TranslateMap:
    # Only the Arabic presentation-form blocks are NFKC-folded: applying NFKC to
    # the whole text would also recompose letters + combining hamza/madda and
    # rewrite unrelated compatibility characters (superscripts, fractions, ...)
    # that editors typed on purpose.
    table: TranslateMap = {}
    for cp in (*range(0xFB50, 0xFE00), *range(0xFE70, 0xFEFF)):
        ch = chr(cp)
        folded = unicodedata.normalize("NFKC", ch)
        if folded != ch:
            table[cp] = folded
    return table


def _latin_casefold() -> TranslateMap:
    table: TranslateMap = {}
    # Basic Latin, Latin-1, Latin Extended-A/B, Latin Extended Additional.
    for cp in (*range(0x41, 0x250), *range(0x1E00, 0x1F00)):
        ch = chr(cp)
        if not ch.isalpha():
            continue
        folded = ch.casefold()
        if folded != ch:
            table[cp] = folded
    return table


_SPACES = (
    0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x1C, 0x1D, 0x1E, 0x1F, 0x85, 0xA0, 0x1680,
    *range(0x2000, 0x200B), 0x2028, 0x2029, 0x202F, 0x205F, 0x3000,
)  # fmt: skip

_DIACRITICS = (
    *range(0x0610, 0x061B),  # Quranic honorifics and small signs
    *range(0x064B, 0x0660),  # tanween, harakat, shadda, sukun, hamza/madda marks
    0x0670,  # superscript (dagger) alef
    *range(0x06D6, 0x06EE),  # Quranic annotation signs
    *range(0x08D3, 0x0900),  # Arabic Extended-A combining marks
)

RULES: tuple[Rule, ...] = (
    Rule(
        "presentation_forms",
        "NFKC-fold Arabic presentation forms (U+FB50-FDFF, U+FE70-FEFE) only",
        "display",
        _presentation_forms(),
    ),
    Rule("tatweel", "remove tatweel (kashida) U+0640", "display", _delete([0x0640])),
    Rule(
        "zero_width",
        "remove ZWSP, ZWNJ, ZWJ, word joiner, BOM, soft hyphen, Mongolian vowel sep.",
        "display",
        _delete([0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, 0x00AD, 0x180E]),
    ),
    Rule(
        "bidi_controls",
        "remove LRM RLM ALM and embedding/override/isolate controls",
        "display",
        _delete([0x200E, 0x200F, 0x061C, *range(0x202A, 0x202F), *range(0x2066, 0x206A)]),
    ),
    Rule(
        "whitespace",
        "every Unicode space/line break becomes U+0020; runs are then collapsed and "
        "the text trimmed (a post-step, not a mapping)",
        "display",
        dict.fromkeys(_SPACES, " "),
    ),
    Rule("diacritics", "remove tashkeel and Quranic marks", "match", _delete(_DIACRITICS)),
    Rule(
        "alef_variants",
        "أ إ آ ٱ ٲ ٳ → ا",
        "match",
        _map({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "\u0672": "ا", "\u0673": "ا"}),
    ),
    Rule("alef_maqsura", "ى → ي", "match", _map({"ى": "ي"})),
    Rule("taa_marbuta", "ة → ه", "match", _map({"ة": "ه"})),
    Rule("waw_hamza", "ؤ → و", "match", _map({"ؤ": "و"})),
    Rule("yeh_hamza", "ئ → ي", "match", _map({"ئ": "ي"})),
    Rule(
        "persian_letters",
        "Persian keheh and farsi yeh (common in pasted text) → ك ي",
        "match",
        _map({"ک": "ك", "ی": "ي", "ې": "ي", "ۍ": "ي"}),
    ),
    Rule(
        "digits",
        "Arabic-Indic and Persian digits → ASCII",
        "match",
        {
            **{0x0660 + i: str(i) for i in range(10)},
            **{0x06F0 + i: str(i) for i in range(10)},
        },
    ),
    Rule(
        "punctuation",
        "، ؛ ؟ ٪ ٫ ٬ → , ; ? % . ,",
        "match",
        _map({"،": ",", "؛": ";", "؟": "?", "٪": "%", "٫": ".", "٬": ","}),
    ),
    Rule(
        "double_quotes",
        '« » “ ” „ ‟ ″ ‹ › → "',
        "match",
        _map(dict.fromkeys("«»“”„‟″‹›", '"')),
    ),
    Rule("single_quotes", "‘ ’ ‚ ‛ ′ → '", "match", _map(dict.fromkeys("‘’‚‛′", "'"))),
    Rule("latin_case", "casefold Latin letters", "match", _latin_casefold()),
)

LEVELS = ("display", "match")
DISPLAY_RULES: tuple[Rule, ...] = tuple(r for r in RULES if r.level == "display")
MATCH_RULES: tuple[Rule, ...] = tuple(r for r in RULES if r.level == "match")


def _compile(rules: Iterable[Rule]) -> TranslateMap:
    """Merge rule rows into one ``str.translate`` table, closed under itself.

    Closure matters for idempotence: a presentation form can fold to text that
    another rule rewrites (U+FCF2 folds to tatweel + shadda + fatha), so every
    replacement is translated again until it no longer changes.
    """
    table: TranslateMap = {}
    for rule in rules:
        table.update(rule.mapping)
    for cp, value in table.items():
        while value:
            again = value.translate(table)
            if again == value:
                break
            value = again
        table[cp] = value or None  # "" and None both mean delete
    return table


#: Compiled ``str.translate`` tables.  MATCH_TABLE already includes the display rules.
DISPLAY_TABLE: TranslateMap = _compile(DISPLAY_RULES)
MATCH_TABLE: TranslateMap = _compile(RULES)

_MULTI_SPACE = re.compile(" {2,}")

_TO_ARABIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
_TO_WESTERN: TranslateMap = {
    **{0x0660 + i: str(i) for i in range(10)},
    **{0x06F0 + i: str(i) for i in range(10)},
}


def normalize(text: str, level: str = "display") -> str:
    """Normalise Arabic ``text`` at ``level`` "display" or "match".

    "display" keeps the text as readers should see it (presentation forms folded,
    tatweel, zero-width and bidi controls removed, whitespace unified and trimmed).
    "match" additionally folds everything that should not distinguish two search
    terms: diacritics, hamza/alef/yeh/taa-marbuta variants, digits, punctuation,
    quote styles and Latin case.  Never raises for any ``str`` (lone surrogates
    included) and is idempotent.
    """
    if level == "match":
        out = text.translate(MATCH_TABLE)
    elif level == "display":
        out = text.translate(DISPLAY_TABLE)
    else:
        raise ValueError(f"unknown normalisation level {level!r}; use one of {LEVELS}")
    if "  " in out:
        out = _MULTI_SPACE.sub(" ", out)
    return out.strip(" ")


def to_arabic_digits(s: str) -> str:
    """Replace ASCII digits (and Persian digits) in ``s`` by Arabic-Indic digits."""
    return s.translate(_TO_WESTERN).translate(_TO_ARABIC)


def to_western_digits(s: str) -> str:
    """Replace Arabic-Indic and Persian digits in ``s`` by ASCII digits."""
    return s.translate(_TO_WESTERN)
