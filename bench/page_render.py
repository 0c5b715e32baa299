"""Uncached render time and query count of the reader's pages.

Sets up the demo site in a temporary SAHAFA_HOME (or uses --home), then renders
the home page, a section, an article, a tag and an author page through Django's
test client with the page cache off, N times each, and prints one JSON line: the
median milliseconds and the number of SQL queries per page, beside the baseline
of a cache hit for the same page (the cost of the cache lookup itself).

    python bench/page_render.py [--home DIR] [--repeat 30]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--home", help="an existing demo SAHAFA_HOME (default: a new one)")
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    home = args.home or tempfile.mkdtemp(prefix="sahafa-bench-")
    os.environ["SAHAFA_HOME"] = home
    os.environ["DJANGO_SETTINGS_MODULE"] = "sahafa.settings"
    if not (Path(home) / "sahafa.sqlite3").exists():
        subprocess.run(
            [sys.executable, "-m", "sahafa.cli", "demo", "--no-serve", "--home", home],
            check=True,
            capture_output=True,
        )

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import override_settings

    from sahafa.news.models import ArticlePage, Author, NewsTag, SectionPage

    settings.ALLOWED_HOSTS = ["*"]
    article = ArticlePage.objects.published().newest_first().first()
    pages = {
        "home": "/",
        "section": SectionPage.objects.live().first().url,
        "article": article.url,
        "tag": NewsTag.objects.filter(tagged_articles__isnull=False).first().get_absolute_url(),
        "author": Author.objects.filter(articles__isnull=False).first().get_absolute_url(),
    }
    client = Client()
    results = {}
    for name, path in pages.items():
        with override_settings(SAHAFA_PAGE_CACHE_SECONDS=0, DEBUG=True):
            client.get(path)  # warm template and code caches
            reset_queries()
            client.get(path)
            queries = len(connection.queries)
            times = []
            for _ in range(args.repeat):
                start = time.perf_counter()
                response = client.get(path)
                times.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, (path, response.status_code)
        hits = []
        with override_settings(SAHAFA_PAGE_CACHE_SECONDS=300):
            client.get(path)
            for _ in range(args.repeat):
                start = time.perf_counter()
                response = client.get(path)
                hits.append((time.perf_counter() - start) * 1000)
            assert response["X-Sahafa-Cache"] == "hit"
        uncached, cached = statistics.median(times), statistics.median(hits)
        results[name] = {
            "uncached_ms": round(uncached, 2),
            "queries": queries,
            "cache_hit_ms": round(cached, 3),
            "hit_speedup": round(uncached / cached, 1),
        }
    print(
        json.dumps(
            {"bench": "page_render", "repeat": args.repeat, "pages": results}, ensure_ascii=False
        )
    )


if __name__ == "__main__":
    main()
