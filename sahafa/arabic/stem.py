"""Stemming: a hand-written light stemmer and PyStemmer's Snowball Arabic stemmer.

Both run behind :func:`stem`.  Input is match-normalised first, so the rule tables
below are written in match-level spelling (ة is ه, ى is ي, no hamza on alef).

The light stemmer follows Larkey's "light10" design: strip at most one block of
clitic prefixes, then strip suffixes from a fixed list in order, each only when at
least :data:`MIN_STEM` letters remain.  It does not try to find roots; it only
removes the affixes that keep news words from matching each other.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import NamedTuple

from .lexicon import DEFAULT_PROTECTED_WORDS
from .normalize import MATCH_TABLE, normalize

__all__ = [
    "ALGORITHMS",
    "MIN_STEM",
    "PREFIX_RULES",
    "SUFFIX_RULES",
    "AffixRule",
    "add_protected_words",
    "clear_protected_words",
    "get_default_stemmer",
    "light_stem",
    "protected_words",
    "set_default_stemmer",
    "stem",
]

#: Shortest stem (in letters) the light stemmer will leave behind.
MIN_STEM = 3


class AffixRule(NamedTuple):
    """A prefix or suffix the light stemmer strips (one row of a rule table).

    ``min_rest`` is the number of letters that must remain after stripping.
    """

    affix: str
    description: str
    min_rest: int = MIN_STEM


# Longest first: the first matching prefix wins.  Single ب ك ل are deliberately
# absent: too many roots start with them (بطولة، كتاب، لقاء) and a light stemmer
# has no lexicon to tell; they are only stripped as part of a longer clitic.
PREFIX_RULES: tuple[AffixRule, ...] = (
    AffixRule("وبال", "and + with + the"),
    AffixRule("وكال", "and + like + the"),
    AffixRule("وفال", "and + so + the"),
    AffixRule("فبال", "so + with + the"),
    AffixRule("فكال", "so + like + the"),
    AffixRule("وسي", "and + future + imperfect (وسيعلن)"),
    AffixRule("فسي", "so + future + imperfect"),
    AffixRule("ولل", "and + for the"),
    AffixRule("فلل", "so + for the"),
    AffixRule("وال", "and + the"),
    AffixRule("فال", "so + the"),
    AffixRule("بال", "with + the"),
    AffixRule("كال", "like + the"),
    AffixRule("لل", "for + the (lam + definite article)"),
    AffixRule("ال", "definite article"),
    AffixRule("وب", "and + with", 4),
    AffixRule("وك", "and + like", 4),
    AffixRule("فب", "so + with", 4),
    AffixRule("و", "and (only before 4+ letters: وزير stays)", 4),
    AffixRule("ف", "so / then (only before 4+ letters: فريق stays)", 4),
)

# Applied in order, each at most once (so "مفاوضاتها" → "مفاوضات" → "مفاوض").
SUFFIX_RULES: tuple[AffixRule, ...] = (
    AffixRule("كما", "your (dual)"),
    AffixRule("هما", "their (dual)"),
    AffixRule("تان", "dual feminine nominative"),
    AffixRule("تين", "dual feminine oblique"),
    AffixRule("ها", "her / its"),
    AffixRule("هم", "their (m.)"),
    AffixRule("هن", "their (f.)"),
    AffixRule("كم", "your (pl.)"),
    AffixRule("نا", "our / we"),
    AffixRule("تم", "you (pl.) past"),
    AffixRule("وا", "they past"),
    AffixRule("ان", "dual nominative"),
    AffixRule("ات", "sound feminine plural"),
    AffixRule("ون", "sound masculine plural nominative"),
    AffixRule("ين", "sound masculine plural / dual oblique"),
    AffixRule("يه", "nisba feminine (ية)"),
    AffixRule("ه", "taa marbuta (ة) or his"),
    AffixRule("ي", "nisba / my"),
)

ALGORITHMS = ("light", "snowball")
DEFAULT_STEMMER = "light"

_protected: set[str] = set(DEFAULT_PROTECTED_WORDS)
_caches: dict[str, dict[str, str]] = {name: {} for name in ALGORITHMS}
# The caches hold one entry per distinct word form; news vocabularies plateau well
# under this, and clearing is cheaper than LRU bookkeeping on every call.
_CACHE_LIMIT = 500_000
_snowball: Callable[[str], str] | None = None


def _is_arabic_word(word: str) -> bool:
    return "\u0620" <= word[0] <= "\u06ff"


# Clitics tried when looking a word up in the protected list, shortest first (so the
# longest remaining form wins).  Unlike the stemmer, single ب ك ل are safe here:
# the remainder must be a known name.
_PROTECTED_PREFIXES = sorted(
    {r.affix for r in PREFIX_RULES} | {"ب", "ك", "ل", "ول", "فل", "لل"} - {"وسي", "فسي"},
    key=len,
)


def _prefix_candidates(word: str) -> list[str]:
    """Word forms obtained by removing each applicable clitic prefix, longest form first."""
    out = [word]
    for p in _PROTECTED_PREFIXES:
        if word.startswith(p) and len(word) - len(p) >= 2:
            out.append(word[len(p) :])
    return out


def _strip_prefix(word: str) -> str:
    for affix, _description, min_rest in PREFIX_RULES:
        if word.startswith(affix) and len(word) - len(affix) >= min_rest:
            return word[len(affix) :]
    return word


def _strip_suffixes(word: str) -> str:
    for affix, _description, min_rest in SUFFIX_RULES:
        if word.endswith(affix) and len(word) - len(affix) >= min_rest:
            word = word[: -len(affix)]
    return word


# Nisba endings that turn a name into an adjective or demonym (فلسطيني، لبنانيون);
# removing them is how «الفلسطينية» still reaches the protected «فلسطين».
_NISBA_SUFFIXES = ("يون", "يين", "يات", "يه", "ي")


def _protected_form(word: str) -> str | None:
    candidates = _prefix_candidates(word)
    for candidate in candidates:
        if candidate in _protected:
            return candidate
    for candidate in candidates:
        for suffix in _NISBA_SUFFIXES:
            if candidate.endswith(suffix):
                base = candidate[: -len(suffix)]
                if base in _protected:
                    return base
    return None


def light_stem(word: str) -> str:
    """Light-stem one match-normalised word (no protection, no cache)."""
    if not word or not _is_arabic_word(word):
        return word
    return _strip_suffixes(_strip_prefix(word)) or word


def _snowball_stem(word: str) -> str:
    global _snowball
    if _snowball is None:
        import Stemmer  # PyStemmer; imported lazily so the light path has no C dep

        _snowball = Stemmer.Stemmer("arabic").stemWord
    if not _is_arabic_word(word):
        return word
    return _snowball(word) or word


_IMPLEMENTATIONS: dict[str, Callable[[str], str]] = {
    "light": light_stem,
    "snowball": _snowball_stem,
}


def _stem_normalized(word: str, algorithm: str) -> str:
    """Stem a match-normalised token; protected names only lose their clitics."""
    if not word:
        return word
    protected = _protected_form(word)
    if protected is not None:
        return protected
    return _IMPLEMENTATIONS[algorithm](word) or word


def cached_stemmer(algorithm: str | None = None) -> Callable[[str], str]:
    """Return a fast ``stem(normalised_token)`` function for ``algorithm``.

    Used by :func:`sahafa.arabic.analyze` so the per-token cost is one dict lookup.
    """
    name = _resolve(algorithm)
    cache = _caches[name]

    def cached(word: str) -> str:
        result = cache.get(word)
        if result is None:
            if len(cache) >= _CACHE_LIMIT:
                cache.clear()
            result = cache[word] = _stem_normalized(word, name)
        return result

    return cached


def _resolve(algorithm: str | None) -> str:
    name = DEFAULT_STEMMER if algorithm is None else algorithm
    if name not in _IMPLEMENTATIONS:
        raise ValueError(f"unknown stemmer {name!r}; use one of {ALGORITHMS}")
    return name


def stem(word: str, algorithm: str | None = None) -> str:
    """Return the stem of one token ``word`` using ``algorithm`` ("light"/"snowball").

    ``word`` is match-normalised first.  ``algorithm=None`` uses the module default
    (see :func:`set_default_stemmer`).  Protected proper nouns are returned with
    only their clitic prefixes removed.  Never returns "" for a non-empty word.
    """
    name = _resolve(algorithm)
    cache = _caches[name]
    result = cache.get(word)
    if result is None:
        normalized = word.translate(MATCH_TABLE).strip()
        result = _stem_normalized(normalized, name) or normalized or word
        if len(cache) >= _CACHE_LIMIT:
            cache.clear()
        cache[word] = result
    return result


def set_default_stemmer(name: str) -> None:
    """Make ``name`` ("light" or "snowball") the stemmer used when none is given."""
    global DEFAULT_STEMMER
    DEFAULT_STEMMER = _resolve(name)


def get_default_stemmer() -> str:
    """Return the name of the current default stemmer."""
    return DEFAULT_STEMMER


def _clear_caches() -> None:
    for cache in _caches.values():
        cache.clear()


def add_protected_words(words: Iterable[str]) -> None:
    """Protect ``words`` (any spelling) from stemming; clitic prefixes are still removed."""
    _protected.update(w for w in (normalize(w, "match") for w in words) if w)
    _clear_caches()


def clear_protected_words() -> None:
    """Remove every protected word, including the built-in list."""
    _protected.clear()
    _clear_caches()


def reset_protected_words() -> None:
    """Restore the built-in protected list (handy in tests)."""
    _protected.clear()
    _protected.update(DEFAULT_PROTECTED_WORDS)
    _clear_caches()


def protected_words() -> frozenset[str]:
    """Return the current protected words (match-normalised)."""
    return frozenset(_protected)
