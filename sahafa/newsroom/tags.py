"""Merging tags, as the newsroom does it: news' merge, recorded in the audit log.

The matching keys and the «هل تقصد» check are news' own (:mod:`sahafa.news.tags`).
"""

from __future__ import annotations

from django.db import transaction

from sahafa.news import tags as news_tags
from sahafa.news.models import NewsTag

from . import audit
from .models import AuditEvent


@transaction.atomic
def merge_tags(duplicate: NewsTag, keep: NewsTag, user=None) -> list[int]:
    """:func:`sahafa.news.tags.merge_tags`, and one audit event naming both tags.

    A merge into a nameless tag is refused (``ValidationError``, from news'
    ``check_merge_target``) before anything moves or is recorded."""
    name = duplicate.name
    article_ids = news_tags.merge_tags(duplicate, keep)
    audit.record(
        AuditEvent.TAG_MERGE,
        actor=user,
        subject=f"{name} ← {keep.name}",
        detail=f"{len(article_ids)}",
    )
    return article_ids
