"""The admin endpoint behind the editor's tag suggestions."""

from __future__ import annotations

from django.core.cache import cache
from django.db.models import Count, Max
from django.http import JsonResponse
from django.views.decorators.http import require_POST

from sahafa.news.models import NewsTag

from .models import CorpusStat, TermStat
from .scoring import Document
from .suggest import TagTerms, key_phrases, rank_tags, tag_terms

MAX_TEXT = 200_000  # characters read from a draft


def vocabulary() -> list[TagTerms]:
    """The site's tags with their analysed terms, cached until a tag is added or removed."""
    shape = NewsTag.objects.aggregate(n=Count("pk"), last=Max("pk"))
    key = f"sahafa:related:tag-vocabulary:{shape['n']}:{shape['last']}"
    tags = cache.get(key)
    if tags is None:
        tags = [tag_terms(name) for name in NewsTag.objects.values_list("name", flat=True)]
        cache.set(key, tags, 3600)
    return tags


@require_POST
def suggest_tags(request):
    """POST title, standfirst, body (and tags already chosen, comma-separated) → suggestions.

    Reached under /admin/, so Wagtail's admin-access check applies (login redirect for
    anonymous users, refusal for users without admin access).
    """
    data = request.POST
    doc = Document(
        key=None,
        headline=data.get("title", "")[:1000],
        standfirst=data.get("standfirst", "")[:5000],
        body=data.get("body", "")[:MAX_TEXT],
        tags=tuple(t.strip().strip('"') for t in data.get("tags", "").split(",") if t.strip()),
    )
    tags = vocabulary()
    terms = {t for tag in tags for t in tag.terms}
    df = dict(TermStat.objects.filter(term__in=terms).values_list("term", "df")) if terms else {}
    documents = CorpusStat.get().documents
    chosen = {t.strip() for t in doc.tags}
    suggested = rank_tags(doc, tags, df, documents)
    names = {s.name for s in suggested} | chosen
    phrases = [
        p
        for p in key_phrases(f"{doc.headline}\n{doc.standfirst}\n{doc.body}", tags)
        if p.name not in names
    ]
    return JsonResponse(
        {
            "tags": [{"name": s.name, "score": s.score} for s in suggested],
            "phrases": [
                {"name": p.name, "count": int(p.score), "existing": p.existing} for p in phrases
            ],
        }
    )
