"""Splitting text into headlines and sentences.

:func:`segment_headlines` restores the boundaries of a crawled news ticker whose
separators were lost.  It scores every way of cutting the word sequence into
headlines with a small dynamic programme.  The score combines:

* hard cues: ``؟ ? !`` end a headline; a quoted span is never cut;
* the shape of Arabic headlines: at most one ``..`` (joining a short topic phrase
  to a clause, "X.. Y") and at most one ``:`` (a short speaker or topic before it),
  the ``:`` coming first; a headline never ends in ``..`` or ``:``;
* grammar at a candidate cut: a headline does not end with a preposition,
  particle or conjunction, does not start with و (that continues a clause) or a
  nisba adjective (ـية/ـي agree with a preceding noun); a definite word followed by
  a definite word is noun + adjective (same phrase) while a definite word followed
  by an indefinite noun usually starts a new phrase; a known place/name after the
  cut is a typical headline opening; an opening «“ starts and a closing »” ends
  a headline more often than not;
* plausible lengths for headlines and their parts.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from .lexicon import FUNCTION_WORDS
from .normalize import MATCH_TABLE
from .stem import protected_words

__all__ = ["segment_headlines", "sentences"]

_NEG_INF = float("-inf")
_OPEN_QUOTES = '«“„"'
_CLOSE_QUOTES = '»”"'
_QUESTION_END = re.compile(r"[؟?!]+[»”\"')\]]*$")
_STRIP = "«»“”„\"'()[]{}:.,،؛;؟?!…-"
_MAX_HEADLINE_WORDS = 30
# News nouns whose initial و is a root letter, not the conjunction «و»
# (match-normalised, see ``_words``).
_WAW_ROOT_WORDS = frozenset(
    "وزير وزيره وزراء وزاره وزارات وفد وفود وكاله وكالات وفاه وفيات ولايه ولايات "
    "ولي وضع وسط وقت وحده وثيقه وثائق وصول وطن وطني وطنيه واقع واقعه وادي".split()
)
# A word, with any free-standing run of punctuation after it («الإفتاء : فحص»,
# «النفط .. ارتفاع») attached: the spaced mark belongs to the word before it.
_WORD = re.compile(r"\S+(?:\s+[:.…،,؛;!?؟]+(?=\s|$))*")


class _Word(NamedTuple):
    start: int
    end: int
    text: str
    core: str  # match-normalised, punctuation stripped
    ends_question: bool
    double_dot: bool  # ends with ".." / "…" outside a quote
    colon: bool  # ends with ":" outside a quote
    in_quote: bool  # a quoted span continues past this word
    opens_quote: bool
    closes_quote: bool


def _quote_spans(line: str) -> list[tuple[int, int]]:
    """Matched quotation spans (start, end) in ``line``.

    « opens and » closes; a second « before any » means the first one was stray
    (crawled headlines often lose a closing guillemet).  The symmetric marks
    “ ” " toggle, because tickers mix their directions.
    """
    spans: list[tuple[int, int]] = []
    open_guillemet: int | None = None
    open_other: int | None = None
    for i, ch in enumerate(line):
        if ch == "«":
            open_guillemet = i
        elif ch == "»":
            if open_guillemet is not None:
                spans.append((open_guillemet, i + 1))
                open_guillemet = None
        elif ch in '“”„"':
            if open_other is None:
                open_other = i
            else:
                spans.append((open_other, i + 1))
                open_other = None
    return spans


def _words(line: str) -> list[_Word]:
    spans = _quote_spans(line)

    def inside(pos: int) -> bool:
        return any(s < pos < e - 1 for s, e in spans)

    words: list[_Word] = []
    for m in _WORD.finditer(line):
        text = m.group()
        stripped = text.rstrip("»”\"')]")
        core = text.split()[0].translate(MATCH_TABLE).strip(_STRIP).replace("ـ", "")
        end_pos = m.end() - 1
        words.append(
            _Word(
                start=m.start(),
                end=m.end(),
                text=text,
                core=core,
                ends_question=bool(_QUESTION_END.search(text)),
                double_dot=(stripped.endswith("..") or stripped.endswith("…"))
                and not inside(end_pos),
                colon=stripped.endswith(":") and not inside(end_pos),
                in_quote=any(s <= m.start() < e - 1 and e - 1 > end_pos for s, e in spans)
                or any(s < m.end() <= e - 1 for s, e in spans),
                opens_quote=text[0] in _OPEN_QUOTES,
                closes_quote=stripped != text or text.endswith("»"),
            )
        )
    return words


def _is_definite(core: str) -> bool:
    return core.startswith(("ال", "وال", "فال", "بال", "كال", "لل", "ولل"))


def _is_imperfect_verb(core: str) -> bool:
    """A third-person imperfect verb shape (يفعل، يتفاعلان، يستقبلون)."""
    return core.startswith("ي") and len(core) >= 4 and core not in FUNCTION_WORDS


def _is_nisba(core: str) -> bool:
    return not _is_definite(core) and core.endswith(("يه", "ي", "يين", "يون")) and len(core) > 3


def _boundary_score(
    prev: _Word,
    nxt: _Word,
    before_prev: _Word | None,
    names: frozenset[str],
    after_next: _Word | None = None,
) -> float:
    """How plausible a headline boundary is between ``prev`` and ``nxt``."""
    if prev.in_quote:
        return _NEG_INF
    if prev.ends_question:
        return 6.0
    if prev.double_dot or prev.colon:
        return _NEG_INF
    p, n = prev.core, nxt.core
    score = 0.0
    if p in FUNCTION_WORDS or prev.text.endswith("ـ") or not p:
        score -= 6.0
    if prev.text.endswith((",", "،")):
        score -= 3.0
    if n.startswith("و") and len(n) >= 4 and n not in names and n not in _WAW_ROOT_WORDS:
        score -= 3.0
    if n in FUNCTION_WORDS:
        score -= 3.0
    if nxt.opens_quote and not prev.closes_quote:
        score += 2.5
    if prev.closes_quote:
        score += 2.0
    p_def, n_def = _is_definite(p), _is_definite(n)
    # An indefinite adjective (nisba, or a feminine word stacked after one as in
    # «تقاطعات إقليمية شائكة») cannot head an idafa, so a definite word after it
    # starts a new phrase.
    p_adjective = not p_def and (
        _is_nisba(p)
        or (p.endswith("ه") and before_prev is not None and _is_nisba(before_prev.core))
    )
    if p_def and n_def:
        score -= 2.5  # noun + adjective agreement
    elif p_def and _is_imperfect_verb(n):
        score -= 1.0  # subject + verb: «الملك والملكة يتواصلان»
    elif p_def and not n_def and n not in FUNCTION_WORDS:
        score += 1.5
    elif p_adjective and n_def:
        score += 1.0
    elif not p_def and n_def and p not in names:
        score -= 1.5  # idafa: indefinite noun + definite complement
    if not p_def and not n_def and p.endswith("ه") and n.endswith("ه") and p not in names:
        score -= 1.5  # feminine noun + feminine adjective («أزمة إنسانية»)
    if _is_nisba(n):
        score -= 2.0
    if n.startswith(("لل", "بال", "كال")):
        score -= 1.0
    if n in names:
        score += 1.5
    # A speaker or topic before a colon opens its headline («السعودية: …»,
    # «وزير الزراعة: …»): a cut just before it is likely.
    if nxt.colon and (_is_definite(n) or n in names):
        score += 2.0
    if p in names and before_prev is not None and before_prev.core in FUNCTION_WORDS:
        score += 1.5
    return score


def _headline_score(words: list[_Word], i: int, j: int) -> float:
    """Shape score of ``words[i:j]`` taken as one headline."""
    last = j - 1
    dots: list[int] = []
    colons: list[int] = []
    for k in range(i, j):
        w = words[k]
        if w.ends_question and k != last:
            return _NEG_INF
        if w.double_dot:
            dots.append(k)
        if w.colon:
            colons.append(k)
    if (dots and dots[-1] == last) or (colons and colons[-1] == last):
        return _NEG_INF if j != len(words) else -4.0
    n = j - i
    score = -4.0  # each headline costs something: cut only where cues agree
    if n < 5:
        score -= (5 - n) * 2.5
    if n > 16:
        score -= (n - 16) * 1.0
    if len(dots) > 1:
        score -= 4.0 * (len(dots) - 1)
    if len(colons) > 1:
        score -= 5.0 * (len(colons) - 1)  # one speaker per headline
    colon = colons[0] if colons else None
    if colon is not None:
        before = colon - i + 1
        if before > 3:
            score -= (before - 3) * 1.5
    if dots:
        dot = dots[0]
        if colon is not None and colon > dot:
            score -= 2.0
        part_start = colon + 1 if colon is not None and colon < dot else i
        a = dot - part_start + 1
        if a < 2:
            score -= 2.0
        if a > 6:
            score -= (a - 6) * 1.0
        b = last - dot
        if b < 2:
            score -= (2 - b) * 2.0
    return score


def segment_headlines(line: str) -> list[str]:
    """Split a run of concatenated headlines (a crawled ticker) into headlines.

    Returns the headlines as slices of ``line`` (whitespace-trimmed), in order.
    Explicit separators (``|``, ``•``, line breaks) always split.
    """
    parts = [p for p in re.split(r"\s*(?:[|•·]|\n)\s*", line) if p.strip()]
    if len(parts) > 1:
        return [h for p in parts for h in segment_headlines(p)]
    words = _words(line)
    if not words:
        return []
    names = _names()
    n = len(words)
    best = [_NEG_INF] * (n + 1)
    back = [0] * (n + 1)
    best[0] = 0.0
    for j in range(1, n + 1):
        for i in range(max(0, j - _MAX_HEADLINE_WORDS), j):
            if best[i] == _NEG_INF:
                continue
            cut = 0.0
            if i > 0:
                cut = _boundary_score(
                    words[i - 1],
                    words[i],
                    words[i - 2] if i > 1 else None,
                    names,
                    words[i + 1] if i + 1 < n else None,
                )
                if cut == _NEG_INF:
                    continue
            s = best[i] + cut + _headline_score(words, i, j)
            if s > best[j]:
                best[j], back[j] = s, i
    if best[n] == _NEG_INF:  # no consistent cut (e.g. very long text): keep it whole
        return [line.strip()]
    cuts: list[int] = []
    j = n
    while j > 0:
        cuts.append(j)
        j = back[j]
    cuts.reverse()
    out: list[str] = []
    i = 0
    for j in cuts:
        out.append(line[words[i].start : words[j - 1].end])
        i = j
    return out


@lru_cache(maxsize=1)
def _names_for(key: frozenset[str]) -> frozenset[str]:
    return key


def _names() -> frozenset[str]:
    return _names_for(protected_words())


# --- sentences -------------------------------------------------------------------

# Single letters and common abbreviations that take a full stop: «د.» (doctor),
# «م.» (engineer / AD), «أ.» (professor), «ص.ب.», "Dr.", "Mr.", "St." ...
_ABBREVIATIONS = frozenset(
    {"ص.ب", "dr", "mr", "mrs", "ms", "st", "prof", "no", "vs", "etc", "jr", "sr"}
)
_SENTENCE_END = re.compile(r"[.؟?!…]+(?=[\s»”\"')\]]|$)")


def _quote_ranges(text: str) -> list[tuple[int, int]]:
    """Matched quotation ranges; quotes never span a paragraph break."""
    ranges: list[tuple[int, int]] = []
    stack: list[int] = []
    open_other: int | None = None
    for i, ch in enumerate(text):
        if ch == "\n":
            stack.clear()
            open_other = None
        elif ch == "«":
            stack.append(i)
        elif ch == "»":
            if stack:
                ranges.append((stack.pop(), i))
        elif ch == "“":
            open_other = i
        elif ch in '”"':
            if open_other is not None:
                ranges.append((open_other, i))
                open_other = None
            elif ch == '"':
                open_other = i
    return ranges


def sentences(text: str) -> list[str]:
    """Split body ``text`` into sentences.

    A sentence ends at ``.``, ``؟``, ``?``, ``!`` (or runs like ``?!``) followed by
    whitespace or the end, and at paragraph breaks.  Not sentence ends:

    * ``..``, ``...`` and ``…``: Arabic writers use them as a pause inside a
      sentence (and headlines use "X.. Y"), so they only end a sentence at a
      paragraph break or the end of the text;
    * ``:``, which introduces a quotation or list in news copy;
    * a full stop after a single letter or known abbreviation («د.», «م.», "Dr.")
      or between digits (3.5 never matches since no space follows the dot);
    * any terminator inside matched quotation marks « » “ ” "…".
    """
    ranges = _quote_ranges(text)
    out: list[str] = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        mark = m.group()
        pos = m.start()
        if any(s < pos < e for s, e in ranges):
            continue
        if mark in ("..", "...", "…") or (mark.startswith("..") and set(mark) == {"."}):
            continue
        if mark == ".":
            word = re.search(r"(\S+)$", text[start:pos])
            prev = word.group(1).translate(MATCH_TABLE).strip('«“"(').casefold() if word else ""
            if len(prev) == 1 or prev in _ABBREVIATIONS:
                continue
        end = m.end()
        # Keep closing quotes/brackets that follow the terminator with the sentence.
        while end < len(text) and text[end] in "»”\"')]":
            end += 1
        out.append(text[start:end])
        start = end
    out.append(text[start:])
    result: list[str] = []
    for chunk in out:
        result.extend(p.strip() for p in re.split(r"\n\s*\n|\n", chunk) if p.strip())
    return result
