"""Import speed: text pages per second through to stored AND indexed articles.

A throw-away SQLite site is built in a temporary ``SAHAFA_HOME``, with the
production settings: the durable task backend (django-tasks-db). The shared
crawled-page dumps (``$SAHAFA_DATA_DIR/raw-pages/*.txt``, default ``../shared/data``;
see its SOURCES.md) are copied ``--copies`` times under distinct names (identity =
file path, so every copy is a new article; the repeated headlines also exercise the
slug search), and imported two ways, side by side in this one process:

- ``ours``: ``sahafa.ingest.loader.Loader`` — parse → record →
  ``sahafa.news.structure.create_live_article`` (its fast path for new live articles),
  ``BATCH_SIZE`` records to a transaction inside ``batched_changes()``, one task row
  per batch (``flush_batch``);
- ``stock``: the standard Wagtail path for the same records, no batching: per page,
  in its own transaction, ``section.add_child(instance=ArticlePage(...))`` and
  ``page.save_revision().publish()`` — so one task row per page.

"Stored and indexed" means: after the import, the task worker is drained in this
process (``sahafa.publishing.worker.run(once=True)``: search index → related topics →
purge for every task row), and the bench checks that every stored live article has its
search-index row and its related-topics profile. The figures count both phases.

The site is not empty: ``--site`` synthetic articles (default 2,000; resampled corpus
paragraphs, as in ``bench/related_speed.py``) are written straight into the related
topics tables, lists included, before the import. They have no pages (those tables
have no database foreign key to them), but they make the related update of each batch
the incremental one of a live site, not the full rebuild a near-empty site takes
(a batch over a fifth of the site is rebuilt). ``--site 0``: the near-empty site.

After the purge each task also warms up to 20 pages again (``purge.warm``: home,
ticker, sections, the changed articles). That is the page cache's work, not storing
or indexing, and it costs the same per task on both paths (so per page, it costs the
stock path's one-task-per-page about 20 renders): its CPU is measured apart
(``warm_cpu_s``) and left out of ``per_s``, and ``per_s_with_warm`` counts it. The
static files are collected first (untimed), as on a deployed site: without their
manifest every warmed page would fail to render and log a traceback instead.

``per_s`` = articles per CPU-second of this process (SQLite runs in-process, so its
work is counted: "one core"). The machine may be shared, so wall-clock rates are
printed beside it with the load average. ``ratio`` = ours / stock. One copy is
imported (and drained) untimed first, so that sections, authors and tags exist: the
figures are the steady state of a long import. Target: ours ≥ 100 pages/s.
Prints ONE JSON line.

    .venv/bin/python bench/ingest_speed.py [--copies 10] [--stock-copies 4] [--limit N] [--site 2000]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

TARGET = 100.0


def data_dir() -> Path:
    return Path(os.environ.get("SAHAFA_DATA_DIR") or REPO.parent / "shared" / "data")


def copies_of(files: list[Path], dest: Path, copies: int, limit: int | None) -> list[str]:
    dest.mkdir(parents=True, exist_ok=True)
    out = []
    for k in range(copies):
        for f in files:
            target = dest / f"{f.stem}-{k:03d}{f.suffix}"
            shutil.copyfile(f, target)
            out.append(str(target))
    return out[:limit] if limit else out


class Clock:
    """CPU and wall seconds of a phase."""

    def __enter__(self) -> Clock:
        self.cpu, self.wall = time.process_time(), time.perf_counter()
        return self

    def __exit__(self, *exc) -> None:
        self.cpu = time.process_time() - self.cpu
        self.wall = time.perf_counter() - self.wall


def prefill(size: int) -> None:
    """``size`` synthetic articles in the related-topics tables, with their lists."""
    import gzip
    import random

    from django.db import connection, transaction

    sys.path.insert(0, str(REPO / "bench"))
    import related_speed

    from sahafa.related import store
    from sahafa.related.memory import MemoryIndex
    from sahafa.related.scoring import profile

    with gzip.open(related_speed.corpus_path(), "rt", encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh]
    docs = related_speed.synthetic(rows, size, random.Random(related_speed.SEED))
    index = MemoryIndex(profile(d) for d in docs)
    with transaction.atomic():
        store.write_index(index, {key: index.related(key) for key in index.profiles})
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def drain() -> None:
    """Run every task row written so far, as the worker would."""
    from sahafa.publishing import worker

    worker.run(once=True)


def load_ours(paths: list[str]) -> None:
    from sahafa.ingest.loader import Loader
    from sahafa.ingest.parsers import iter_records

    loader = Loader()
    loader.load(item for path in paths for item in iter_records("text", path))
    if loader.report.failed:
        raise SystemExit(f"ours: failed {loader.report.failed[:3]}")


def load_stock(paths: list[str]) -> None:
    """The same records through Wagtail's standard create-and-publish, page by page.

    The record → fields mapping and the section/author/tag look-ups are the loader's,
    so that only the way the page is written differs."""
    from django.db import transaction
    from django.utils import timezone

    from sahafa.ingest.loader import Loader, aware, body_stream, identity_key
    from sahafa.ingest.parsers import iter_records
    from sahafa.ingest.records import ArticleRecord
    from sahafa.news.models import ArticlePage
    from sahafa.news.structure import free_slug

    lookups = Loader()
    for path in paths:
        for record in iter_records("text", path):
            if not isinstance(record, ArticleRecord) or record.kind != "article":
                continue
            with transaction.atomic():
                section = lookups.section_for(record.section)
                title = record.title[:255]
                page = ArticlePage(
                    title=title,
                    slug=free_slug(section, title),
                    kicker=record.kicker[:120],
                    standfirst=record.standfirst,
                    body=body_stream(record.blocks),
                    external_id=identity_key(record),
                    first_published_at=aware(record.date) or timezone.now(),
                )
                page.authors.set(lookups.authors_for(record.authors))
                page.tags.set(lookups.tags_for(record.tags))
                section.add_child(instance=page)
                page.save_revision().publish()


def followed(ids: list[int]) -> dict:
    """How many of ``ids`` (live) have their search-index row and related profile."""
    from sahafa.news.models import ArticlePage
    from sahafa.related.models import ArticleProfile
    from sahafa.search.backends import get_search_backend

    live = set(ArticlePage.objects.filter(pk__in=ids, live=True).values_list("pk", flat=True))
    indexed = get_search_backend().indexed_ids(live)
    profiled = set(
        ArticleProfile.objects.filter(article_id__in=live).values_list("article_id", flat=True)
    )
    return {"live": len(live), "indexed": len(indexed), "related": len(profiled)}


class Warming:
    """CPU and wall seconds spent in ``purge.warm`` (rendering pages for the cache)."""

    def __init__(self) -> None:
        self.cpu = self.wall = 0.0

    def __enter__(self) -> Warming:
        from sahafa.delivery import purge

        self.original = purge.warm

        def timed(paths):
            with Clock() as clock:
                done = self.original(paths)
            self.cpu += clock.cpu
            self.wall += clock.wall
            return done

        purge.warm = timed  # follow_change calls it as purge.warm(...)
        return self

    def __exit__(self, *exc) -> None:
        from sahafa.delivery import purge

        purge.warm = self.original


def measure(load, paths: list[str]) -> dict:
    from sahafa.news.models import ArticlePage

    before = max(ArticlePage.objects.values_list("pk", flat=True), default=0)
    with Clock() as store:
        load(paths)
    ids = list(ArticlePage.objects.filter(pk__gt=before).values_list("pk", flat=True))
    with Warming() as warming, Clock() as derive:
        drain()
    state = followed(ids)
    stored = len(ids)
    with_warm = store.cpu + derive.cpu
    cpu = with_warm - warming.cpu
    wall = store.wall + derive.wall - warming.wall
    return {
        "pages": stored,
        **state,
        "complete": stored > 0 and state["live"] == state["indexed"] == state["related"] == stored,
        "per_s": round(stored / cpu, 1) if cpu else None,
        "per_s_wall": round(stored / wall, 1) if wall else None,
        # Storing only (tree, revision, history, admin indexes, task row): before the worker.
        "store_per_s": round(stored / store.cpu, 1) if store.cpu else None,
        "store_cpu_s": round(store.cpu, 2),
        "worker_cpu_s": round(derive.cpu - warming.cpu, 2),
        "warm_cpu_s": round(warming.cpu, 2),
        "per_s_with_warm": round(stored / with_warm, 1) if with_warm else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--copies", type=int, default=10, help="copies of each page, ours")
    parser.add_argument("--stock-copies", type=int, default=4, help="copies, stock path")
    parser.add_argument("--limit", type=int, help="at most this many pages per path")
    parser.add_argument(
        "--site", type=int, default=2000, help="synthetic articles already in related topics"
    )
    args = parser.parse_args()

    pages = data_dir() / "raw-pages"
    sources = sorted(pages.glob("*.txt")) if pages.is_dir() else []
    if not sources:
        print(
            json.dumps(
                {
                    "bench": "ingest_speed",
                    "skipped": f"no shared text pages at {pages} (set SAHAFA_DATA_DIR)",
                }
            )
        )
        return

    home = Path(tempfile.mkdtemp(prefix="sahafa-ingest-speed-"))
    os.environ["SAHAFA_HOME"] = str(home)
    os.environ.pop("SAHAFA_DATABASE_URL", None)  # a throw-away SQLite site, always
    os.environ["DJANGO_SETTINGS_MODULE"] = "sahafa.settings"
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    from sahafa.news.structure import ensure_home

    assert settings.TASKS["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    ensure_home()
    if args.site:
        prefill(args.site)
    work = home / "input"
    load_ours(copies_of(sources, work / "warm", 1, None))
    drain()
    ours = measure(load_ours, copies_of(sources, work / "ours", args.copies, args.limit))
    stock = measure(load_stock, copies_of(sources, work / "stock", args.stock_copies, args.limit))
    out = {
        "bench": "ingest_speed",
        "format": "text",
        "load_avg": round(os.getloadavg()[0], 2),
        "site_related_articles": args.site,
        "ours": ours,
        "stock": stock,
        "ratio": round(ours["per_s"] / stock["per_s"], 2)
        if ours["per_s"] and stock["per_s"]
        else None,
        "target_per_s": TARGET,
        "target_met": (ours["per_s"] or 0) >= TARGET and ours["complete"],
        "seconds": round(time.perf_counter() - started, 1),
    }
    print(json.dumps(out, ensure_ascii=False))
    shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    main()
