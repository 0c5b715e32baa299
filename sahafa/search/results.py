"""From request parameters to a page of results a reader may see.

Shared by the HTML page, the JSON endpoint and the command line, so all three give
the same results.  Hits from the backend are read back through
``ArticlePage.objects.published()``: the publication rule is applied literally
before anything is shown.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.utils.dateparse import parse_date

from .backends import get_search_backend
from .backends.base import COUNT_LIMIT, MAX_OFFSET
from .documents import SearchFilters
from .highlight import highlight, snippet
from .query import MAX_QUERY_CHARS, analyse_query, clean_query

PAGE_SIZE = 10
MAX_PAGE = MAX_OFFSET // PAGE_SIZE


def _date(value: str | None) -> date | None:
    try:
        return parse_date((value or "").strip()[:10]) if value else None
    except ValueError:  # a well-formed but impossible date (2024-02-31)
        return None


def _page_number(value: str | None) -> int:
    try:
        return min(max(int(str(value or "1").strip()[:6]), 1), MAX_PAGE)
    except ValueError:
        return 1


@dataclass
class SearchRequest:
    """What the reader asked for, cleaned; unknown or malformed values are dropped."""

    q: str = ""
    section: str = ""
    author: str = ""
    tag: str = ""
    date_from: date | None = None
    date_to: date | None = None
    page: int = 1

    @classmethod
    def from_params(cls, params) -> SearchRequest:
        def text(name: str, limit: int = 120) -> str:
            return clean_query(params.get(name, ""))[:limit]

        return cls(
            q=text("q", MAX_QUERY_CHARS),
            section=text("section"),
            author=text("author"),
            tag=text("tag"),
            date_from=_date(params.get("from")),
            date_to=_date(params.get("to")),
            page=_page_number(params.get("page")),
        )

    def has_filters(self) -> bool:
        return bool(self.section or self.author or self.tag or self.date_from or self.date_to)


@dataclass
class ResultItem:
    article: object
    score: float
    title_html: str
    snippet_html: str


@dataclass
class ResultPage:
    request: SearchRequest
    items: list[ResultItem] = field(default_factory=list)
    total: int = 0
    empty_query: bool = False
    #: ``total`` is a lower bound: counting stopped above ``count_limit``.
    total_capped: bool = False
    #: No article had every word; these have some of them.
    partial: bool = False
    count_limit: int = COUNT_LIMIT

    @property
    def num_pages(self) -> int:
        return min(-(-self.total // PAGE_SIZE), MAX_PAGE)

    @property
    def has_next(self) -> bool:
        return self.request.page < self.num_pages

    @property
    def has_previous(self) -> bool:
        return self.request.page > 1


def _filters(req: SearchRequest) -> SearchFilters | None:
    """Filter ids for the request; None when a named section/author/tag does not exist."""
    from sahafa.news.models import Author, NewsTag, SectionPage

    section_id = author_id = tag_id = None
    if req.section:
        section_id = (
            SectionPage.objects.filter(slug=req.section).values_list("pk", flat=True).first()
        )
        if section_id is None:
            return None
    if req.author:
        author_id = Author.objects.filter(slug=req.author).values_list("pk", flat=True).first()
        if author_id is None:
            return None
    if req.tag:
        tag_id = NewsTag.objects.filter(slug=req.tag).values_list("pk", flat=True).first()
        if tag_id is None:
            return None
    return SearchFilters(section_id, author_id, tag_id, req.date_from, req.date_to)


def search_articles(req: SearchRequest) -> ResultPage:
    """Run ``req`` and return the page of published articles with highlighted snippets."""
    from sahafa.news.models import ArticlePage

    query = analyse_query(req.q)
    if query.is_empty:
        return ResultPage(req, empty_query=True)
    filters = _filters(req)
    if filters is None:
        return ResultPage(req)
    results = get_search_backend().search(
        query, filters=filters, offset=(req.page - 1) * PAGE_SIZE, limit=PAGE_SIZE
    )
    scores = {hit.id: hit.score for hit in results.hits}
    articles = ArticlePage.objects.published().filter(pk__in=scores).for_listing()
    by_id = {a.pk: a for a in articles}
    terms = query.highlight_terms()
    items = [
        ResultItem(
            article=by_id[hit.id],
            score=hit.score,
            title_html=highlight(by_id[hit.id].title, terms),
            snippet_html=snippet(by_id[hit.id].body_text, terms),
        )
        for hit in results.hits
        if hit.id in by_id
    ]
    # A hit the publication rule refused (a race with an unpublish) is not counted.
    total = max(results.total - (len(results.hits) - len(items)), 0)
    return ResultPage(
        req,
        items,
        min(total, COUNT_LIMIT),
        total_capped=results.total_capped,
        partial=results.query.any_term,
    )
