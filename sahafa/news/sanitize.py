"""Sanitising what editors, importers and settings put in front of readers.

Every text that reaches a public page passes one of three gates on save:

- ``clean_html``: rich text (Wagtail's stored form, with ``linktype`` links) keeps
  an allowlist of tags and safe link targets; scripts, event handlers,
  ``javascript:``/``data:`` links and unknown tags go.
- ``clean_text``: plain fields (titles, captions, names, ticker lines) lose any
  markup, control characters and bidi *overrides* (the "RTL override" spoofing
  trick); Arabic joiners and direction marks stay.
- ``clean_url``: link fields keep only ``http``/``https`` (and ``mailto``) URLs.

Sanitising never produces an empty required value: a required field or body block
whose text would be all markup (``<b></b>``, ``<img src=x onerror=…>``) is refused
with a validation error naming it (:func:`check_required_text`), never saved empty —
an empty heading or title would otherwise block the next editor's publish. The
models' ``clean()`` and the body block's ``clean()`` refuse it when it is entered;
the ``pre_save`` gates refuse it on every other path (importers, the shell).

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
import unicodedata
from urllib.parse import urlsplit

import nh3
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.signals import pre_save
from django.utils.translation import gettext_lazy as _

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
# Only to tell whether a value held any text at all: tags go, their content stays.
_tags_stripper = nh3.Cleaner(tags=set(), clean_content_tags=set(), attributes={})


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


# Required values: refused, never emptied.

EMPTIED_MESSAGE = _(
    "«%(field)s» لا يبقى منه نص بعد حذف الوسوم (HTML) والرموز غير المسموح بها منه: اكتب نصاً عادياً."
)
EMPTIED_BLOCK_MESSAGE = _(
    "الكتلة رقم %(number)s («%(block)s») في المتن: «%(field)s» لا يبقى منه نص بعد حذف "
    "الوسوم (HTML) والرموز غير المسموح بها منه."
)
# Not text a reader sees: whitespace, controls, format characters (joiners, direction
# marks) and combining marks on nothing.
_INVISIBLE_CATEGORIES = {"Cc", "Cf", "Mn", "Me", "Zs", "Zl", "Zp"}


def has_visible_text(value: str | None) -> bool:
    """Whether ``value`` holds at least one character a reader would see."""
    return bool(value) and any(
        unicodedata.category(ch) not in _INVISIBLE_CATEGORIES and not ch.isspace() for ch in value
    )


def emptied_by_cleaning(value: str | None, kind: str = "text") -> bool:
    """Whether cleaning leaves nothing a reader sees of a value that was not blank
    (all markup, entities or invisible characters).

    ``kind`` is the gate the value passes: ``"text"`` (:func:`clean_text`), ``"html"``
    (:func:`clean_html`, judged by the text it keeps) or ``"url"`` (:func:`clean_url`).
    A value empty already is not "emptied": the field's own required check owns it.
    """
    if not isinstance(value, str) or not value.strip():
        return False
    if kind == "url":
        return not clean_url(value)
    if kind == "html":
        # Rich text "had something" when it had text, the text of a script included:
        # an empty editor is stored as ``<p data-block-key="…"></p>``, which is no
        # text, and was never refused.
        return has_visible_text(_tags_stripper.clean(value)) and not has_visible_text(
            clean_text(clean_html(value))
        )
    return not has_visible_text(clean_text(value))


# The model-level gates: which fields of a saved instance pass which cleaner.

PAGE_TEXT_FIELDS = ("title", "draft_title", "seo_title", "search_description")
NOT_TEXT = (models.SlugField, models.EmailField, models.URLField)


def _cleaned_fields(instance, names=None):
    """(field, kind) for each text or URL field of the instance that a gate cleans."""
    from wagtail.fields import RichTextField

    for field in instance._meta.concrete_fields:
        if names is not None and field.name not in names:
            continue
        if isinstance(field, RichTextField):
            yield field, "html"
        elif isinstance(field, models.URLField):
            yield field, "url"
        elif (
            isinstance(field, models.CharField | models.TextField)
            and not isinstance(field, NOT_TEXT)
            and not field.choices
        ):
            yield field, "text"


def required_text_errors(
    instance, names=None, required_only: bool = True
) -> dict[str, ValidationError]:
    """The instance's required (``blank=False``) text and URL fields that cleaning
    would empty, each with its error: what ``clean()`` and the gates refuse.
    ``required_only=False``: the optional ones of ``names`` too."""
    errors = {}
    for field, kind in _cleaned_fields(instance, names):
        value = getattr(instance, field.attname, None)
        if (not field.blank or not required_only) and emptied_by_cleaning(value, kind):
            errors[field.name] = ValidationError(
                EMPTIED_MESSAGE,
                code="emptied_by_cleaning",
                params={"field": field.verbose_name},
            )
    return errors


def check_required_text(instance, names=None) -> None:
    """Raise ``ValidationError`` (by field) for :func:`required_text_errors`: the
    models' ``clean()`` calls it, so the admin shows it at the field."""
    errors = required_text_errors(instance, names)
    if errors:
        raise ValidationError(errors)


def check_emptied_text(instance, names) -> None:
    """:func:`check_required_text` for the fields ``names``, optional or not: for an
    optional text whose whole value is markup (a policy text that is one ``<script>``),
    where saving it emptied would silently leave the page without it."""
    errors = required_text_errors(instance, names, required_only=False)
    if errors:
        raise ValidationError(errors)


def _clean_fields(instance, names=None) -> None:
    """Clean the text and URL fields declared on the instance's own model; refuse
    (``ValidationError``) when that would empty a required one."""
    check_required_text(instance, names)
    for field, kind in _cleaned_fields(instance, names):
        value = getattr(instance, field.attname, None)
        if not isinstance(value, str) or not value:
            continue
        cleaner = {"url": clean_url, "html": clean_html}.get(kind, clean_text)
        setattr(instance, field.attname, cleaner(value))


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


def _block_kind(block) -> str:
    from wagtail import blocks

    if isinstance(block, blocks.RichTextBlock):
        return "html"
    if isinstance(block, blocks.URLBlock):
        return "url"
    return "text"


def _declared_required(block) -> bool:
    # While Wagtail defers required checks (saving a draft) a field block reports
    # required=False and keeps what it declared in ``_original_required``; sanitising
    # empties a draft's value all the same, so the declared value decides.
    if getattr(block, "is_deferred_validation", False):
        return getattr(block, "_original_required", block.required)
    return getattr(block, "required", False)


def required_block_parts(block, value):
    """(name, label, kind, text) of each required text part of one body block: ``""``
    for the block's own value, a child's name in a StructBlock.

    ``value`` may be the stored (JSON) form or the block's own (``RichText``,
    ``StructValue``): both are read as text. URLs are left out: the embed block
    refuses a non-web address itself (``SafeEmbedBlock.clean``), and the importers'
    path stores a hostile one as ``""`` (the XSS suite feeds payloads as embed
    addresses and expects them kept harmless, not refused).
    """
    from wagtail import blocks

    if isinstance(block, blocks.StructBlock):
        items = value if isinstance(value, dict) else {}
        children = [(name, child, items.get(name)) for name, child in block.child_blocks.items()]
    else:
        children = [("", block, value)]
    for name, child, item in children:
        kind = _block_kind(child)
        if kind != "url" and _declared_required(child):
            text = getattr(item, "source", item)
            yield name, child.label, kind, text if isinstance(text, str) else ""


def emptied_block_parts(block, value) -> list[tuple[str, object]]:
    """(name, label) of each required text part of one body block that cleaning would
    empty (see :func:`required_block_parts`)."""
    return [
        (name, label)
        for name, label, kind, text in required_block_parts(block, value)
        if emptied_by_cleaning(text, kind)
    ]


def check_stream(stream_block, raw) -> None:
    """Raise ``ValidationError`` naming the first body block (by its number) whose
    required text cleaning would empty; the gate behind the block form's own check
    (:meth:`sahafa.news.blocks.ArticleBodyBlock.clean`)."""
    for number, item in enumerate(raw, start=1):
        block = stream_block.child_blocks.get(item.get("type", ""))
        if block is None:
            continue
        for _name, label in emptied_block_parts(block, item.get("value")):
            raise ValidationError(
                EMPTIED_BLOCK_MESSAGE,
                code="emptied_by_cleaning",
                params={"number": number, "block": block.label, "field": label},
            )


def clean_stream(stream_value) -> list | None:
    """The cleaned raw data of a StreamField value, or None when nothing changed;
    ``ValidationError`` when cleaning would empty a required block (:func:`check_stream`)."""
    raw = list(stream_value.get_prep_value())
    check_stream(stream_value.stream_block, raw)
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
    """``pre_save`` of an author, ticker item, article correction or the outlet
    settings: every text field (rich text through :func:`clean_html`)."""
    _clean_fields(instance)


def clean_tag_name(name: str) -> str:
    """A tag name as stored: plain text, display-normalised (``NewsTag.save``).

    ``ValidationError`` when that leaves nothing a reader sees (``<script>…</script>``,
    ``<b></b>``, a tatweel alone): a tag with an empty name has no page, no link text
    and an odd address.
    """
    cleaned = normalize(clean_text(name or ""), "display")
    if not has_visible_text(cleaned):
        raise ValidationError(
            EMPTIED_MESSAGE, code="emptied_by_cleaning", params={"field": _("اسم الوسم")}
        )
    return cleaned


def sanitize_tag(sender, instance, **kwargs) -> None:
    """``pre_save`` of a tag: its name as plain text, its matching key kept in step;
    refused (``ValidationError``) when that would empty the name."""
    if has_visible_text(instance.name):
        clean_tag_name(instance.name)
    cleaned = clean_text(instance.name)
    if cleaned != instance.name:
        instance.name = cleaned
        if hasattr(instance, "normalized"):
            instance.normalized = normalize(cleaned, "match")


def connect() -> None:
    """Clean reader-facing text on ``pre_save`` (called from ``NewsConfig.ready()``)."""
    from .models import (
        ArticlePage,
        ArticlePageCorrection,
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
    for model in (Author, TickerItem, OutletSettings, ArticlePageCorrection):
        pre_save.connect(
            sanitize_model, sender=model, dispatch_uid=f"sahafa.news.sanitize.{model.__name__}"
        )
    pre_save.connect(sanitize_tag, sender=NewsTag, dispatch_uid="sahafa.news.sanitize.tag")
