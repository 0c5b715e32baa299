"""Saved HTML article pages → :class:`ArticleRecord`, via trafilatura plus Sahafa's Arabic cleanup.

Two readings of the same page are combined:

* **trafilatura** (``bare_extraction`` with metadata, comments excluded) gives the
  title, date, author, lead image, description, categories, tags and the main
  text as an XML tree (``<p>``, ``<head>``, ``<quote>``, ``<graphic>``), turned
  into blocks; each block is display-normalised, boilerplate lines (share,
  comments, copyright, navigation) are dropped and short unpunctuated lines
  before a paragraph become sub-headings.
* the page as **lines of text** (one per block element, like a crawl dump) read by
  :mod:`~sahafa.ingest.parsers.text_page` gives the masthead, the ticker, the
  outlet name, captions and bylines — and recognises listing pages. When its body
  is clearly more complete than trafilatura's (trafilatura sometimes drops a lead
  paragraph or a whole article), its paragraphs are used instead.

Inputs larger than ``max_bytes`` (default :data:`MAX_HTML_BYTES`) are refused
with a :class:`RecordError` before parsing. Any HTML kept in blocks goes through
:func:`sahafa.ingest.text.sanitize_inline`.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from datetime import datetime

import lxml.html
import trafilatura
from lxml import etree
from trafilatura.settings import use_config

from sahafa.ingest import boilerplate as bp
from sahafa.ingest.parsers.text_page import _is_para, parse_text_page
from sahafa.ingest.records import ArticleRecord, Block, ImageRef, RecordError
from sahafa.ingest.text import clean, decode, parse_date, parse_iso, sanitize_inline

MAX_HTML_BYTES = 25 * 1024 * 1024
#: Above this size trafilatura skips its fallback extractors (they re-parse the page).
FAST_ABOVE_BYTES = 2 * 1024 * 1024

_BLOCK_TAGS = {
    "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "tr", "td", "th",
    "table", "section", "article", "header", "footer", "nav", "aside", "main",
    "blockquote", "figure", "figcaption", "form", "dd", "dt", "dl", "br", "title",
    "option", "button", "label", "pre", "address", "center",
}  # fmt: skip
_DROP = ("script", "style", "noscript", "template", "svg", "iframe", "head/meta", "head/link")
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_-]+)""", re.IGNORECASE)

_CONFIG = use_config()
_CONFIG.set("DEFAULT", "max_file_size", str(MAX_HTML_BYTES * 2))
_CONFIG.set("DEFAULT", "extraction_timeout", "0")


def _decode_html(data: bytes | str, source: str) -> str:
    if isinstance(data, str):
        return decode(data, item=source)
    match = _CHARSET.search(data[:4096])
    charset = match.group(1).decode("ascii").lower() if match else ""
    if charset in ("windows-1256", "cp1256"):
        return data.decode("cp1256", errors="replace")
    return decode(data, item=source)


def html_to_lines(tree: etree._Element) -> list[str]:
    """The page's visible text, one line per block element (title first)."""
    tree = copy.deepcopy(tree)
    for bad in tree.xpath("//script|//style|//noscript|//template|//svg|//iframe"):
        bad.drop_tree()
    for el in tree.iter():
        if isinstance(el.tag, str) and el.tag.lower() in _BLOCK_TAGS:
            el.tail = "\n" + (el.tail or "")
            el.text = "\n" + (el.text or "")
    text = tree.text_content() if hasattr(tree, "text_content") else "".join(tree.itertext())
    lines = []
    for line in text.split("\n"):
        line = " ".join(line.split())
        if line:
            lines.append(line)
    return lines


def _meta(tree: etree._Element, *names: str) -> str:
    for name in names:
        for el in tree.xpath(f'//meta[@property="{name}" or @name="{name}"]'):
            content = (el.get("content") or "").strip()
            if content:
                return content
    return ""


def _xml_blocks(body: etree._Element | None, title: str) -> list[Block]:
    """trafilatura's XML body → cleaned blocks."""
    if body is None:
        return []
    raw: list[Block] = []
    for el in body.iter("p", "head", "quote", "graphic", "item"):
        tag = el.tag
        if tag == "graphic":
            src = el.get("src") or ""
            if src and not src.lower().startswith(("javascript:", "data:")):
                raw.append(Block("image", src=src, caption=clean(el.get("title") or "")))
            continue
        if tag == "item" and el.getparent() is not None and el.getparent().tag == "list":
            continue  # menus and link lists, not article text
        if tag == "p" and any(a.tag == "quote" for a in el.iterancestors()):
            continue
        # <lb/> inside a <p> separates paragraphs the page wrote as <br><br>.
        pieces = [el.text or ""]
        for child in el:
            if child.tag == "lb":
                pieces.append("\u2029")
            elif child.tag != "graphic":
                pieces.append("".join(child.itertext()))
            pieces.append(child.tail or "")
        texts = [clean(t) for t in "".join(pieces).split("\u2029")]
        kind = {"head": "heading", "quote": "quote"}.get(tag, "paragraph")
        for text in texts:
            if text:
                html = "" if len(texts) > 1 else sanitize_inline(_xml_inline(el))
                raw.append(Block(kind, text, html))
    blocks: list[Block] = []
    started = False
    for i, block in enumerate(raw):
        text = block.text
        if block.type == "image":
            blocks.append(block)
            continue
        if text == title or (len(text.split()) <= 12 and parse_date(text)):
            continue
        if bp.is_boilerplate(text) or bp.is_credit(text):
            if started and (bp.COMMENTS.search(text) or bp.RELATED.search(text)):
                break
            continue
        if started and _is_para(text) and bp.COMMENTS.search(text):
            break
        if block.type == "paragraph" and not _is_para(text):
            nxt = next((b for b in raw[i + 1 :] if b.type != "image"), None)
            if nxt is not None and _is_para(nxt.text) and len(text.split()) <= 15 and started:
                block = Block("heading", text, block.html)
            elif not started or len(text.split()) < 4:
                continue
        blocks.append(block)
        started = started or block.type == "paragraph"
    return blocks


def _recover_lead(record: ArticleRecord, lines: list[str], description: str) -> None:
    """Put back a lead paragraph trafilatura dropped, found via the page's description."""
    if len(description) < 60 or description[:50] in record.body_text:
        return
    for line in lines:
        text = clean(line)
        if _is_para(text) and text.startswith(description[:50]):
            first = next((i for i, b in enumerate(record.blocks) if b.type == "paragraph"), 0)
            record.blocks.insert(first, Block("paragraph", text))
            record.extra["lead_recovered"] = True
            return


def _merge_bodies(xml_blocks: list[Block], line_blocks: list[Block]) -> tuple[list[Block], str]:
    """Prefer trafilatura's blocks unless the page-lines body holds them all and more.

    trafilatura sometimes drops a lead paragraph; when (nearly) every paragraph it
    found is also in the lines body and that body has more, use the lines body,
    keeping trafilatura's sanitised HTML for the paragraphs both have.
    """
    xml_paras = {b.text: b for b in xml_blocks if b.type == "paragraph"}
    line_paras = [b for b in line_blocks if b.type == "paragraph"]
    if not line_paras:
        return xml_blocks, "trafilatura"
    if not xml_paras:
        return line_blocks, "lines"
    shared = sum(1 for b in line_paras if b.text in xml_paras)
    if shared >= 0.9 * len(xml_paras) and len(line_paras) > len(xml_paras):
        merged = []
        for block in line_blocks:
            twin = xml_paras.get(block.text) if block.type == "paragraph" else None
            merged.append(twin or block)
        return merged, "lines"
    return xml_blocks, "trafilatura"


def _xml_inline(el: etree._Element) -> str:
    """Inline XML of trafilatura (``hi``, ``ref``) → minimal HTML for sanitising."""
    parts = [_escape(el.text or "")]
    for child in el:
        inner = _xml_inline(child)
        if child.tag == "hi":
            rend = child.get("rend", "")
            tag = "b" if "b" in rend else "i" if "i" in rend else ""
            parts.append(f"<{tag}>{inner}</{tag}>" if tag else inner)
        elif child.tag == "ref" and child.get("target"):
            href = _escape(child.get("target", ""), quote=True)
            parts.append(f'<a href="{href}">{inner}</a>')
        elif child.tag == "lb":
            parts.append("<br>")
        else:
            parts.append(inner)
        parts.append(_escape(child.tail or ""))
    return "".join(parts)


def _escape(text: str, quote: bool = False) -> str:
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace('"', "&quot;") if quote else text


def parse_html_page(
    data: bytes | str,
    *,
    source: str = "",
    max_bytes: int = MAX_HTML_BYTES,
    favor: str = "recall",
    keep_ticker: bool = False,
) -> Iterator[ArticleRecord]:
    """Yield the article (or listing) record of one saved HTML page.

    ``favor`` is ``"recall"`` (default: measured best on Arabic news pages),
    ``"precision"`` or ``"balanced"``.
    """
    size = len(data.encode("utf-8")) if isinstance(data, str) else len(data)
    if size > max_bytes:
        raise RecordError(
            f"HTML page too large: {size} bytes (limit {max_bytes})",
            "صفحة HTML أكبر من الحد المسموح",
            item=source,
        )
    html = _decode_html(data, source)
    if "<" not in html:
        raise RecordError("not HTML", "الملف ليس صفحة HTML", item=source)
    try:
        tree = lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError) as exc:
        raise RecordError(f"unparseable HTML: {exc}", "تعذّر تحليل HTML", item=source) from exc

    lines = html_to_lines(tree)
    text_record: ArticleRecord | None = None
    ticker_records: list[ArticleRecord] = []
    try:
        for rec in parse_text_page("\n".join(lines), source=source, keep_ticker=keep_ticker):
            if rec.kind == "listing":
                rec.source_format = "html"
                yield rec
                return
            if rec.kind == "ticker":
                ticker_records.append(rec)
            else:
                text_record = rec
    except RecordError:
        text_record = None

    doc = trafilatura.bare_extraction(
        tree,
        url=source if source.startswith(("http://", "https://")) else None,
        with_metadata=True,
        include_comments=False,
        include_formatting=True,
        include_images=True,
        include_links=True,
        include_tables=False,
        favor_recall=favor == "recall",
        favor_precision=favor == "precision",
        fast=size > FAST_ABOVE_BYTES,
        config=_CONFIG,
    )
    if doc is None and text_record is None:
        raise RecordError("no article found in HTML", "لم يُعثر على مقال في الصفحة", item=source)

    site_name = clean(_meta(tree, "og:site_name", "application-name"))
    h1s = [clean(h.text_content()) for h in tree.xpath("//h1")]
    meta_title = clean(doc.title or "") if doc is not None else ""
    title = ""
    for h1 in h1s:
        if h1 and len(h1) >= 8 and (h1 in meta_title or (text_record and h1 == text_record.title)):
            title = h1
            break
    if not title and text_record is not None:
        title = text_record.title
    if not title:
        title = meta_title
        if site_name:
            for sep in (" - ", " | ", " – "):
                title = title.removesuffix(sep + site_name).removeprefix(site_name + sep)
    if not title:
        raise RecordError("no headline found", "لم يُعثر على عنوان المقال", item=source)

    blocks = _xml_blocks(doc.body if doc is not None else None, title)
    record = ArticleRecord(title=title, source_url=source, source_format="html", blocks=blocks)
    if text_record is not None:
        record.masthead = text_record.masthead
        record.ticker = text_record.ticker
        record.captions = text_record.captions
        record.authors = text_record.authors
        record.section = text_record.section
        record.tags = text_record.tags
        record.date = text_record.date
        site_name = text_record.site_name or site_name
        record.blocks, record.extra["body_from"] = _merge_bodies(record.blocks, text_record.blocks)
    record.site_name = site_name
    if doc is not None:
        meta_date: datetime | None = parse_iso(doc.date)
        if record.date is None:
            record.date = meta_date
        if not record.authors and doc.author:
            names = [clean(a) for a in doc.author.split(";") if clean(a)]
            junk = re.compile(
                r"https?|www\.|\.(?:com|net|org)\b|\b(?:png|jpe?g|gif|logo)\b", re.IGNORECASE
            )
            if not any(junk.search(n) or len(n) < 3 for n in names):
                record.authors = [n for n in names if n != site_name]
        if not record.tags and doc.tags:
            tags = list(
                dict.fromkeys(clean(t) for tag in doc.tags for t in tag.split(",") if clean(t))
            )
            title_words = set(title.split())
            # Some sites fill meta keywords with the headline's words: not tags.
            if not all(t in title_words for t in tags):
                record.tags = tags
        if not record.section and doc.categories:
            record.section = clean(doc.categories[0])
        description = clean(doc.description or "")
        _recover_lead(record, lines, description)
        body = record.body_text
        if description and len(description.split()) >= 8 and description[:60] not in body:
            record.standfirst = description
        if doc.image:
            record.images.append(
                ImageRef(src=doc.image, caption=record.captions[0] if record.captions else "")
            )
    for block in record.blocks:
        if block.type == "image" and block.src and all(i.src != block.src for i in record.images):
            record.images.append(
                ImageRef(src=block.src, caption=block.caption, credit=block.credit)
            )
    yield record
    for rec in ticker_records:
        rec.source_format = "html"
        yield rec
