"""HTML article bodies (WXR ``content:encoded``, feed content) → :class:`Block` lists.

Block elements become blocks: ``<p>`` paragraphs, ``<h1>``–``<h6>`` headings,
``<blockquote>`` quotes, ``<img>``/``<figure>`` (with ``<figcaption>``) and
WordPress ``[caption]`` shortcodes images, list items paragraphs. Inline markup is
kept only through :func:`sahafa.ingest.text.sanitize_inline`. Content without
``<p>`` tags is split on blank lines the way WordPress' ``wpautop`` does.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin

import lxml.html
from lxml import etree

from sahafa.ingest.records import Block
from sahafa.ingest.text import clean, sanitize_inline

_BLOCK_TAG = re.compile(r"<(?:p|h[1-6]|blockquote|figure|div|ul|ol|table|pre)\b", re.IGNORECASE)
_CAPTION = re.compile(r"\[caption[^\]]*\](.*?)\[/caption\]", re.IGNORECASE | re.DOTALL)
_SHORTCODE = re.compile(r"\[/?[a-z_]+[^\]]*\]", re.IGNORECASE)
_DROP = {"script", "style", "noscript", "iframe", "object", "embed", "form", "svg", "template"}
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_CONTAINERS = {
    "div",
    "section",
    "article",
    "main",
    "header",
    "footer",
    "aside",
    "center",
    "body",
    "span",
}


def _caption_shortcode(match: re.Match[str]) -> str:
    inner = match.group(1)
    img_end = inner.rfind(">")
    return f"<figure>{inner[: img_end + 1]}<figcaption>{inner[img_end + 1 :]}</figcaption></figure>"


def _autop(html: str) -> str:
    chunks = re.split(r"\n\s*\n", html.strip())
    out = []
    for chunk in chunks:
        chunk = chunk.strip()
        if not chunk:
            continue
        if _BLOCK_TAG.match(chunk) or chunk.lower().startswith(("<figure", "<img", "<hr")):
            out.append(chunk)
        else:
            out.append("<p>" + chunk.replace("\n", "<br>\n") + "</p>")
    return "\n".join(out)


def _inner_html(el: etree._Element) -> str:
    parts = [el.text or ""]
    for child in el:
        if isinstance(child.tag, str) and child.tag.lower() not in _DROP:
            parts.append(etree.tostring(child, encoding="unicode", method="html", with_tail=False))
        parts.append(child.tail or "")
    return "".join(parts)


def _text(el: etree._Element) -> str:
    for br in el.iter("br"):
        br.tail = "\n" + (br.tail or "")
    return clean(el.text_content())


def html_to_blocks(html: str, *, base_url: str = "") -> list[Block]:
    """Split an HTML body into blocks; all kept HTML is sanitised."""
    if not html or not html.strip():
        return []
    html = _CAPTION.sub(_caption_shortcode, html)
    html = _SHORTCODE.sub("", html)
    html = _autop(html)
    try:
        root = lxml.html.fragment_fromstring(html, create_parent="div")
    except (etree.ParserError, ValueError):
        return []
    for bad in root.xpath(
        "//script|//style|//noscript|//iframe|//object|//embed|//form|//svg|//template"
    ):
        bad.drop_tree()
    blocks: list[Block] = []
    pending: list[str] = []

    def flush() -> None:
        fragment = "".join(pending).strip()
        pending.clear()
        if not fragment:
            return
        holder = lxml.html.fragment_fromstring(fragment, create_parent="div")
        _emit_paragraph(holder)

    def _emit_image(img: etree._Element, caption: str = "") -> None:
        src = img.get("src") or img.get("data-src") or ""
        if not src or src.lower().startswith(("javascript:", "data:")):
            return
        blocks.append(
            Block("image", src=urljoin(base_url, src) if base_url else src, caption=caption)
        )

    def _emit_paragraph(el: etree._Element, kind: str = "paragraph") -> None:
        for img in el.xpath(".//img"):
            _emit_image(img)
        text = _text(el)
        if text:
            blocks.append(Block(kind, text, sanitize_inline(_inner_html(el))))

    def walk(parent: etree._Element) -> None:
        if parent.text and parent.text.strip():
            pending.append(parent.text)
        for el in parent:
            tag = el.tag.lower() if isinstance(el.tag, str) else ""
            if tag == "p" or tag == "pre":
                flush()
                _emit_paragraph(el)
            elif tag in _HEADINGS:
                flush()
                text = _text(el)
                if text:
                    blocks.append(Block("heading", text, sanitize_inline(_inner_html(el))))
            elif tag == "blockquote":
                flush()
                text = _text(el)
                if text:
                    blocks.append(Block("quote", text, sanitize_inline(_inner_html(el))))
            elif tag == "figure":
                flush()
                caption_el = el.find(".//figcaption")
                caption = _text(caption_el) if caption_el is not None else ""
                imgs = el.xpath(".//img")
                if imgs:
                    _emit_image(imgs[0], caption)
                elif caption:
                    blocks.append(Block("paragraph", caption))
            elif tag == "img":
                flush()
                _emit_image(el)
            elif tag in ("ul", "ol"):
                flush()
                for li in el.iter("li"):
                    _emit_paragraph(li)
            elif tag == "table":
                flush()
                for row in el.iter("tr"):
                    text = _text(row)
                    if text:
                        blocks.append(Block("paragraph", text))
            elif tag in _CONTAINERS and el.xpath(".//p|.//h2|.//h3|.//blockquote|.//figure|.//img"):
                flush()
                walk(el)
            elif tag == "hr":
                flush()
            elif tag:
                pending.append(
                    etree.tostring(el, encoding="unicode", method="html", with_tail=False)
                )
            if el.tail and el.tail.strip():
                pending.append(el.tail)
            elif el.tail and pending:
                pending.append(" ")
        flush()

    walk(root)
    return blocks
