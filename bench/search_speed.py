"""Search speed at scale: index the real corpus, grow it to 300,000 articles, time queries.

The 30,000 real articles are indexed, then new articles are made by resampling
paragraphs of the real corpus (3–9 per article; headline, section, date, 1 author
and 0–3 tags drawn at random, seeded) and indexed through the same backend
``index_documents`` path the site uses (analysis included), straight into the index
rather than as Wagtail pages.  Reports the index build rate, the index size, and
p50/p95 latency of a fixed query mix (one-word, multi-word, phrase, filtered), each
query run through ``backend.search()`` (analysis, engine, headline re-scoring).
The baseline beside it is the same query mix on the index at its real-corpus size,
before growth.  Medians of ``--repeats`` timed passes after one warm-up pass.

    python bench/search_speed.py --backend sqlite
    python bench/search_speed.py --backend postgres

Target: p95 ≤ 50 ms at 300,000 articles on both.  Prints ONE JSON line.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import search_quality as sq  # noqa: E402 - shared corpus loading and scratch database setup

SECTIONS = 11
AUTHORS = 200
TAGS = 500


def synthetic_documents(records: list[dict], start_id: int, count: int, seed: int):
    from sahafa.search.documents import SearchDocument

    rng = random.Random(seed)
    paragraphs = [p for r in records for p in r["body"].split("\n") if len(p) > 40]
    titles = [r["title"] for r in records]
    base = datetime(2012, 10, 1, tzinfo=UTC)
    span = (datetime(2018, 10, 31, tzinfo=UTC) - base).total_seconds()
    for n in range(count):
        body = "\n".join(rng.choices(paragraphs, k=rng.randint(3, 9)))
        yield SearchDocument(
            id=start_id + n,
            title=rng.choice(titles),
            external_id=f"synthetic-{n}",
            standfirst=body.split("\n", 1)[0],
            body=body,
            section_id=rng.randint(1, SECTIONS),
            author_ids=(rng.randint(1, AUTHORS),),
            tag_ids=tuple(rng.sample(range(1, TAGS + 1), rng.randint(0, 3))),
            published_at=base + timedelta(seconds=rng.random() * span),
        )


def real_documents(records: list[dict], seed: int):
    from dataclasses import replace

    rng = random.Random(seed)
    for i, rec in enumerate(records):
        doc = sq.to_document(i + 1, rec)
        yield replace(
            doc,
            section_id=rng.randint(1, SECTIONS),
            author_ids=(rng.randint(1, AUTHORS),),
            tag_ids=tuple(rng.sample(range(1, TAGS + 1), rng.randint(0, 3))),
        )


def query_mix(records: list[dict], seed: int) -> list[tuple[str, str, object]]:
    """``(kind, query, filters)``: 40 one-word, 40 multi-word, 20 phrase, 20 filtered."""
    from datetime import date

    from sahafa.search.documents import SearchFilters

    rng = random.Random(seed)
    titles = [
        w for w in (sq.content_words(r["title"]) for r in rng.sample(records, 400)) if len(w) >= 3
    ]
    mix: list[tuple[str, str, object]] = []
    for words in titles[:40]:
        mix.append(("one_word", rng.choice(words), None))
    for words in titles[40:80]:
        k = rng.randint(2, min(3, len(words)))
        mix.append(("multi_word", " ".join(sq.vary(w, rng) for w in rng.sample(words, k)), None))
    for words in titles[80:100]:
        i = rng.randrange(len(words) - 1)
        mix.append(("phrase", f'"{words[i]} {words[i + 1]}"', None))
    for n, words in enumerate(titles[100:120]):
        if n % 3 == 0:
            filters = SearchFilters(section_id=rng.randint(1, SECTIONS))
        elif n % 3 == 1:
            filters = SearchFilters(date_from=date(2018, 3, 1), date_to=date(2018, 6, 30))
        else:
            filters = SearchFilters(tag_id=rng.randint(1, TAGS))
        mix.append(("filtered", rng.choice(words), filters))
    return mix


def time_queries(backend, mix, repeats: int) -> dict:
    for _kind, q, f in mix:  # warm-up: caches, plans, stem caches
        backend.search(q, filters=f, limit=10)
    per_query: list[list[float]] = [[] for _ in mix]
    for _ in range(repeats):
        for i, (_kind, q, f) in enumerate(mix):
            t = time.perf_counter()
            backend.search(q, filters=f, limit=10)
            per_query[i].append((time.perf_counter() - t) * 1000)
    medians = [statistics.median(t) for t in per_query]
    out = {"all": _percentiles(medians)}
    for kind in ("one_word", "multi_word", "phrase", "filtered"):
        out[kind] = _percentiles(
            [m for m, (k, _q, _f) in zip(medians, mix, strict=True) if k == kind]
        )
    return out


def _percentiles(values: list[float]) -> dict:
    values = sorted(values)
    q = statistics.quantiles(values, n=100, method="inclusive")
    return {"p50_ms": round(q[49], 2), "p95_ms": round(q[94], 2), "max_ms": round(values[-1], 2)}


def index_in_batches(backend, docs, batch: int = 2000) -> int:
    from django.db import transaction

    n = 0
    chunk = []
    for doc in docs:
        chunk.append(doc)
        if len(chunk) >= batch:
            with transaction.atomic():
                n += backend.index_documents(chunk)
            chunk = []
    if chunk:
        with transaction.atomic():
            n += backend.index_documents(chunk)
    return n


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--articles", type=int, default=300_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--seed", type=int, default=20260101)
    args = parser.parse_args()

    records = sq.load_records()
    scratch = sq.setup_django(args.backend)
    try:
        from django.db import connection

        from sahafa.search.backends import get_search_backend

        backend = get_search_backend()
        mix = query_mix(records, args.seed)

        started = time.perf_counter()
        real = index_in_batches(backend, real_documents(records, args.seed))
        backend.optimize()
        real_seconds = time.perf_counter() - started
        baseline = time_queries(backend, mix, args.repeats)

        grow = max(args.articles - real, 0)
        started = time.perf_counter()
        grown = index_in_batches(backend, synthetic_documents(records, real + 1, grow, args.seed))
        backend.optimize()
        grow_seconds = time.perf_counter() - started
        total = backend.count()
        at_scale = time_queries(backend, mix, args.repeats)

        report = {
            "bench": "search_speed",
            "backend": connection.vendor,
            "articles": total,
            "queries": len(mix),
            "repeats": args.repeats,
            "index_build_articles_per_s": round((real + grown) / (real_seconds + grow_seconds), 1),
            "index_build_minutes": round((real_seconds + grow_seconds) / 60, 2),
            "index_size_mb": round(backend.index_size_bytes() / 2**20, 1),
            "latency_at_scale": at_scale,
            "baseline_latency_at_real_size": {"articles": real, **baseline},
            "p95_growth_ratio": round(at_scale["all"]["p95_ms"] / baseline["all"]["p95_ms"], 2),
            "target_p95_ms": 50,
            "pass": at_scale["all"]["p95_ms"] <= 50,
        }
        print(json.dumps(report))  # noqa: T201 - the bench's one line
    finally:
        sq.drop_scratch(scratch)


if __name__ == "__main__":
    main()
