"""The Django side of related topics: index articles, rank them, keep the lists stored.

All scoring is delegated to :mod:`sahafa.related.scoring`; this module only turns
articles into :class:`~sahafa.related.scoring.Document` s, keeps the tables of
:mod:`sahafa.related.models` in step, and decides whose lists a change touches.
Nothing here runs on a reader's request (see :mod:`sahafa.related.providers`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping, Sequence

from django.db import transaction
from django.db.models import Count, F, Min
from django.utils import timezone

from sahafa.news.models import ArticlePage

from . import scoring
from .memory import MemoryIndex
from .models import ArticleProfile, CorpusStat, Posting, RelatedArticle, TermStat
from .scoring import Candidate, Document, Key, Scored, Stats

logger = logging.getLogger("sahafa.related")

BATCH = 1000


def indexable():
    """Articles the engine indexes: the published ones."""
    return ArticlePage.objects.published()


def document_for(article: ArticlePage) -> Document:
    """The text fields of ``article`` as the scoring core reads them."""
    body = article.body_text
    if article.standfirst and body.startswith(article.standfirst):
        body = body[
            len(article.standfirst) :
        ]  # body_text starts with the standfirst: count it once
    when = article.first_published_at or article.latest_revision_created_at or timezone.now()
    return Document(
        key=article.pk,
        headline=article.title,
        standfirst=article.standfirst,
        body=body,
        tags=tuple(t.name for t in article.tags.all()),
        day=timezone.localdate(when).toordinal(),
        section=article.section_id,
        authors=tuple(sorted(a.pk for a in article.authors.all())),
    )


class DatabaseStore:
    """:class:`~sahafa.related.scoring.Store` over the ``Posting`` and ``ArticleProfile`` tables."""

    def postings(self, terms: Sequence[str]):
        return Posting.objects.filter(term__in=terms).values_list(
            "term", "article_id", "weight", "day", "section_id"
        )

    def candidates(self, keys: Sequence[Key]) -> Mapping[Key, Candidate]:
        rows = ArticleProfile.objects.filter(article_id__in=keys).values_list(
            "article_id", "day", "section_id", "authors", "fingerprint"
        )
        return {
            pk: Candidate(pk, day, section, tuple(authors), tuple(prints))
            for pk, day, section, authors, prints in rows
        }


def _stats(terms: Iterable[str]) -> Stats:
    corpus = CorpusStat.get()
    mean = corpus.total_length / corpus.documents if corpus.documents else 0.0
    df = dict(TermStat.objects.filter(term__in=list(terms)).values_list("term", "df"))
    return Stats(corpus.documents, mean, df)


def _candidate(profile: ArticleProfile) -> Candidate:
    return Candidate(
        profile.article_id,
        profile.day,
        profile.section_id,
        tuple(profile.authors),
        tuple(profile.fingerprint),
    )


@transaction.atomic
def index_article(article: ArticlePage) -> ArticleProfile:
    """(Re)compute the profile, signature and postings of one live article.

    Term statistics move by the difference between the old and the new term set,
    so an edit neither double-counts nor forgets a word.
    """
    analysed = scoring.profile(document_for(article))
    new_terms = set(analysed.tf)
    old = ArticleProfile.objects.filter(article_id=article.pk).first()
    old_terms = set(old.terms.split()) if old else set()
    added, removed = sorted(new_terms - old_terms), sorted(old_terms - new_terms)
    if added:
        TermStat.objects.bulk_create([TermStat(term=t, df=0) for t in added], ignore_conflicts=True)
        TermStat.objects.filter(term__in=added).update(df=F("df") + 1)
    if removed:
        TermStat.objects.filter(term__in=removed, df__gt=0).update(df=F("df") - 1)
    CorpusStat.get()
    CorpusStat.objects.filter(pk=1).update(
        documents=F("documents") + (0 if old else 1),
        total_length=F("total_length") + analysed.length - (old.length if old else 0.0),
    )
    sig = scoring.signature(analysed.tf, analysed.length, _stats(new_terms))
    c = analysed.candidate
    profile, _ = ArticleProfile.objects.update_or_create(
        article_id=article.pk,
        defaults={
            "day": c.day,
            "section_id": c.section,
            "authors": list(c.authors),
            "length": analysed.length,
            "terms": " ".join(sorted(new_terms)),
            "signature": sig,
            "fingerprint": list(c.fingerprint),
        },
    )
    Posting.objects.filter(article_id=article.pk).delete()
    Posting.objects.bulk_create(
        Posting(term=t, article_id=article.pk, weight=w, day=c.day, section_id=c.section)
        for t, w in sig.items()
    )
    return profile


@transaction.atomic
def unindex_article(pk: int) -> set[int]:
    """Forget an article that is no longer live; return the articles that listed it."""
    listing = set(RelatedArticle.objects.filter(target_id=pk).values_list("source_id", flat=True))
    old = ArticleProfile.objects.filter(article_id=pk).first()
    if old:
        terms = old.terms.split()
        TermStat.objects.filter(term__in=terms, df__gt=0).update(df=F("df") - 1)
        CorpusStat.get()
        CorpusStat.objects.filter(pk=1).update(
            documents=F("documents") - 1, total_length=F("total_length") - old.length
        )
        old.delete()
    Posting.objects.filter(article_id=pk).delete()
    RelatedArticle.objects.filter(source_id=pk).delete()
    RelatedArticle.objects.filter(target_id=pk).delete()
    return listing - {pk}


def save_list(source_id: int, ranked: Sequence[Scored]) -> None:
    with transaction.atomic():
        RelatedArticle.objects.filter(source_id=source_id).delete()
        RelatedArticle.objects.bulk_create(
            RelatedArticle(source_id=source_id, target_id=s.key, rank=n, score=round(s.score, 6))
            for n, s in enumerate(ranked, start=1)
        )


def rank_article(profile: ArticleProfile) -> list[Scored]:
    """Compute and store one article's list from the current index."""
    ranked = scoring.rank(profile.signature, _candidate(profile), DatabaseStore())
    save_list(profile.article_id, ranked)
    return ranked


def rerank(article_ids: Iterable[int]) -> set[int]:
    """Recompute the stored lists of indexed articles (their profiles are unchanged)."""
    done = set()
    for profile in ArticleProfile.objects.filter(article_id__in=list(article_ids)):
        rank_article(profile)
        done.add(profile.article_id)
    return done


def _lists_entered(ranked: Sequence[Scored]) -> set[int]:
    """Articles whose stored list ``ranked``'s source now beats (or fills).

    A pair's score is symmetric (similarity, distance in days, section), so the
    source enters B's list when its score with B tops B's weakest entry.
    """
    score = {s.key: s.score for s in ranked}
    heads = (
        RelatedArticle.objects.filter(source_id__in=list(score))
        .values("source_id")
        .annotate(n=Count("pk"), low=Min("score"))
    )
    known = {h["source_id"]: h for h in heads}
    entered = set()
    for pk, value in score.items():
        head = known.get(pk)
        if head is None or head["n"] < scoring.LIST_SIZE or value > head["low"]:
            entered.add(pk)
    return entered


def refresh(article_ids: Iterable[int]) -> set[int]:
    """Bring the engine up to date after ``article_ids`` changed; return every list rewritten.

    A live article is re-indexed and re-ranked, and so are the lists it leaves (those
    that showed it) and enters (its best matches whose weakest entry it beats). An
    article that is gone or no longer live is removed, and the lists that showed it
    are re-ranked without it.
    """
    changed: set[int] = set()
    for pk in dict.fromkeys(article_ids):
        article = indexable().filter(pk=pk).first()
        if article is None:
            neighbours = unindex_article(pk)
        else:
            listing = set(
                RelatedArticle.objects.filter(target_id=pk).values_list("source_id", flat=True)
            )
            profile = index_article(article)
            ranked = rank_article(profile)
            changed.add(pk)
            neighbours = (listing | _lists_entered(ranked)) - {pk}
        changed |= rerank(neighbours)
    return changed


# Above this many changed articles (an archive import), or a fifth of the site, one
# full rebuild in memory is faster than refreshing each article and its neighbours.
REBUILD_THRESHOLD = 300


def update(article_ids: Iterable[int]) -> set[int]:
    """Follow a change to ``article_ids``: refresh them and the lists they touch, or
    rebuild everything when the change is large. Returns the lists rewritten (every
    indexed article's after a rebuild). Safe to run twice: it reads the current state."""
    ids = sorted({int(pk) for pk in article_ids})
    if not ids:
        return set()
    if len(ids) > REBUILD_THRESHOLD or len(ids) * 5 > indexed_count():
        rebuild()
        return set(ArticleProfile.objects.values_list("article_id", flat=True))
    return refresh(ids)


def indexed_count() -> int:
    """How many articles the engine holds."""
    return ArticleProfile.objects.count()


def rebuild(progress: Callable[[Iterable, int, str], Iterable] | None = None) -> int:
    """Recompute everything from the live articles in one pass; return the article count.

    Profiles are analysed once and ranked in memory through the same scoring core,
    then every table is replaced in one transaction.
    """
    progress = progress or (lambda it, total, label: it)
    articles = indexable().order_by("pk").prefetch_related("tags", "authors")
    total = articles.count()
    profiles = [
        scoring.profile(document_for(a))
        for a in progress(articles.iterator(chunk_size=BATCH), total, "analyse")
    ]
    index = MemoryIndex(profiles)
    lists = {p.key: index.related(p.key) for p in progress(profiles, total, "rank")}
    with transaction.atomic():
        RelatedArticle.objects.all().delete()
        Posting.objects.all().delete()
        ArticleProfile.objects.all().delete()
        TermStat.objects.all().delete()
        write_index(index, lists)
    return total


def write_index(index: MemoryIndex, lists: Mapping[int, Sequence[Scored]] | None = None) -> None:
    """Write an in-memory index (and, when given, the ranked lists) into the engine's
    tables, which the caller has emptied; used by :func:`rebuild` and the speed bench."""
    profiles = list(index.profiles.values())
    CorpusStat.objects.update_or_create(
        pk=1,
        defaults={
            "documents": index.stats.documents,
            "total_length": sum(p.length for p in profiles),
        },
    )
    TermStat.objects.bulk_create(
        (TermStat(term=t, df=n) for t, n in index.stats.df.items()), batch_size=BATCH
    )
    ArticleProfile.objects.bulk_create(
        (
            ArticleProfile(
                article_id=p.key,
                day=p.candidate.day,
                section_id=p.candidate.section,
                authors=list(p.candidate.authors),
                length=p.length,
                terms=" ".join(sorted(p.tf)),
                signature=index.signatures[p.key],
                fingerprint=list(p.candidate.fingerprint),
            )
            for p in profiles
        ),
        batch_size=BATCH,
    )
    Posting.objects.bulk_create(
        (
            Posting(
                term=t,
                article_id=p.key,
                weight=w,
                day=p.candidate.day,
                section_id=p.candidate.section,
            )
            for p in profiles
            for t, w in index.signatures[p.key].items()
        ),
        batch_size=BATCH * 5,
    )
    RelatedArticle.objects.bulk_create(
        (
            RelatedArticle(source_id=pk, target_id=s.key, rank=n, score=round(s.score, 6))
            for pk, ranked in (lists or {}).items()
            for n, s in enumerate(ranked, start=1)
        ),
        batch_size=BATCH * 5,
    )
