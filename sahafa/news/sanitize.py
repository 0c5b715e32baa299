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

The three gates are applied on ``pre_save`` of the reader-facing models
(:func:`connect`, called from ``NewsConfig.ready()``), so every path that writes
content — the admin, the importers, the demo loader, a shell — goes through them;
the page editor's form (:mod:`sahafa.news.forms`) applies them to what it builds
but does not save (the admin preview, the draft revision).

This module imports no model at import time: the upload storage of the newsroom
uses ``UNSAFE_CHARS`` and loads while models are still being defined.
"""

from __future__ import annotations

import html
import json
import re
from urllib.parse import urlsplit

import nh3
from django.db import models
from django.db.models.signals import pre_save

from sahafa.arabic import normalize

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


# The model-level gates: which fields of a saved instance pass which cleaner.

PAGE_TEXT_FIELDS = ("title", "draft_title", "seo_title", "search_description")
NOT_TEXT = (models.SlugField, models.EmailField, models.URLField)


def _clean_fields(instance, names=None) -> None:
    """Clean the text and URL fields declared on the instance's own model."""
    for field in instance._meta.concrete_fields:
        if names is not None and field.name not in names:
            continue
        value = getattr(instance, field.attname, None)
        if not isinstance(value, str) or not value:
            continue
        if isinstance(field, models.URLField):
            setattr(instance, field.attname, clean_url(value))
        elif isinstance(field, models.CharField | models.TextField) and not isinstance(
            field, NOT_TEXT
        ):
            if field.choices:
                continue
            setattr(instance, field.attname, clean_text(value))


def _own_field_names(instance) -> set[str]:
    """Fields a Page subclass declares itself (not Wagtail's tree bookkeeping)."""
    from wagtail.models import Page

    page_fields = {f.name for f in Page._meta.concrete_fields}
    return {f.name for f in instance._meta.concrete_fields if f.name not in page_fields}


def clean_block_value(block_type: str, value):
    """One body block's stored (JSON) value, cleaned by what the block renders as."""
    if block_type == "paragraph" and isinstance(value, str):
        return clean_html(value)
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, dict):
        cleaned = {}
        for key, item in value.items():
            if key == "url" and isinstance(item, str):
                cleaned[key] = clean_url(item)
            elif isinstance(item, str):
                cleaned[key] = clean_text(item)
            else:
                cleaned[key] = item
        return cleaned
    return value


def clean_stream(stream_value) -> list | None:
    """The cleaned raw data of a StreamField value, or None when nothing changed."""
    raw = list(stream_value.get_prep_value())
    changed = False
    for block in raw:
        new_value = clean_block_value(block.get("type", ""), block.get("value"))
        if new_value != block.get("value"):
            block["value"] = new_value
            changed = True
    return raw if changed else None


def sanitize_page(sender, instance, **kwargs) -> None:
    """``pre_save`` of a page: its own text fields, titles, SEO fields and body blocks
    (also called by the page editor's form on what it builds without saving)."""
    _clean_fields(instance, set(PAGE_TEXT_FIELDS) | _own_field_names(instance))
    body = getattr(instance, "body", None)
    if body is not None and hasattr(body, "get_prep_value"):
        cleaned = clean_stream(body)
        if cleaned is not None:
            instance.body = json.dumps(cleaned)


def sanitize_model(sender, instance, **kwargs) -> None:
    """``pre_save`` of an author, ticker item or the outlet settings: every text field."""
    _clean_fields(instance)


def sanitize_tag(sender, instance, **kwargs) -> None:
    """``pre_save`` of a tag: its name as plain text, its matching key kept in step."""
    cleaned = clean_text(instance.name)
    if cleaned != instance.name:
        instance.name = cleaned
        if hasattr(instance, "normalized"):
            instance.normalized = normalize(cleaned, "match")


def connect() -> None:
    """Clean reader-facing text on ``pre_save`` (called from ``NewsConfig.ready()``)."""
    from .models import (
        ArticlePage,
        Author,
        HomePage,
        NewsTag,
        OutletSettings,
        SectionPage,
        TickerItem,
    )

    for model in (ArticlePage, SectionPage, HomePage):
        pre_save.connect(
            sanitize_page, sender=model, dispatch_uid=f"sahafa.news.sanitize.{model.__name__}"
        )
    for model in (Author, TickerItem, OutletSettings):
        pre_save.connect(
            sanitize_model, sender=model, dispatch_uid=f"sahafa.news.sanitize.{model.__name__}"
        )
    pre_save.connect(sanitize_tag, sender=NewsTag, dispatch_uid="sahafa.news.sanitize.tag")
