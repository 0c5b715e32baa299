"""Speed of related topics: one new article, then a batch of them, in a site of 100,000; rebuild rate.

A private site (temporary SAHAFA_HOME; a SQLite file, or with ``--backend postgres``
a scratch PostgreSQL database) is migrated, then its related-topics tables are filled
directly with 100,000 synthetic articles made from resampled corpus paragraphs (each:
a real headline and body, plus one or two paragraphs of another article of its
section, on a shifted date), profiled and signed by the same core the site uses.
These rows stand for pages that are not created; the engine's tables have no database
foreign key to the article pages, so nothing holds them back. Then ``--new`` real
articles are created through ``create_article`` and, for each, the
background work of its publication is timed:

- ``own_list_ms``: index the article (profile, term statistics, signature, postings)
  and compute and store its list — what a reader's next view of it depends on;
- ``refresh_ms``: the whole task, ``store.refresh([pk])`` — the above plus
  re-ranking every list it enters or leaves.

Batch (``--batch``, default 50, as the importer's ``BATCH_SIZE``): that many more real
articles are created and followed as one import batch, ``store.refresh(ids)`` (the
batch path) and, side by side from the same state (each run rolled back),
``store.refresh_each(ids)`` (one article at a time, the reference), ``--repeat``
times each, interleaved: ``batch_refresh_s`` / ``batch_each_s``, medians of CPU
seconds. Whether a list is re-ranked depends on its weakest stored entry, so this
needs the site's lists: ``--lists`` ranks every synthetic article in memory first (a
few seconds per thousand articles; without it every match counts as entering).

Baseline in the same run: the same article ranked by a full scan (cosine with every
stored signature, as a plugin without an inverted index would), on a few articles.
Rebuild rate: ``store.rebuild()`` over ``--pages`` real pages (analyse, rank in
memory, write every table), articles/s.

Prints ONE JSON line.

    .venv/bin/python bench/related_speed.py [--backend sqlite|postgres] [--size 100000]
    .venv/bin/python bench/related_speed.py --size 5000 --lists --new 5 --pages 100

PostgreSQL: a scratch database is created (and dropped, also on error) through
``$SAHAFA_BENCH_POSTGRES_URL`` (default ``postgres://sahafa:sahafa@127.0.0.1:5432/sahafa``;
the role needs CREATEDB only).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

SEED = 7
OFFSET = 10_000_000  # synthetic article ids, far above the real pages' ids
DEFAULT_PG = "postgres://sahafa:sahafa@127.0.0.1:5432/sahafa"


def corpus_path() -> Path:
    base = Path(os.environ.get("SAHAFA_DATA_DIR") or REPO.parent / "shared" / "data")
    return base / "arabic-news.jsonl.gz"


def create_scratch(backend: str) -> str | None:
    """Point the site at a fresh database of the wanted kind; return a PostgreSQL one's name.

    Runs before Django is set up, so the settings read the scratch URL."""
    if backend != "postgres":
        os.environ.pop("SAHAFA_DATABASE_URL", None)
        return None
    import psycopg

    base = os.environ.get("SAHAFA_BENCH_POSTGRES_URL", DEFAULT_PG)
    scratch = f"sahafa_related_bench_{os.getpid()}"
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{scratch}"')
    os.environ["SAHAFA_DATABASE_URL"] = base.rsplit("/", 1)[0] + "/" + scratch
    return scratch


def drop_scratch(scratch: str | None) -> None:
    if not scratch:
        return
    if "django" in sys.modules:
        from django.db import connections

        connections.close_all()
    import psycopg

    with psycopg.connect(
        os.environ.get("SAHAFA_BENCH_POSTGRES_URL", DEFAULT_PG), autocommit=True
    ) as conn:
        # FORCE: a background-task thread may still hold a connection of this role.
        conn.execute(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')


def setup(home: str) -> None:
    os.environ["SAHAFA_HOME"] = home
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sahafa.settings")
    os.environ.setdefault("SAHAFA_SECRET_KEY", "bench-only-secret-key-0123456789-abcdefghijklmnop")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def synthetic(rows: list[dict], size: int, rng: random.Random):
    from datetime import date, datetime

    from sahafa.related.scoring import Document

    by_section: dict[str, list[int]] = {}
    for i, r in enumerate(rows):
        by_section.setdefault(r["section"], []).append(i)
    sections = {name: n for n, name in enumerate(sorted(by_section), start=1)}
    for k in range(size):
        base = rows[k % len(rows)]
        extra = rows[rng.choice(by_section[base["section"]])]
        paras = base["body"].split("\n") + rng.sample(
            extra["body"].split("\n"), k=min(2, len(extra["body"].split("\n")))
        )
        d = base["date"]
        day = (datetime.fromisoformat(d).date() if "T" in d else date.fromisoformat(d)).toordinal()
        yield Document(
            key=OFFSET + k,
            headline=base["title"],
            body="\n".join(paras),
            day=day - 400 * (k // len(rows)),  # copies live in earlier years
            section=sections[base["section"]],
            authors=(rng.randrange(200),) if base.get("author") else (),
        )


def load_synthetic(index, with_lists: bool = False) -> None:
    from django.db import connection, transaction

    from sahafa.related import store

    lists = {key: index.related(key) for key in index.profiles} if with_lists else None
    # The engine's tables carry no database foreign key to the article pages (their
    # rows are cleaned up by the publishing task), so synthetic ids need no page rows.
    with transaction.atomic():
        store.write_index(index, lists)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def full_scan(pk: int) -> None:
    """The baseline: cosine of the new article's signature with every stored signature."""
    from sahafa.related.models import ArticleProfile

    sig = ArticleProfile.objects.get(article_id=pk).signature
    best = []
    for other, other_sig in (
        ArticleProfile.objects.exclude(article_id=pk)
        .values_list("article_id", "signature")
        .iterator(chunk_size=5000)
    ):
        s = sum(w * other_sig.get(t, 0.0) for t, w in sig.items())
        if s > 0:
            best.append((s, other))
    best.sort(reverse=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--backend", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--new", type=int, default=40, help="newly published articles timed")
    parser.add_argument("--pages", type=int, default=600, help="real pages for the rebuild rate")
    parser.add_argument("--baseline", type=int, default=3, help="articles ranked by full scan")
    parser.add_argument("--batch", type=int, default=50, help="articles in the timed batch")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each batch path")
    parser.add_argument("--lists", action="store_true", help="store the synthetic lists too")
    args = parser.parse_args()
    path = corpus_path()
    if not path.exists():
        print(json.dumps({"skipped": f"corpus not found at {path} (set SAHAFA_DATA_DIR)"}))
        return
    home = tempfile.mkdtemp(prefix="sahafa-related-speed-")
    scratch = create_scratch(args.backend)
    try:
        setup(home)
        result = measure(args, path)
    finally:
        drop_scratch(scratch)
    print(json.dumps(result, ensure_ascii=False))


def measure(args: argparse.Namespace, path: Path) -> dict:
    from django.db import connection, transaction
    from django.utils import timezone

    from sahafa.news.signals import content_changed
    from sahafa.news.structure import create_article, ensure_home, ensure_section
    from sahafa.related import store
    from sahafa.related.memory import MemoryIndex
    from sahafa.related.scoring import profile

    with gzip.open(path, "rt", encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh]
    rng = random.Random(SEED)
    t0 = time.perf_counter()
    index = MemoryIndex(profile(d) for d in synthetic(rows, args.size, rng))
    analyse_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    load_synthetic(index, args.lists)
    load_s = time.perf_counter() - t0
    del index

    # Real pages are created with the publishing task unplugged, then timed by hand.
    content_changed.disconnect(dispatch_uid="sahafa.publishing.follow")
    ensure_home()
    section = ensure_section("العالم", "world")
    fresh = rng.sample(rows, args.new + args.pages + args.batch)

    def make(row):
        paras = [("paragraph", f"<p>{p}</p>") for p in row["body"].split("\n") if p.strip()]
        return create_article(
            section, title=row["title"][:250], body=paras, published_at=timezone.now()
        )

    own, whole = [], []
    new_pages = [make(r) for r in fresh[: args.new]]
    for page in new_pages:
        t0 = time.perf_counter()
        store.rank_article(store.index_article(page))
        own.append((time.perf_counter() - t0) * 1000)
        store.unindex_article(page.pk)
        t0 = time.perf_counter()
        store.refresh([page.pk])
        whole.append((time.perf_counter() - t0) * 1000)

    batch = [make(r).pk for r in fresh[args.new + args.pages :]]
    timings: dict[str, list[float]] = {"refresh": [], "refresh_each": []}
    for _ in range(args.repeat):
        for name in timings:
            with transaction.atomic():
                t0 = time.process_time()
                getattr(store, name)(batch)
                timings[name].append(time.process_time() - t0)
                transaction.set_rollback(True)  # the next run starts from the same state

    scans = []
    for page in new_pages[: args.baseline]:
        t0 = time.perf_counter()
        full_scan(page.pk)
        scans.append((time.perf_counter() - t0) * 1000)

    # Rebuild rate over real pages only: drop the synthetic rows first.
    from sahafa.related.models import ArticleProfile, Posting, RelatedArticle

    Posting.objects.filter(article_id__gte=OFFSET).delete()
    ArticleProfile.objects.filter(article_id__gte=OFFSET).delete()
    RelatedArticle.objects.all().delete()
    for r in fresh[args.new : args.new + args.pages]:
        make(r)
    t0 = time.perf_counter()
    rebuilt = store.rebuild()
    rebuild_s = time.perf_counter() - t0

    return {
        "bench": "related_speed",
        "backend": connection.vendor,
        "site_articles": args.size,
        "new_articles_timed": len(own),
        "own_list_ms_p50": round(statistics.median(own), 1),
        "own_list_ms_p95": round(percentile(own, 0.95), 1),
        "refresh_ms_p50": round(statistics.median(whole), 1),
        "refresh_ms_p95": round(percentile(whole, 0.95), 1),
        "batch_articles": len(batch),
        "site_lists_stored": args.lists,
        "batch_refresh_s": round(statistics.median(timings["refresh"]), 2),
        "batch_each_s": round(statistics.median(timings["refresh_each"]), 2),
        "batch_speedup": round(
            statistics.median(timings["refresh_each"]) / statistics.median(timings["refresh"]), 1
        ),
        "baseline_full_scan_ms_median": round(statistics.median(scans), 1),
        "speedup_vs_full_scan": round(statistics.median(scans) / statistics.median(own), 1),
        "target_p95_ms": 200,
        "rebuild_articles": rebuilt,
        "rebuild_articles_per_s": round(rebuilt / rebuild_s, 1),
        "synthetic_analyse_articles_per_s": round(args.size / analyse_s, 1),
        "synthetic_load_s": round(load_s, 1),
    }


if __name__ == "__main__":
    main()
