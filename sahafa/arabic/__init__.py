"""Plain-Python Arabic text toolkit: normalisation, tokenising, stemming, dates, slugs.

Pure functions with no Django (or other Sahafa) imports, so search, related topics
and importers can share one definition of "the same word" and test it without a
database.  See each submodule for the design notes.
"""

from . import stem as _stem_module
from .analyze import analyze, analyze_with_offsets
from .dates import format_date, relative_time
from .lexicon import STOP_WORDS, is_stopword
from .normalize import MATCH_RULES, RULES, Rule, normalize, to_arabic_digits, to_western_digits
from .segment import segment_headlines, sentences
from .slug import reading_time, slugify, transliterate, unique_slug
from .stem import (
    add_protected_words,
    clear_protected_words,
    get_default_stemmer,
    protected_words,
    reset_protected_words,
    set_default_stemmer,
    stem,
)
from .tokenize import Token, tokenize

__all__ = [
    "DEFAULT_STEMMER",
    "MATCH_RULES",
    "RULES",
    "STOP_WORDS",
    "Rule",
    "Token",
    "add_protected_words",
    "analyze",
    "analyze_with_offsets",
    "clear_protected_words",
    "format_date",
    "get_default_stemmer",
    "is_stopword",
    "normalize",
    "protected_words",
    "reading_time",
    "relative_time",
    "reset_protected_words",
    "segment_headlines",
    "sentences",
    "set_default_stemmer",
    "slugify",
    "stem",
    "to_arabic_digits",
    "to_western_digits",
    "tokenize",
    "transliterate",
    "unique_slug",
]


def __getattr__(name: str) -> str:
    # DEFAULT_STEMMER lives in sahafa.arabic.stem and can change at run time
    # (set_default_stemmer); reading it here always gives the current value.
    if name == "DEFAULT_STEMMER":
        return _stem_module.DEFAULT_STEMMER
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
