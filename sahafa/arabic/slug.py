"""URL slugs, transliteration and reading time."""

from __future__ import annotations

import hashlib
import math
import re
import unicodedata
from collections.abc import Callable

from .normalize import DISPLAY_TABLE, MATCH_RULES, to_western_digits
from .tokenize import TOKEN_RE

__all__ = ["FALLBACK_SLUG", "reading_time", "slugify", "transliterate", "unique_slug"]

#: Prefix of the slug given to text with no usable characters («مقال» = article).
FALLBACK_SLUG = "maqal"


def _rule(name: str) -> dict[int, str | None]:
    return dict(next(r.mapping for r in MATCH_RULES if r.name == name))


def _latin_ascii() -> dict[int, str | None]:
    # é → e, ß → ss: strip accents so Latin slugs stay ASCII.
    table: dict[int, str | None] = {}
    for cp in range(0xC0, 0x250):
        ch = chr(cp)
        if not ch.isalpha():
            continue
        base = "".join(c for c in unicodedata.normalize("NFKD", ch.casefold()) if c.isascii())
        table[cp] = base or None
    return table


# Display-normalised text, then: no diacritics, western digits, lowercase ASCII Latin.
# Hamza forms, ة and ى are kept as written: slugs are read by people.
_SLUG_TABLE: dict[int, str | None] = {
    **DISPLAY_TABLE,
    **_rule("diacritics"),
    **_rule("digits"),
    **_latin_ascii(),
    **{cp: chr(cp + 32) for cp in range(0x41, 0x5B)},
}
_NOT_SLUG = re.compile(r"[^0-9a-z\u0621-\u063A\u0641-\u064A\u0671-\u06D3\u06D5]+")

_TRANSLIT = {
    "ا": "a", "أ": "a", "إ": "i", "آ": "aa", "ٱ": "a", "ء": "", "ؤ": "u", "ئ": "e",
    "ب": "b", "ت": "t", "ث": "th", "ج": "j", "ح": "h", "خ": "kh", "د": "d", "ذ": "dh",
    "ر": "r", "ز": "z", "س": "s", "ش": "sh", "ص": "s", "ض": "d", "ط": "t", "ظ": "z",
    "ع": "a", "غ": "gh", "ف": "f", "ق": "q", "ك": "k", "ل": "l", "م": "m", "ن": "n",
    "ه": "h", "ة": "a", "ى": "a", "پ": "p", "چ": "ch", "گ": "g", "ڤ": "v", "ک": "k",
    "ی": "y",
}  # fmt: skip
_ARABIC_RUN = re.compile(r"[\u0621-\u064A\u0671-\u06D3]+")


def _translit_word(word: str) -> str:
    out: list[str] = []
    if word.startswith("ال") and len(word) > 3:
        out.append("al-")
        word = word[2:]
    prev = ""
    for i, ch in enumerate(word):
        if ch in "وي":
            # Word-initial or after a vowel letter it is a consonant (w/y); elsewhere
            # it is most often a long vowel (u/i): «موسكو» → "musku".
            consonant = (
                i == 0 or prev in "اآأإىو" or (ch == "ي" and i == len(word) - 1 and prev == "ا")
            )
            out.append(("w" if ch == "و" else "y") if consonant else ("u" if ch == "و" else "i"))
        else:
            out.append(_TRANSLIT.get(ch, ch))
        prev = ch
    return "".join(out)


def transliterate(text: str) -> str:
    """Transliterate Arabic letters in ``text`` to a simple, readable Latin scheme.

    Not a scholarly romanisation: one or two ASCII letters per Arabic letter
    (ث th, خ kh, ذ dh, ش sh, غ gh, ع and ا a), و/ي as w/y at the start of a word or
    after a vowel letter and as u/i elsewhere, a leading ال as "al-", no short
    vowels (they are not written).  «موسكو» → "musku", «القاهرة» → "al-qahra".
    Non-Arabic characters pass through unchanged.
    """
    clean = text.translate(DISPLAY_TABLE).translate(_rule("diacritics"))
    return _ARABIC_RUN.sub(lambda m: _translit_word(m.group()), to_western_digits(clean))


def _cap(slug: str, max_length: int) -> str:
    """Cut ``slug`` to ``max_length`` on a hyphen when possible."""
    if len(slug) <= max_length:
        return slug
    if slug[max_length] == "-":
        return slug[:max_length].strip("-")
    head = slug[:max_length]
    cut = head.rfind("-")
    # One very long word: a hard cut beats an empty slug.
    return (head[:cut] if cut > 0 else head).strip("-")


def slugify(text: str, max_length: int = 80, *, latin: bool = False) -> str:
    """Return a readable URL slug for ``text``: «الأزمة في غزة» → "الأزمة-في-غزة".

    Display-normalised, diacritics and tatweel removed, Arabic letters kept as
    written (hamza forms included), Latin lowercased to ASCII, digits made western,
    everything else a single hyphen; cut to ``max_length`` on a word boundary.
    ``latin=True`` transliterates Arabic first (:func:`transliterate`).

    Never empty: text without letters or digits gets ``"maqal-"`` plus the first
    8 hex digits of its SHA-1 (stable for the same text), or ``"maqal"`` for "".
    """
    max_length = max(1, max_length)
    source = transliterate(text) if latin else text
    slug = _NOT_SLUG.sub("-", source.translate(_SLUG_TABLE)).strip("-")
    if latin:
        slug = re.sub(r"[^0-9a-z]+", "-", slug).strip("-")
    slug = _cap(slug, max_length)
    if not slug:
        if text:
            digest = hashlib.sha1(text.encode("utf-8", "surrogatepass"), usedforsecurity=False)
            slug = f"{FALLBACK_SLUG}-{digest.hexdigest()[:8]}"
        else:
            slug = FALLBACK_SLUG
        slug = slug[:max_length].strip("-") or FALLBACK_SLUG[:max_length]
    return slug


def unique_slug(base: str, exists: Callable[[str], bool], max_length: int = 80) -> str:
    """Return ``base`` or ``base-2``, ``base-3``… — the first for which ``exists`` is False.

    The numbered form is cut on a word boundary so it stays within ``max_length``.
    """
    max_length = max(1, max_length)
    base = _cap(base, max_length) or FALLBACK_SLUG[:max_length]
    if not exists(base):
        return base
    n = 2
    while True:
        suffix = f"-{n}"
        room = max_length - len(suffix)
        stem = _cap(base, room) if room > 0 else ""
        candidate = f"{stem}{suffix}" if stem else suffix.lstrip("-")
        if not exists(candidate):
            return candidate
        n += 1


def reading_time(text: str, wpm: int = 180) -> int:
    """Minutes needed to read ``text`` at ``wpm`` words a minute (≥ 1 unless empty).

    Words are the tokens of the matching grammar (Arabic, Latin and numbers).
    """
    if not text.strip():
        return 0
    words = len(TOKEN_RE.findall(text))
    return max(1, math.ceil(words / max(1, wpm)))
