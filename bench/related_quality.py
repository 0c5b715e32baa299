"""Quality of related topics on the real corpus, against "newest of the same section".

The whole corpus (../shared/data/arabic-news.jsonl.gz) is indexed in memory with
``sahafa.related.memory.MemoryIndex`` — the same profile, signature, matching and
diversity functions the site uses — and compared in the same run with the baseline
a site without an engine shows: the five newest articles of the same section
published up to the article's date.

Figures (top 5 of each list):

- ``precision_at_5_same_section`` over a fixed sample of 300 articles (floor 0.8;
  the baseline is 1.0 by construction);
- ``same_story_recall``: cross-outlet pairs about one event found by a strict rule
  that does not use Sahafa's scorer — published the same or an adjacent day, and at
  least 75% of the content words of the shorter headline (at least 4 of them, display
  -normalised surface words minus stop words, no stemming) appear in the other
  headline. Pairs whose texts are near-duplicates (resemblance ≥ 0.8, which the
  engine must not show) are counted apart. Score: share of pairs whose partner is in
  the other's top 5, both directions (target 0.7);
- ``near_duplicate_rate`` among the five (pairwise and with the article; must be 0)
  and ``self_rate`` (the article listing itself; must be 0).

Prints ONE JSON line.

    .venv/bin/python bench/related_quality.py [--sample 300] [--pairs 400]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import sys
import time
from collections import defaultdict
from datetime import date, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from sahafa.arabic import STOP_WORDS, normalize  # noqa: E402
from sahafa.related.memory import MemoryIndex  # noqa: E402
from sahafa.related.scoring import NEAR_DUPLICATE, Document, profile, resemblance  # noqa: E402

TOP = 5
SEED = 20261129


def corpus_path() -> Path:
    base = Path(os.environ.get("SAHAFA_DATA_DIR") or REPO.parent / "shared" / "data")
    return base / "arabic-news.jsonl.gz"


def load(path: Path) -> list[dict]:
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


def day_of(value: str) -> int:
    return (
        datetime.fromisoformat(value).date() if "T" in value else date.fromisoformat(value)
    ).toordinal()


def document(i: int, row: dict) -> Document:
    summary = row.get("summary") or ""
    body = row["body"]
    if summary and body.startswith(summary):
        summary = ""  # the RSS lead is often the first paragraph: count it once
    author = row.get("author")
    return Document(
        key=i,
        headline=row["title"],
        standfirst=summary,
        body=body,
        day=day_of(row["date"]),
        section=row["section"],
        authors=((row["source"], author),) if author else (),
    )


def content_words(title: str) -> set[str]:
    words = normalize(title, "match").split()
    return {w for w in words if len(w) > 1 and w not in STOP_WORDS and not w.isdigit()}


def same_story_pairs(rows: list[dict], days: list[int]) -> list[tuple[int, int]]:
    """Cross-outlet pairs of one event by the headline rule in the module docstring."""
    words = [content_words(r["title"]) for r in rows]
    by_day: dict[int, list[int]] = defaultdict(list)
    for i, d in enumerate(days):
        by_day[d].append(i)
    pairs = []
    for i, row in enumerate(rows):
        if len(words[i]) < 4:
            continue
        for d in (days[i] - 1, days[i], days[i] + 1):
            for j in by_day.get(d, ()):
                if j <= i or rows[j]["source"] == row["source"] or len(words[j]) < 4:
                    continue
                small, large = sorted((words[i], words[j]), key=len)
                if len(small & large) >= 0.75 * len(small):
                    pairs.append((i, j))
    return pairs


class NewestOfSection:
    """The baseline: the newest articles of the same section up to the article's date."""

    def __init__(self, rows: list[dict], days: list[int]) -> None:
        self.by_section: dict[str, list[int]] = defaultdict(list)
        for i in sorted(range(len(rows)), key=lambda k: (days[k], k)):
            self.by_section[rows[i]["section"]].append(i)
        self.position = {i: n for ids in self.by_section.values() for n, i in enumerate(ids)}
        self.rows = rows

    def related(self, i: int) -> list[int]:
        ids = self.by_section[self.rows[i]["section"]]
        n = self.position[i]
        before = ids[max(0, n - TOP) : n][::-1]
        after = ids[
            n + 1 : n + 1 + TOP - len(before)
        ]  # the oldest articles have too few before them
        return before + after


def evaluate(
    name: str, lists: dict[int, list[int]], rows, index: MemoryIndex, sample, pairs
) -> dict:
    same = total = dup = dup_checked = selfs = 0
    prints = {k: p.candidate.fingerprint for k, p in index.profiles.items()}
    for i in sample:
        top = lists[i][:TOP]
        total += len(top)
        same += sum(1 for j in top if rows[j]["section"] == rows[i]["section"])
        selfs += i in top
        group = [i, *top]
        for a in range(len(group)):
            for b in range(a + 1, len(group)):
                dup_checked += 1
                dup += resemblance(prints[group[a]], prints[group[b]]) >= NEAR_DUPLICATE
    found = sum((j in lists[i][:TOP]) + (i in lists[j][:TOP]) for i, j in pairs)
    return {
        f"{name}_precision_at_5_same_section": round(same / max(total, 1), 4),
        f"{name}_same_story_recall": round(found / max(2 * len(pairs), 1), 4),
        f"{name}_near_duplicate_rate": round(dup / max(dup_checked, 1), 4),
        f"{name}_self_rate": round(selfs / max(len(sample), 1), 4),
        f"{name}_mean_list_length": round(
            sum(len(lists[i][:TOP]) for i in sample) / len(sample), 2
        ),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sample", type=int, default=300)
    parser.add_argument(
        "--pairs", type=int, default=400, help="same-story pairs scored (seeded sample)"
    )
    args = parser.parse_args()
    path = corpus_path()
    if not path.exists():
        print(json.dumps({"skipped": f"corpus not found at {path} (set SAHAFA_DATA_DIR)"}))
        return
    rows = load(path)
    days = [day_of(r["date"]) for r in rows]
    t0 = time.perf_counter()
    index = MemoryIndex(profile(document(i, r)) for i, r in enumerate(rows))
    build_s = time.perf_counter() - t0

    rng = random.Random(SEED)
    sample = sorted(rng.sample(range(len(rows)), args.sample))
    all_pairs = same_story_pairs(rows, days)
    prints = {k: p.candidate.fingerprint for k, p in index.profiles.items()}
    duplicates = [p for p in all_pairs if resemblance(prints[p[0]], prints[p[1]]) >= NEAR_DUPLICATE]
    distinct = [p for p in all_pairs if p not in set(duplicates)]
    pairs = sorted(rng.sample(distinct, min(args.pairs, len(distinct))))

    needed = set(sample) | {k for p in pairs for k in p}
    t0 = time.perf_counter()
    engine = {i: [s.key for s in index.related(i)] for i in needed}
    rank_ms = (time.perf_counter() - t0) * 1000 / len(needed)
    baseline_index = NewestOfSection(rows, days)
    baseline = {i: baseline_index.related(i) for i in needed}

    result = {
        "bench": "related_quality",
        "articles": len(rows),
        "sample": len(sample),
        "same_story_pairs_found": len(all_pairs),
        "same_story_pairs_near_duplicate_excluded": len(duplicates),
        "same_story_pairs_scored": len(pairs),
        **evaluate("sahafa", engine, rows, index, sample, pairs),
        **evaluate("baseline", baseline, rows, index, sample, pairs),
        "targets": {
            "precision_at_5_same_section": 0.8,
            "same_story_recall": 0.7,
            "near_duplicate_rate": 0,
        },
        "index_build_s": round(build_s, 1),
        "rank_ms_per_article": round(rank_ms, 2),
    }
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
