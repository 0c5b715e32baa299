"""Import speed: pages per second through to stored articles, per format.

A throw-away SQLite site is built in a temporary ``SAHAFA_HOME``. Each format is
loaded through ``sahafa.ingest.loader.Loader`` (parse → record → page, revision,
log entries, search index; one transaction per batch of records) inside one
``batched_changes()``:

- ``text``: the shared crawled-page dumps (``raw-pages/*.txt``), each copied
  ``--copies`` times under distinct names (identity = file path, so every copy is
  a new article; identical headlines also exercise the slug search). One copy
  is loaded untimed first (the site's sections, authors and tags get created);
- ``html``: the shared ``raw-pages/*.html`` likewise;
- ``wxr``: the WordPress theme-unit-test export (published, draft, scheduled
  and private posts; internal links rewritten in a second pass).

Figures per format: ``per_s_cpu`` = stored articles per CPU-second of this
process (SQLite runs in-process, so its work is counted) — "one core"; the
machine is shared, so wall-clock rates (``per_s_wall``) are printed beside it
with the load average. Beside them, in the same process: ``parse_per_s_cpu``
(parsers only, no database) and ``baseline_per_s_cpu`` — the same records
through Wagtail's standard path (``create_article``: treebeard ``add_child``,
``full_clean``, one ``log()`` per entry, ``page_published`` per article), with
``speedup`` = ours / baseline. ``events_s`` is the end-of-batch work
(``content_changed``: search index, related topics, page cache) for the run.

Targets: text ≥ 100 pages/s, HTML ≥ 20 pages/s (CPU, one core). Prints ONE JSON line.

    .venv/bin/python bench/ingest_speed.py [--copies 20]
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

TARGETS = {"text": 100.0, "html": 20.0}


def data_dir() -> Path:
    return Path(os.environ.get("SAHAFA_DATA_DIR") or REPO.parent / "shared" / "data")


def copies_of(files: list[Path], dest: Path, copies: int) -> list[str]:
    dest.mkdir(parents=True, exist_ok=True)
    out = []
    for k in range(copies):
        for f in files:
            target = dest / f"{f.stem}-{k:03d}{f.suffix}"
            shutil.copyfile(f, target)
            out.append(str(target))
    return out


def timed_load(fmt: str, paths: list[str], *, fast: bool) -> dict:
    from sahafa.ingest.loader import Loader, LoadOptions
    from sahafa.ingest.parsers import iter_records
    from sahafa.news.signals import batched_changes

    loader = Loader(LoadOptions(fast=fast))
    wall, cpu = time.perf_counter(), time.process_time()
    with batched_changes():
        # The import's own path: batches of records, each indexed for search in its
        # transaction; internal links rewritten at the end.
        loader.load(item for path in paths for item in iter_records(fmt, path))
        stored_wall, stored_cpu = time.perf_counter() - wall, time.process_time() - cpu
    events = time.perf_counter() - wall - stored_wall
    report = loader.report
    stored = report.imported + report.updated
    return {
        "stored": stored,
        "skipped": report.skipped,
        "failed": len(report.failed),
        "per_s_cpu": round(stored / stored_cpu, 1) if stored_cpu else None,
        "per_s_wall": round(stored / stored_wall, 1) if stored_wall else None,
        "events_s": round(events, 2),
    }


def parse_rate(fmt: str, paths: list[str]) -> float:
    from sahafa.ingest.parsers import iter_records
    from sahafa.ingest.records import ArticleRecord

    cpu = time.process_time()
    n = 0
    for path in paths:
        n += sum(1 for r in iter_records(fmt, path) if isinstance(r, ArticleRecord))
    spent = time.process_time() - cpu
    return round(n / spent, 1) if spent else 0.0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--copies", type=int, default=20, help="copies of each text page")
    parser.add_argument("--html-copies", type=int, default=6)
    parser.add_argument("--baseline-copies", type=int, default=4)
    args = parser.parse_args()

    pages = data_dir() / "raw-pages"
    wxr = data_dir() / "wxr" / "themeunittestdata.wordpress.xml"
    if not pages.exists():
        print(json.dumps({"bench": "ingest_speed", "skipped": f"no shared data at {pages}"}))
        return

    home = Path(tempfile.mkdtemp(prefix="sahafa-ingest-speed-"))
    os.environ["SAHAFA_HOME"] = str(home)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sahafa.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from sahafa.news.structure import ensure_home

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    ensure_home()
    out: dict = {"bench": "ingest_speed", "load_avg": round(os.getloadavg()[0], 2)}
    work = home / "input"
    for fmt, ext, copies in (("text", "txt", args.copies), ("html", "html", args.html_copies)):
        sources = sorted(pages.glob(f"*.{ext}"))
        # One untimed copy first: sections, authors and tags are created once per
        # site, not per page; the figures are the steady state of a long import.
        timed_load(fmt, copies_of(sources, work / fmt / "warm", 1), fast=True)
        ours = copies_of(sources, work / fmt / "ours", copies)
        base = copies_of(sources, work / fmt / "base", args.baseline_copies)
        result = timed_load(fmt, ours, fast=True)
        baseline = timed_load(fmt, base, fast=False)
        result["parse_per_s_cpu"] = parse_rate(fmt, base)
        result["baseline_per_s_cpu"] = baseline["per_s_cpu"]
        result["baseline_per_s_wall"] = baseline["per_s_wall"]
        if result["per_s_cpu"] and baseline["per_s_cpu"]:
            result["speedup"] = round(result["per_s_cpu"] / baseline["per_s_cpu"], 2)
        result["target_met"] = (result["per_s_cpu"] or 0) >= TARGETS[fmt]
        out[fmt] = result
    if wxr.exists():
        result = timed_load("wxr", [str(wxr)], fast=True)
        result["parse_per_s_cpu"] = parse_rate("wxr", [str(wxr)])
        out["wxr"] = result
    out["all_targets_met"] = all(out[f]["target_met"] for f in TARGETS)
    out["seconds"] = round(time.perf_counter() - started, 1)
    print(json.dumps(out, ensure_ascii=False))
    shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    main()
