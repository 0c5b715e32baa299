"""Sanitise reader-facing text on save and count failed sign-ins.

Sanitising is a ``pre_save`` receiver rather than code in ``news.models`` because
``news`` must not import the newsroom; every path that writes content — the admin,
the importers, the demo loader, a shell — goes through ``save()``.
"""

from __future__ import annotations

import json

from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.db import models
from django.db.models.signals import pre_save

from sahafa.newsroom.sanitize import clean_html, clean_text, clean_url

from . import throttle

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
    _clean_fields(instance, set(PAGE_TEXT_FIELDS) | _own_field_names(instance))
    body = getattr(instance, "body", None)
    if body is not None and hasattr(body, "get_prep_value"):
        cleaned = clean_stream(body)
        if cleaned is not None:
            instance.body = json.dumps(cleaned)


def sanitize_model(sender, instance, **kwargs) -> None:
    _clean_fields(instance)


def sanitize_tag(sender, instance, **kwargs) -> None:
    from sahafa.arabic import normalize

    cleaned = clean_text(instance.name)
    if cleaned != instance.name:
        instance.name = cleaned
        if hasattr(instance, "normalized"):
            instance.normalized = normalize(cleaned, "match")


def connect() -> None:
    from sahafa.news.models import (
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
            sanitize_page, sender=model, dispatch_uid=f"sahafa.newsroom.sanitize.{model.__name__}"
        )
    for model in (Author, TickerItem, OutletSettings):
        pre_save.connect(
            sanitize_model, sender=model, dispatch_uid=f"sahafa.newsroom.sanitize.{model.__name__}"
        )
    pre_save.connect(sanitize_tag, sender=NewsTag, dispatch_uid="sahafa.newsroom.sanitize.tag")
    user_login_failed.connect(throttle.record_failure, dispatch_uid="sahafa.newsroom.login_failed")
    user_logged_in.connect(throttle.record_success, dispatch_uid="sahafa.newsroom.logged_in")
