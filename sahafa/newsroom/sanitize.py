"""Sanitising what editors, importers and settings put in front of readers.

Every text that reaches a public page passes one of three gates on save:

- ``clean_html``: rich text (Wagtail's stored form, with ``linktype`` links) keeps
  an allowlist of tags and safe link targets; scripts, event handlers,
  ``javascript:``/``data:`` links and unknown tags go.
- ``clean_text``: plain fields (titles, captions, names, ticker lines) lose any
  markup, control characters and bidi *overrides* (the "RTL override" spoofing
  trick); Arabic joiners and direction marks stay.
- ``clean_url``: link fields keep only ``http``/``https`` (and ``mailto``) URLs.

Templates escape plain text anyway; sanitising on save means that a value reaching
a feed, the API, a JSON fragment or a future template is already harmless.
"""

from __future__ import annotations

import html
import re
from urllib.parse import urlsplit

import nh3

RICH_TEXT_TAGS = {
    "p",
    "h2",
    "h3",
    "h4",
    "a",
    "b",
    "strong",
    "i",
    "em",
    "br",
    "ul",
    "ol",
    "li",
    "blockquote",
}
# ``linktype``/``id`` are Wagtail's internal page and document links, rewritten to
# real addresses when rendered.
RICH_TEXT_ATTRIBUTES = {"a": {"href", "linktype", "id"}}
LINK_TYPES = {"page", "document", "external", "email"}
URL_SCHEMES = {"http", "https", "mailto"}

# C0/C1 controls except tab/newline/carriage return, and the bidi embeddings and
# overrides (U+202A–U+202E) and isolates (U+2066–U+2069) that can reorder what a
# reader sees. ZWNJ/ZWJ (U+200C/D) and LRM/RLM/ALM stay: Arabic text needs them.
UNSAFE_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufeff]")
MARKUP_HINT = re.compile(r"<[A-Za-z!/?]|&[#A-Za-z]")


def _rich_text_attribute(tag: str, attribute: str, value: str) -> str | None:
    if tag == "a" and attribute == "linktype":
        return value if value in LINK_TYPES else None
    if tag == "a" and attribute == "id":
        # Wagtail link targets are numeric; anything else could clobber the DOM.
        return value if value.isdigit() else None
    return value


_rich_cleaner = nh3.Cleaner(
    tags=RICH_TEXT_TAGS,
    clean_content_tags={"script", "style"},
    attributes=RICH_TEXT_ATTRIBUTES,
    attribute_filter=_rich_text_attribute,
    url_schemes=URL_SCHEMES,
    link_rel="noopener noreferrer",
    strip_comments=True,
)
_text_cleaner = nh3.Cleaner(tags=set(), clean_content_tags={"script", "style"}, attributes={})


def clean_html(value: str) -> str:
    """Rich text reduced to the article allowlist (Wagtail's storage format kept)."""
    if not value:
        return ""
    return _rich_cleaner.clean(UNSAFE_CHARS.sub("", value))


def clean_text(value: str) -> str:
    """Plain text: markup and entities resolved to text, unsafe characters removed.

    The result is text, not HTML: templates escape it. Cleaning repeats until stable
    so that entity-encoded markup (``&lt;script&gt;``) cannot come back as a tag.
    """
    if not value:
        return value
    text = UNSAFE_CHARS.sub("", str(value))
    for _round in range(4):
        if not MARKUP_HINT.search(text):
            break
        cleaned = html.unescape(_text_cleaner.clean(text))
        cleaned = UNSAFE_CHARS.sub("", cleaned)
        if cleaned == text:
            break
        text = cleaned
    return text


def clean_url(value: str, schemes: frozenset[str] = frozenset({"http", "https"})) -> str:
    """The URL when its scheme is allowed (or it is site-relative), else ``""``."""
    if not value:
        return value
    url = UNSAFE_CHARS.sub("", str(value)).strip()
    # Browsers ignore tabs and newlines inside a scheme ("java\tscript:").
    probe = re.sub(r"[\s\x00-\x20]", "", url)
    try:
        scheme = urlsplit(probe).scheme.lower()
    except ValueError:
        return ""
    if not scheme:
        return url if probe.startswith("/") and not probe.startswith("//") else ""
    return url if scheme in schemes else ""
