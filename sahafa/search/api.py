"""``/api/v1/search/``: the site search in the read API.

The same search as ``/search/`` and ``/search.json`` (:func:`.results.search_articles`,
which reads every hit back through ``ArticlePage.objects.published()``), as a
django-ninja router that the top floor (``sahafa/api.py``) mounts beside the content
router. Unlike ``/search.json``, which drops what it cannot use and says so, the API
refuses a malformed parameter with a 400 naming it.
"""

from __future__ import annotations

from datetime import datetime

from ninja import Field, Query, Router, Schema

from sahafa.news.addresses import absolute
from sahafa.news.api_types import ERROR_RESPONSES, TEXT_PATTERN, IsoDate, Slug, page_meta

from .query import MAX_FILTER_DATE, MAX_QUERY_CHARS, MIN_FILTER_DATE, clean_query
from .results import MAX_PAGE, PAGE_SIZE, SearchRequest, search_articles

router = Router(tags=["البحث"])


class SearchParams(Schema):
    q: str | None = Field(
        None,
        min_length=1,  # "q=" is refused by name (sahafa/api.py), as an empty filter is
        max_length=MAX_QUERY_CHARS,
        pattern=TEXT_PATTERN,
        description='كلمات البحث؛ "عبارة" بين علامتي تنصيص، و-كلمة لاستبعادها',
    )
    section: Slug | None = None
    author: Slug | None = None
    tag: Slug | None = None
    date_from: IsoDate | None = Field(None, description="من تاريخ (YYYY-MM-DD)")
    date_to: IsoDate | None = Field(None, description="إلى تاريخ (YYYY-MM-DD، شاملًا)")
    page: int = Field(1, ge=1, le=MAX_PAGE)


class SearchHitOut(Schema):
    id: int
    external_id: str | None
    title: str
    url: str
    section: str | None
    published_at: datetime | None
    score: float
    title_html: str = Field(description="العنوان وفيه كلمات البحث بين <mark>")
    snippet_html: str = Field(description="مقتطف من المتن وفيه كلمات البحث بين <mark>")


class SearchOut(Schema):
    query: str
    count: int
    count_capped: bool = Field(description="العدد حد أدنى: توقف العدّ عنده")
    partial: bool = Field(description="لا مقال يحوي كل الكلمات؛ هذه تحوي بعضها")
    page: int
    pages: int
    page_size: int
    next: str | None
    previous: str | None
    results: list[SearchHitOut]


def _usable(day):
    """A date the backends can search by (``query.filter_date_usable``); beyond those
    bounds no article lies, so the bound is simply dropped."""
    return day if day is not None and MIN_FILTER_DATE <= day <= MAX_FILTER_DATE else None


@router.get(
    "/search/",
    response={200: SearchOut, **ERROR_RESPONSES},
    summary="البحث في المقالات المنشورة",
    url_name="api_search",
)
def search(request, params: Query[SearchParams]):
    req = SearchRequest(
        q=clean_query(params.q or ""),
        section=clean_query(params.section or ""),
        author=clean_query(params.author or ""),
        tag=clean_query(params.tag or ""),
        date_from=_usable(params.date_from),
        date_to=_usable(params.date_to),
        page=params.page,
    )
    page = search_articles(req)
    # The page asked for may lie past the last: an empty page, as /search.json gives.
    pages = max(page.num_pages, 1)
    meta = page_meta(request, req.page, max(pages, req.page), page.total, PAGE_SIZE)
    if req.page >= pages:
        meta["next"] = None
    return {
        "query": req.q,
        "count": meta["count"],
        "count_capped": page.total_capped,
        "partial": page.partial,
        "page": req.page,
        "pages": pages,
        "page_size": PAGE_SIZE,
        "next": meta["next"],
        "previous": meta["previous"],
        "results": [
            {
                "id": item.article.pk,
                "external_id": item.article.external_id,
                "title": item.article.title,
                "url": absolute(item.article.url),
                "section": item.article.section.title if item.article.section_id else None,
                "published_at": item.article.published_at,
                "score": item.score,
                "title_html": item.title_html,
                "snippet_html": item.snippet_html,
            }
            for item in page.items
        ],
    }
