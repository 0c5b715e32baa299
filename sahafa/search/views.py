"""The search page and its JSON twin."""

from __future__ import annotations

from django.http import JsonResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from .query import filter_date_usable
from .results import ResultPage, SearchRequest, search_articles


def reader_request(params) -> tuple[SearchRequest, list[str]]:
    """The reader's search, and Arabic notices for the dates it could not use.

    A from/to date that is malformed or outside what can be searched by
    (``filter_date_usable``: «to 9999-12-31» would overflow the day added to an
    inclusive end) is dropped, and the search runs without it: the rest of what the
    reader asked for still gets an answer, and the notice says what was left out.
    """
    req = SearchRequest.from_params(params)
    notices = []
    for attr, name, label in (
        ("date_from", "from", _("تاريخ البداية")),
        ("date_to", "to", _("تاريخ النهاية")),
    ):
        value = getattr(req, attr)
        if value is not None and not filter_date_usable(value):
            setattr(req, attr, None)
            value = None
        given = str(params.get(name) or "").strip()
        if given and value is None:
            notices.append(
                _("تجاهلنا %(label)s «%(value)s»: ليس تاريخًا يمكن البحث به.")
                # Isolated (FSI … PDI): what the reader typed may mix scripts, and
                # must not reorder the Arabic sentence around it.
                % {"label": label, "value": f"\u2068{given[:20]}\u2069"}
            )
    return req, notices


def _suggestions(page: ResultPage) -> list[str]:
    """Arabic hints for a search that found nothing."""
    tips = [
        _("تأكد من كتابة الكلمات، أو جرّب كلمات أخرى بالمعنى نفسه."),
        _("استخدم كلمات أقل أو أعمّ."),
    ]
    if page.request.has_filters():
        tips.insert(0, _("أزل بعض عوامل التصفية (القسم أو الكاتب أو الوسم أو التاريخ)."))
    if '"' in page.request.q:
        tips.append(_("احذف علامات الاقتباس للبحث عن الكلمات متفرقة."))
    return tips


@require_GET
def search_page(request):
    req, notices = reader_request(request.GET)
    page = search_articles(req)
    from sahafa.news.models import SectionPage

    for item in page.items:
        item.title_html = mark_safe(item.title_html)  # noqa: S308 - escaped by highlight()
        item.snippet_html = mark_safe(item.snippet_html)  # noqa: S308 - escaped by snippet()
    context = {
        "search_query": req.q,
        "search": req,
        "results": page,
        "sections": SectionPage.objects.live().order_by("path"),
        "suggestions": _suggestions(page) if not page.items else [],
        "date_from": req.date_from.isoformat() if req.date_from else "",
        "date_to": req.date_to.isoformat() if req.date_to else "",
        "notices": notices,
    }
    return render(request, "search/search_page.html", context)


@require_GET
def search_json(request):
    req, notices = reader_request(request.GET)
    page = search_articles(req)
    return JsonResponse(
        {
            "query": req.q,
            "page": req.page,
            "num_pages": page.num_pages,
            "total": page.total,
            "total_capped": page.total_capped,
            "partial": page.partial,
            "results": [
                {
                    "id": item.article.external_id or str(item.article.pk),
                    "page_id": item.article.pk,
                    "title": item.article.title,
                    "url": item.article.url,
                    "section": item.article.section.title if item.article.section_id else None,
                    "published_at": item.article.published_at.isoformat()
                    if item.article.published_at
                    else None,
                    "score": item.score,
                    "title_html": item.title_html,
                    "snippet_html": item.snippet_html,
                }
                for item in page.items
            ],
            "message": "" if page.items else _("لم نعثر على نتائج مطابقة لبحثك."),
            "notices": notices,
        },
        json_dumps_params={"ensure_ascii": False},
    )
