"""Related topics (موضوعات متعلقة) for an article, behind one function.

Editors' pins come first and their exclusions are honoured; the rest of the list
comes from a ranking provider. The default provider here (same section or shared
tags, newest first) is replaced by ``sahafa.related`` through the
``SAHAFA_RELATED_PROVIDER`` setting, so this app never imports it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import Q
from django.utils.module_loading import import_string

if TYPE_CHECKING:
    from .models import ArticlePage

Provider = Callable[["ArticlePage", int, set[int]], list["ArticlePage"]]


def same_section_or_tag(
    article: ArticlePage, limit: int, exclude_ids: set[int]
) -> list[ArticlePage]:
    """Published articles of the same section or sharing a tag, newest first."""
    from .models import ArticlePage

    tag_ids = [t.pk for t in article.tags.all()]
    match = Q(section_id=article.section_id)
    if tag_ids:
        match |= Q(tagged_items__tag_id__in=tag_ids)
    candidates = (
        ArticlePage.objects.published()
        .filter(match)
        .exclude(pk__in=exclude_ids | {article.pk})
        .distinct()
        .newest_first()
        .for_listing()
    )
    return list(candidates[:limit])


def get_provider() -> Provider:
    dotted = getattr(settings, "SAHAFA_RELATED_PROVIDER", "")
    return import_string(dotted) if dotted else same_section_or_tag


def related_articles(article: ArticlePage, limit: int = 6) -> list[ArticlePage]:
    """The related-topics list shown under ``article``: pins, then ranked articles."""
    from .models import ArticlePage

    # The article page's own query says whether editors pinned or excluded anything
    # (ArticlePageQuerySet.for_article_page); most articles have neither, and then
    # neither list is read. Without that answer (a preview, the API), both are read.
    excluded: set[int] = set()
    if getattr(article, "has_related_exclusions", True):
        excluded = set(article.related_exclusions.values_list("target_id", flat=True))
    pin_ids: list[int] = []
    if getattr(article, "has_related_pins", True):
        pin_ids = [
            pk
            for pk in article.related_pins.values_list("target_id", flat=True)
            if pk not in excluded
        ]
    pinned = {}
    if pin_ids:
        pinned = {
            a.pk: a for a in ArticlePage.objects.published().filter(pk__in=pin_ids).for_listing()
        }
    result = [pinned[pk] for pk in pin_ids if pk in pinned][:limit]
    if len(result) < limit:
        skip = excluded | {a.pk for a in result} | {article.pk}
        result += get_provider()(article, limit - len(result), skip)
    return result
