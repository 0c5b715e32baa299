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
        # A fixed order (the term index's own, so free on SQLite): similarity is a float
        # sum, and the same postings added in the same order give the same score on
        # every backend and through the batch cache (:class:`BatchStore`).
        return (
            Posting.objects.filter(term__in=terms)
            .order_by("term", "pk")
            .values_list("term", "article_id", "weight", "day", "section_id")
        )

    def candidates(self, keys: Sequence[Key]) -> Mapping[Key, Candidate]:
        rows = ArticleProfile.objects.filter(article_id__in=keys).values_list(
            "article_id", "day", "section_id", "authors", "fingerprint"
        )
        return {
            pk: Candidate(pk, day, section, tuple(authors), tuple(prints))
            for pk, day, section, authors, prints in rows
        }


class BatchStore:
    """:class:`DatabaseStore` read once per batch: each term's postings and each
    candidate's facts are fetched the first time a ranking asks for them, then kept.

    Only valid while the index does not change, i.e. for ranking many lists against
    one state of it (the end of a batch). Yields exactly what :class:`DatabaseStore`
    yields, in the same order, so ranks through it are identical."""

    def __init__(self) -> None:
        self._postings: dict[str, list[tuple[str, int, float, int, int | None]]] = {}
        self._candidates: dict[Key, Candidate | None] = {}

    def postings(self, terms: Sequence[str]):
        missing = [t for t in terms if t not in self._postings]
        for chunk in _chunks(missing):
            for t in chunk:
                self._postings[t] = []
            for row in DatabaseStore().postings(chunk):
                self._postings[row[0]].append(row)
        for term in sorted(set(terms)):
            yield from self._postings[term]

    def candidates(self, keys: Sequence[Key]) -> Mapping[Key, Candidate]:
        missing = [k for k in keys if k not in self._candidates]
        for chunk in _chunks(missing):
            found = DatabaseStore().candidates(chunk)
            for k in chunk:
                self._candidates[k] = found.get(k)
        return {k: c for k in keys if (c := self._candidates[k]) is not None}


# Ids or terms per IN (…) list: far below SQLite's bound on query parameters.
IN_CHUNK = 900


def _chunks(items: Sequence, size: int = IN_CHUNK) -> Iterable[Sequence]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


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
    return _entered({s.key: s.score for s in ranked})


def _entered(best: Mapping[int, float]) -> set[int]:
    """The articles of ``best`` whose stored list a score of ``best[pk]`` would enter:
    it is not full, or the score tops its weakest entry."""
    entered = set()
    for chunk in _chunks(list(best)):
        heads = (
            RelatedArticle.objects.filter(source_id__in=chunk)
            .values("source_id")
            .annotate(n=Count("pk"), low=Min("score"))
        )
        known = {h["source_id"]: h for h in heads}
        for pk in chunk:
            head = known.get(pk)
            if head is None or head["n"] < scoring.LIST_SIZE or best[pk] > head["low"]:
                entered.add(pk)
    return entered


def refresh_each(article_ids: Iterable[int]) -> set[int]:
    """:func:`refresh` one article at a time: index it, rank it, re-rank its neighbours.

    The reference the batch path is tested against (``tests/related/test_related_batch.py``):
    it writes the same index (statistics, profiles, signatures, postings). Its lists
    differ only where it ranked an article before the later ones of the batch existed
    and nothing ranked it again: a stale list, which the batch path does not leave.
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


def refresh(article_ids: Iterable[int]) -> set[int]:
    """Bring the engine up to date after ``article_ids`` changed; return the articles
    whose stored list changed (a list ranked again to the same entries is not rewritten).

    A live article is re-indexed and re-ranked, and so are the lists it leaves (those
    that showed it) and enters (its best matches whose weakest entry it beats). An
    article that is gone or no longer live is removed, and the lists that showed it
    are re-ranked without it.

    The whole batch at once: its articles read in one query, its statistics, profiles
    and postings written in a few statements (:func:`_index_batch`, which reproduces
    the statistics one-by-one indexing would have seen, so every signature is the
    same), then every list it touches ranked once, against the final index, through
    one :class:`BatchStore`. One-by-one (:func:`refresh_each`) re-ranks a neighbour
    after each article that touches it, and ranks an article before the later ones of
    its batch exist; here each list is ranked once, with all of them present.

    Why a list left alone needs no ranking: it shows none of the batch (else it is in
    ``listing``), and no batch article scores above its weakest entry (else
    :func:`_entered` names it). Ranking it again would walk the same entries first and
    keep them, as diversifying only ever drops an item for one kept before it. (The
    one gap: an article outside a batch article's ``CANDIDATE_POOL`` best matches is
    not looked at — there the pair shares less than 150 better matches do.)
    """
    ids = [int(pk) for pk in dict.fromkeys(article_ids)]
    if not ids:
        return set()
    articles = {}
    for chunk in _chunks(ids):
        articles.update(
            (a.pk, a) for a in indexable().filter(pk__in=chunk).prefetch_related("tags", "authors")
        )
    analysed = {pk: scoring.profile(document_for(articles[pk])) for pk in ids if pk in articles}
    # The lists showing an article before the change: it may leave them (or is gone).
    listing = set()
    for chunk in _chunks(ids):
        listing.update(
            RelatedArticle.objects.filter(target_id__in=chunk).values_list("source_id", flat=True)
        )
    with transaction.atomic():
        signed = _index_batch(ids, analysed)
    store = BatchStore()
    lists: dict[int, list[Scored]] = {}
    best: dict[int, float] = {}
    for pk, (sig, c) in signed.items():
        pool = scoring.match(sig, c, store)  # scoring.rank, in its two steps
        lists[pk] = scoring.diversify(c, pool, store.candidates([s.key for s in pool]))
        # Entering is judged on the whole candidate pool, not only on the article's own
        # list: the score is symmetric but the lists are not (B may take A when A's
        # list is too full of better matches to show B), and one by one catches some
        # of those only by the accident of ranking A early. Below MIN_SCORE nothing enters.
        for s in pool:
            if s.score >= scoring.MIN_SCORE:
                best[s.key] = max(s.score, best.get(s.key, s.score))
    neighbours = sorted((listing | _entered(best)) - set(ids))
    for chunk in _chunks(neighbours):
        for profile in ArticleProfile.objects.filter(article_id__in=chunk):
            lists[profile.article_id] = scoring.rank(profile.signature, _candidate(profile), store)
    return _save_lists(lists)


def _index_batch(
    ids: Sequence[int], analysed: Mapping[int, scoring.Profile]
) -> dict[int, tuple[dict[str, float], Candidate]]:
    """Index the live articles of ``ids`` (``analysed``) and unindex the others, in bulk;
    return each live one's signature and ranking facts. Runs in the caller's transaction.

    The statistics move as :func:`index_article` / :func:`unindex_article` would move
    them one article after another, in the order of ``ids``: replayed in memory, so
    each signature sees the document frequencies and corpus size it would have seen,
    then written as one delta per term.
    """
    CorpusStat.get()
    # Locked to the end of the transaction: the corpus row is written with the values
    # replayed here, so two batches must not interleave.
    corpus = CorpusStat.objects.select_for_update().get(pk=1)
    old: dict[int, ArticleProfile] = {}
    for chunk in _chunks(list(ids)):
        old.update(
            (p.article_id, p)
            for p in ArticleProfile.objects.filter(article_id__in=chunk).only(
                "article_id", "terms", "length"
            )
        )
    old_terms = {pk: set(p.terms.split()) for pk, p in old.items()}
    touched = sorted(set().union(*old_terms.values(), *(set(a.tf) for a in analysed.values())))
    df0: dict[str, int] = {}
    for chunk in _chunks(touched):
        df0.update(TermStat.objects.filter(term__in=chunk).values_list("term", "df"))
    df = dict(df0)
    documents, total = corpus.documents, corpus.total_length
    signed: dict[int, tuple[dict[str, float], Candidate]] = {}
    for pk in ids:
        before = old.get(pk)
        was = old_terms.get(pk, set())
        a = analysed.get(pk)
        if a is None:  # gone or no longer live: as unindex_article
            if before is not None:
                for t in was:
                    if df.get(t, 0) > 0:
                        df[t] -= 1
                documents -= 1
                total = total - before.length
            continue
        now = set(a.tf)
        for t in now - was:
            df[t] = df.get(t, 0) + 1
        for t in was - now:
            if df.get(t, 0) > 0:
                df[t] -= 1
        documents += 0 if before else 1
        total = total + (a.length - (before.length if before else 0.0))
        mean = total / documents if documents else 0.0
        stats = Stats(documents, mean, {t: df[t] for t in now})
        signed[pk] = (scoring.signature(a.tf, a.length, stats), a.candidate)

    created = [t for t in df if t not in df0]
    TermStat.objects.bulk_create(
        (TermStat(term=t, df=0) for t in created), ignore_conflicts=True, batch_size=BATCH
    )
    by_delta: dict[int, list[str]] = {}
    for t, n in df.items():
        if n != df0.get(t, 0):
            by_delta.setdefault(n - df0.get(t, 0), []).append(t)
    for delta, terms in by_delta.items():
        for chunk in _chunks(terms):
            # The df__gte guard keeps a concurrent one-by-one writer from driving it negative.
            TermStat.objects.filter(term__in=chunk, df__gte=max(-delta, 0)).update(
                df=F("df") + delta
            )
    CorpusStat.objects.filter(pk=1).update(documents=documents, total_length=total)

    gone = [pk for pk in ids if pk not in analysed]
    for chunk in _chunks(list(ids)):
        Posting.objects.filter(article_id__in=chunk).delete()
        ArticleProfile.objects.filter(article_id__in=chunk).delete()
    for chunk in _chunks(gone):
        RelatedArticle.objects.filter(source_id__in=chunk).delete()
        RelatedArticle.objects.filter(target_id__in=chunk).delete()
    ArticleProfile.objects.bulk_create(
        (
            ArticleProfile(
                article_id=pk,
                day=c.day,
                section_id=c.section,
                authors=list(c.authors),
                length=analysed[pk].length,
                terms=" ".join(sorted(analysed[pk].tf)),
                signature=sig,
                fingerprint=list(c.fingerprint),
            )
            for pk, (sig, c) in signed.items()
        ),
        batch_size=BATCH,
    )
    Posting.objects.bulk_create(
        (
            Posting(term=t, article_id=pk, weight=w, day=c.day, section_id=c.section)
            for pk, (sig, c) in signed.items()
            for t, w in sig.items()
        ),
        batch_size=BATCH * 5,
    )
    return signed


def _save_lists(lists: Mapping[int, Sequence[Scored]]) -> set[int]:
    """Store ``lists`` where they differ from the stored ones, in one transaction;
    return the articles whose list changed (the pages to purge)."""
    stored: dict[int, list[tuple[int, float]]] = {}
    for chunk in _chunks(list(lists)):
        rows = (
            RelatedArticle.objects.filter(source_id__in=chunk)
            .order_by("source_id", "rank")
            .values_list("source_id", "target_id", "score")
        )
        for source, target, score in rows:
            stored.setdefault(source, []).append((target, score))
    fresh = {pk: [(s.key, round(s.score, 6)) for s in ranked] for pk, ranked in lists.items()}
    changed = [pk for pk, entries in fresh.items() if stored.get(pk, []) != entries]
    with transaction.atomic():
        for chunk in _chunks(changed):
            RelatedArticle.objects.filter(source_id__in=chunk).delete()
        RelatedArticle.objects.bulk_create(
            (
                RelatedArticle(source_id=pk, target_id=target, rank=n, score=score)
                for pk in changed
                for n, (target, score) in enumerate(fresh[pk], start=1)
            ),
            batch_size=BATCH * 5,
        )
    return set(changed)


# Above this many changed articles (an archive import), or a fifth of the site, one
# full rebuild in memory is faster than refreshing each article and its neighbours.
REBUILD_THRESHOLD = 300


def update(article_ids: Iterable[int]) -> set[int]:
    """Follow a change to ``article_ids``: refresh them and the lists they touch, or
    rebuild everything when the change is large. Returns the articles whose lists
    changed (every indexed article after a rebuild). Safe to run twice: it reads the current state."""
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
