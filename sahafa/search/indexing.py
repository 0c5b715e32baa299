"""Keeping the search index in step with the published articles.

The index holds every published article. The publishing task calls
:func:`index_articles` with the ids of each change (on the worker, after the change
has committed; inline with the immediate backend of the tests); result pages are finally read through
``ArticlePage.objects.published()``, so an article unpublished a moment ago, before
that task ran, never reaches a reader.

Tag names are deliberately NOT added to the stemmer's protected words here: the
protected list changes stems, so it must be identical in every process that
indexes or searches (web workers, importers, the CLI), or a word indexed under one
stem is searched under another.  The toolkit's built-in list is the shared one.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator

from .backends import get_search_backend
from .documents import SearchDocument

logger = logging.getLogger("sahafa.search")

_BATCH = 200


def _indexable():
    from sahafa.news.models import ArticlePage

    return (
        ArticlePage.objects.published()
        .select_related("section")
        .prefetch_related("authors", "tags")
    )


def document_for(article) -> SearchDocument:
    """The index's view of one article page."""
    tags = list(article.tags.all())
    authors = list(article.authors.all())
    return SearchDocument(
        id=article.pk,
        title=article.title,
        external_id=article.external_id,
        kicker=article.kicker,
        standfirst=article.standfirst,
        body="\n".join(p for p in article.body_text.split("\n") if p != article.standfirst),
        tags=tuple(t.name for t in tags),
        authors=tuple(a.name for a in authors),
        section=article.section.title if article.section_id else "",
        section_id=article.section_id,
        author_ids=tuple(a.pk for a in authors),
        tag_ids=tuple(t.pk for t in tags),
        published_at=article.first_published_at or article.last_published_at,
    )


def _chunks(ids: list[int], size: int) -> Iterator[list[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def index_articles(ids: Iterable[int]) -> tuple[int, int]:
    """Index the live articles among ``ids`` and remove the others; return (indexed, removed)."""
    ids = sorted({int(i) for i in ids})
    backend = get_search_backend()
    indexed = removed = 0
    for chunk in _chunks(ids, _BATCH):
        pages = list(_indexable().filter(pk__in=chunk))
        indexed += backend.index_documents(document_for(p) for p in pages)
        gone = set(chunk) - {p.pk for p in pages}
        if gone:
            removed += backend.remove(gone)
    return indexed, removed


def remove_articles(ids: Iterable[int]) -> int:
    """Remove these articles from the index (used on delete)."""
    return get_search_backend().remove(ids)


def rebuild(progress: Callable[[int], None] | None = None) -> int:
    """Empty the index and index every live article; ``progress(n)`` after each batch."""
    from sahafa.news.models import ArticlePage

    backend = get_search_backend()
    backend.clear()
    ids = list(ArticlePage.objects.published().order_by("pk").values_list("pk", flat=True))
    total = 0
    for chunk in _chunks(ids, _BATCH):
        pages = _indexable().filter(pk__in=chunk)
        n = backend.index_documents(document_for(p) for p in pages)
        total += n
        if progress:
            progress(len(chunk))
    backend.optimize()
    logger.info("search index rebuilt: %d articles", total)
    return total
