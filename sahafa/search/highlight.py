"""Highlighting: mark query matches in the ORIGINAL text (diacritics, hamza and all).

Pure functions (no Django): the text is analysed with offsets by the same
pipeline as the index, matched terms are wrapped in ``<mark>``, and everything else
is HTML-escaped, so the result is safe to insert into a page as is.
"""

from __future__ import annotations

from collections.abc import Collection
from html import escape

from sahafa.arabic import analyze_with_offsets, protected_words

from .query import fold_terms

__all__ = ["highlight", "matched_spans", "snippet"]


def matched_spans(text: str, terms: Collection[str]) -> list[tuple[int, int]]:
    """``(start, end)`` offsets in ``text`` of the words that match ``terms``."""
    if not text or not terms:
        return []
    names = protected_words()
    spans: list[tuple[int, int]] = []
    for term, start, end in analyze_with_offsets(text):
        (folded,) = fold_terms([term], names)
        if folded in terms and (not spans or spans[-1] != (start, end)):
            spans.append((start, end))
    return spans


def _render(text: str, spans: list[tuple[int, int]], start: int, end: int) -> str:
    out, pos = [], start
    for s, e in spans:
        if e <= start or s >= end:
            continue
        out.append(escape(text[pos:s]))
        out.append(f"<mark>{escape(text[s:e])}</mark>")
        pos = e
    out.append(escape(text[pos:end]))
    return "".join(out)


def highlight(text: str, terms: Collection[str]) -> str:
    """All of ``text``, escaped, with matching words in ``<mark>``."""
    return _render(text, matched_spans(text, terms), 0, len(text))


def snippet(text: str, terms: Collection[str], max_chars: int = 240) -> str:
    """The passage of ``text`` (about ``max_chars`` long) with the most matching words,
    escaped, matches in ``<mark>``, with an ellipsis where text was cut."""
    text = " ".join(text.split())
    if not text:
        return ""
    spans = matched_spans(text, terms)
    if len(text) <= max_chars:
        return _render(text, spans, 0, len(text))
    start = 0
    if spans:
        best, best_count = spans[0][0], 0
        j = 0
        for i, (s, _e) in enumerate(spans):
            while j < len(spans) and spans[j][1] <= s + max_chars:
                j += 1
            if j - i > best_count:
                best, best_count = s, j - i
        # Start a little before the first match, at a word boundary.
        start = max(0, best - max_chars // 6)
        if start:
            space = text.find(" ", start)
            start = space + 1 if 0 <= space < best else start
    end = min(len(text), start + max_chars)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    prefix = "… " if start > 0 else ""
    suffix = " …" if end < len(text) else ""
    return prefix + _render(text, spans, start, end) + suffix
