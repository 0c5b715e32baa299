"""Crawled page text (WET style: one block per line) → :class:`ArticleRecord`.

How a page is read (all rules are layout rules plus generic Arabic boilerplate
vocabulary from :mod:`sahafa.ingest.boilerplate`; nothing is tuned to one site):

1. **Lines** are numbered from 1 by splitting on ``\\n``; each is display-normalised.
2. **Paragraphs** are lines of at least :data:`PARA_MIN_WORDS` words ending in
   sentence punctuation. A **body** is a run of paragraphs where at most
   :data:`MAX_GAP` other non-blank lines separate two paragraphs (blank lines are
   free) and no end marker (related list, share, comments, tags, copyright) occurs.
3. **Headline**: the first line is usually the ``<title>``, i.e. the headline plus
   « - site». The headline is the last later line the title starts (or ends) with,
   and what the title adds is the outlet name. Without such a line (the outlet's
   name repeated as logo and title), the headline is the nearest headline-like line
   above the first body.
4. **Header** (headline → body): a date, the section (a line repeating a navigation
   item), a lead caption (alt text and caption come as a repeated pair — kept once —
   or a single line), bylines («كتب…», «Name - City», or a short name line after the
   caption). Scanning for captions stops at the first widget/boilerplate line.
5. **Inside the body**, single short lines followed by a paragraph are sub-headings,
   lines wholly in «» or “” are quotations, a «©» line is an image credit and the
   line after it that image's caption.
6. **Masthead**: lines that start with a role label («رئيس مجلس الإدارة»…), split on
   every label, so glued entries work. **Ticker**: a long unpunctuated line of 25+
   words above the headline, split by :func:`sahafa.arabic.segment_headlines`.
7. **Listing pages** (front/section pages: many short headline + teaser pairs, no
   single article body) yield one record with ``kind="listing"`` whose
   ``extra["items"]`` lists the pairs; the loader skips such records. This keeps the
   run going and lets a report count them as "not an article".
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from sahafa.ingest import boilerplate as bp
from sahafa.ingest.records import ArticleRecord, Block, ImageRef, RecordError
from sahafa.ingest.text import clean, decode, parse_date, split_ticker

PARA_MIN_WORDS = 10
MAX_GAP = 2
TICKER_MIN_WORDS = 25
LISTING_MIN_PAIRS = 5

_TERMINAL = re.compile(r"[.!?؟…:]['\"»”’)\]]*$|[.!?؟…]['\"»”’)\]]*\s*\(?[^\s()]{0,12}\)?$")
_SENTENCE_END = re.compile(r"[.!؟?…]['\"»”’)\]]*$")
_LATIN = re.compile(r"[A-Za-z]")
_ARABIC_WORD = re.compile(r"[\u0621-\u064a]{2,}")
_URL = re.compile(r"^(?:https?://|www\.)\S+$")
_TITLE_SEPARATORS = (" - ", " | ", " – ", " — ", " :: ", " « ", " » ")
_QUOTE_PAIRS = {"«": "»", "“": "”", '"': '"', "„": "“"}
_NAME_CITY = re.compile(
    r"^(?P<name>[\u0621-\u064a\s.]{3,40}?)\s+[-–—]\s+(?P<city>[\u0621-\u064a\s]{2,20})$"
)


@dataclass
class Line:
    """One line of the page: 1-based number, raw and cleaned text."""

    no: int
    raw: str
    text: str

    @property
    def words(self) -> int:
        return len(self.text.split())


def _is_para(text: str) -> bool:
    return len(text.split()) >= PARA_MIN_WORDS and bool(_SENTENCE_END.search(text))


def _is_quote(text: str) -> bool:
    text = text.rstrip(".،,؛;")
    if len(text) < 3:
        return False
    close = _QUOTE_PAIRS.get(text[0])
    return close is not None and text.endswith(close) and text[1:-1].count(text[0]) == 0


def _mostly_latin(text: str) -> bool:
    latin = len(_LATIN.findall(text))
    return latin > 0 and latin * 3 >= len(text.replace(" ", ""))


def _junk(text: str) -> bool:
    """Lines that are never captions/bylines: widgets, URLs, Latin, bare numbers."""
    return (
        bp.is_boilerplate(text)
        or bool(_URL.match(text))
        or _mostly_latin(text)
        or not _ARABIC_WORD.search(text)
        or text.endswith((":", "："))
        or text.count(" | ") >= 1
    )


def _body_runs(lines: list[Line], start: int) -> list[tuple[int, int]]:
    """Runs of paragraphs (first, last index into ``lines``) from ``start`` on."""
    runs: list[tuple[int, int]] = []
    i = start
    n = len(lines)
    while i < n:
        if not _is_para(lines[i].text) or bp.is_end_marker(lines[i].text):
            i += 1
            continue
        first = last = i
        gap = 0
        j = i + 1
        while j < n:
            text = lines[j].text
            if not text:
                j += 1
                continue
            if bp.is_end_marker(text) or (
                _is_para(text) and bp.COMMENTS.search(text) and last > first
            ):
                break
            if _is_para(text):
                last = j
                gap = 0
            else:
                gap += 1
                if gap > MAX_GAP:
                    break
            j += 1
        runs.append((first, last))
        i = max(j, last + 1)
    return runs


def _run_size(lines: list[Line], run: tuple[int, int]) -> tuple[int, int]:
    paras = [ln for ln in lines[run[0] : run[1] + 1] if _is_para(ln.text)]
    return len(paras), sum(len(p.text) for p in paras)


def _qualifies(lines: list[Line], run: tuple[int, int]) -> bool:
    count, chars = _run_size(lines, run)
    return count >= 2 or chars >= 400


def _title_candidates(lines: list[Line]) -> tuple[list[int], str]:
    """Indexes of lines the title line starts/ends with, and the outlet name it adds.

    A page whose first two lines are the same (logo + title) has no title line.
    """
    texts = [ln.text for ln in lines[:3] if ln.text]
    if not texts or (len(texts) >= 2 and texts[0] == texts[1]):
        return [], ""
    title = lines[0].text
    found: list[int] = []
    sites: list[str] = []
    for idx, line in enumerate(lines[1:], start=1):
        text = line.text
        if len(text) < 8 or len(text) > len(title):
            continue
        extra = ""
        if text == title:
            pass
        elif title.startswith(text) and title[len(text) :].startswith(_TITLE_SEPARATORS):
            parts = _split_title(title[len(text) :])
            extra = parts[-1] if parts else ""
        elif title.endswith(text) and title[: -len(text)].endswith(_TITLE_SEPARATORS):
            parts = _split_title(title[: -len(text)])
            extra = parts[0] if parts else ""
        else:
            continue
        if len(text) <= len(title) - len(text):
            continue  # the outlet name, not the headline
        found.append(idx)
        sites.append(extra)
    site = next((s for s in reversed(sites) if s), "")
    return found, site


def _split_title(extra: str) -> list[str]:
    return [p.strip() for p in re.split(r"\s[-|–—:«»]+\s", f" {extra} ") if p.strip()]


def _listing_items(lines: list[Line]) -> list[dict[str, str]]:
    """Headline + teaser pairs: a short line followed by one long line, then a short one."""
    items: list[dict[str, str]] = []
    texts = [ln.text for ln in lines if ln.text]
    for k in range(1, len(texts)):
        prev, cur = texts[k - 1], texts[k]
        nxt = texts[k + 1] if k + 1 < len(texts) else ""
        if (
            len(cur.split()) >= 12
            and 2 <= len(prev.split()) < 25
            and not _is_para(prev)
            and (not nxt or len(nxt.split()) < 25)
            and not bp.is_boilerplate(prev)
        ):
            items.append({"title": prev, "teaser": cur})
    return items


def _looks_like_listing(lines: list[Line]) -> list[dict[str, str]]:
    items = _listing_items(lines)
    long_lines = sum(1 for ln in lines if ln.words >= 12)
    if len(items) >= LISTING_MIN_PAIRS and len(items) * 2 >= long_lines:
        return items
    return []


def _fallback_headline(lines: list[Line], body_start: int) -> int | None:
    """Nearest headline-like line above the body (skipping captions, dates, bylines)."""
    i = body_start - 1
    while i >= 0:
        text = lines[i].text
        if not text:
            i -= 1
            continue
        prev = i - 1
        while prev >= 0 and not lines[prev].text:
            prev -= 1
        if prev >= 0 and lines[prev].text == text:  # alt + caption pair
            i = prev - 1
            continue
        if (
            3 <= len(text.split()) <= 30
            and not _junk(text)
            and not parse_date(text)
            and not _author_of(text)
            and not bp.parse_masthead(text)
        ):
            return i
        i -= 1
    return None


def _author_of(text: str) -> str:
    match = bp.BYLINE.match(text)
    if match and len(match.group("name").split()) <= 5:
        return match.group("name").strip(" :-–")
    match = _NAME_CITY.match(text)
    if (
        match
        and 2 <= len(match.group("name").split()) <= 4
        and len(match.group("city").split()) <= 2
    ):
        return match.group("name").strip()
    return ""


def _tags_after(lines: list[Line], body_end: int) -> list[str]:
    """Tags: a «الكلمات الدالة» label and what follows, or short lines ending the body."""
    n = len(lines)
    for i in range(body_end + 1, min(n, body_end + 40)):
        text = lines[i].text
        label = bp.TAGS_LABEL.match(text)
        if label:
            rest = text[label.end() :].strip()
            if rest:
                return [t.strip() for t in re.split(r"[,،;؛]", rest) if t.strip()]
            tags = []
            for line in lines[i + 1 : i + 30]:
                if not line.text:
                    continue
                if re.search(r"[,،;؛]", line.text) and not tags:
                    return [t.strip() for t in re.split(r"[,،;؛]", line.text) if t.strip()]
                if _junk(line.text) or line.words > 5:
                    break
                tags.append(line.text)
            return tags
    # Unlabelled: 2+ very short lines right after the body, closed by boilerplate.
    tags = []
    for line in lines[body_end + 1 : body_end + 15]:
        if not line.text:
            continue
        if bp.is_boilerplate(line.text):
            return tags if len(tags) >= 2 else []
        if line.words > 4 or _SENTENCE_END.search(line.text) or _junk(line.text):
            return []
        tags.append(line.text)
    return []


def _section(
    lines: list[Line], head: int, body_start: int, nav: set[str]
) -> tuple[str, int | None]:
    # Breadcrumb just above the headline: «الرئيسية X» or «الرئيسية» then «X».
    for i in range(head - 1, max(-1, head - 5), -1):
        text = lines[i].text
        if text.startswith("الرئيسية ") and 1 <= len(text.split()) - 1 <= 4:
            return text.split(" ", 1)[1].strip(" >/»"), None
        if text == "الرئيسية" and i + 1 < head and lines[i + 1].text:
            return lines[i + 1].text, None
    for i in range(head + 1, body_start):
        if lines[i].text and lines[i].text in nav and lines[i].text != lines[head].text:
            return lines[i].text, i
    above = [i for i in range(head) if lines[i].text][-2:]
    if len(above) == 2 and lines[above[1]].text in nav and lines[above[0]].words > 4:
        return lines[above[1]].text, None  # a category label, not the end of a menu
    return "", None


def parse_text_page(
    data: bytes | str, *, source: str = "", keep_ticker: bool = False
) -> Iterator[ArticleRecord]:
    """Yield the article (or listing) record of one crawled page text.

    With ``keep_ticker=True`` also yield one ``kind="ticker"`` record per ticker
    headline. Raises :class:`RecordError` for empty/binary/undecodable input and for
    pages with neither an article body nor a listing.
    """
    text = decode(data, item=source)
    raw_lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    lines = [Line(i + 1, raw, clean(raw)) for i, raw in enumerate(raw_lines)]
    if not any(ln.text for ln in lines):
        raise RecordError("empty page", "صفحة فارغة", item=source)

    candidates, site_name = _title_candidates(lines)
    head: int | None = None
    body: tuple[int, int] | None = None
    if candidates:
        runs = [r for r in _body_runs(lines, candidates[0] + 1) if _qualifies(lines, r)]
        if runs:
            body = runs[0]
            before = [c for c in candidates if c < body[0]]
            head = before[-1] if before else candidates[0]
    if body is None:
        items = _looks_like_listing(lines)
        if items:
            yield _listing_record(lines, items, source)
            return
        runs = [r for r in _body_runs(lines, 0) if _qualifies(lines, r)]
        if not runs:
            raise RecordError(
                "no article body found (not a news article page)",
                "لم يُعثر على نص مقال في الصفحة",
                item=source,
            )
        body = max(runs, key=lambda r: _run_size(lines, r)[1]) if not candidates else runs[0]
        head = _fallback_headline(lines, body[0])
        if head is None:
            raise RecordError("no headline found", "لم يُعثر على عنوان المقال", item=source)
    if head is None:  # pragma: no cover - both branches above set it or raise
        raise RecordError("no headline found", "لم يُعثر على عنوان المقال", item=source)

    if not site_name and len(lines) > 1:
        firsts = [ln.text for ln in lines[:3] if ln.text]
        if len(firsts) >= 2 and firsts[0] == firsts[1]:
            site_name = firsts[0]

    record = ArticleRecord(title=lines[head].text, source_url=source, source_format="text")
    record.site_name = site_name

    # Masthead and ticker: above the body.
    for line in lines[: body[0]]:
        for role, name in bp.parse_masthead(line.text).items():
            record.masthead.setdefault(role, name)
    for line in lines[:head]:
        if (
            line.words >= TICKER_MIN_WORDS
            and not _is_para(line.text)
            and not bp.parse_masthead(line.text)
            and not record.ticker
        ):
            record.ticker = split_ticker(line.raw)

    # Header zone between headline and body.
    nav = {ln.text for ln in lines[:head] if ln.text and ln.words <= 4}
    record.section, section_line = _section(lines, head, body[0], nav)
    header = [i for i in range(head + 1, body[0]) if lines[i].text]
    for i in header:
        found = parse_date(lines[i].text)
        if found:
            record.date = found
            break
    if record.date is None:
        for line in lines[:head]:
            found = parse_date(line.text)
            if found:
                record.date = found
                break
    caption_seen = False
    k = 0
    while k < len(header):
        i = header[k]
        text = lines[i].text
        nxt = lines[header[k + 1]].text if k + 1 < len(header) else ""
        k += 1
        if (
            text in (record.title, record.section)
            or i == section_line
            or parse_date(text)
            or bp.is_credit(text)
        ):
            continue
        author = _author_of(text)
        if author:
            record.authors.append(author)
            continue
        if _junk(text) or _is_para(text) or _is_quote(text) or "؟" in text or "?" in text:
            break
        if caption_seen:
            words = text.split()
            if 2 <= len(words) <= 4 and not re.search(r"[\d«»\"(),.،:]", text):
                record.authors.append(text)
            break
        record.captions.append(text)
        caption_seen = True
        if nxt == text:
            k += 1

    # Body blocks.
    first, last = body
    body_lines = [ln for ln in lines[first : last + 1] if ln.text]
    pending_credit = ""
    for idx, line in enumerate(body_lines):
        text = line.text
        if _is_para(text):
            if _is_quote(text):
                record.blocks.append(Block("quote", text))
            else:
                record.blocks.append(Block("paragraph", text))
            continue
        nxt = body_lines[idx + 1].text if idx + 1 < len(body_lines) else ""
        if bp.is_credit(text):
            pending_credit = text.lstrip("©").strip()
            record.blocks.append(Block("image", credit=pending_credit))
            continue
        if pending_credit and record.blocks and record.blocks[-1].type == "image":
            record.blocks[-1].caption = text
            record.captions.append(text)
            pending_credit = ""
            continue
        pending_credit = ""
        if _is_quote(text):
            record.blocks.append(Block("quote", text))
        elif (
            line.words <= 15
            and _is_para(nxt)
            and not _SENTENCE_END.search(text.rstrip("؟?!"))
            and not _junk(text)
        ):
            record.blocks.append(Block("heading", text))

    record.tags = _tags_after(lines, last)
    if record.captions:
        record.images.append(ImageRef(src="", caption=record.captions[0]))
    record.extra["lines"] = {"title": lines[head].no, "body": [lines[first].no, lines[last].no]}
    yield record

    if keep_ticker:
        for headline in record.ticker:
            yield ArticleRecord(
                title=headline,
                kind="ticker",
                site_name=record.site_name,
                source_url="",
                source_format="text",
                extra={"page": source},
            )


def _listing_record(lines: list[Line], items: list[dict[str, str]], source: str) -> ArticleRecord:
    first = next((ln.text for ln in lines if ln.text), "")
    return ArticleRecord(
        title=first,
        kind="listing",
        source_url=source,
        source_format="text",
        extra={"items": items, "reason": "listing page, not an article"},
    )
