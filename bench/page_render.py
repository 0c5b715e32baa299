"""Uncached render time and query count of the reader's pages.

Sets up the demo site in a temporary SAHAFA_HOME (or uses --home, e.g. a site of
30,000 imported articles), then renders the home page, the largest section, the
newest article, the most used tag and the most prolific author through Django
(the test client: no page cache in front), ``--repeat`` times each, and prints one
JSON line: per page the median and 90th-percentile milliseconds (and the median CPU
time of this process, which a busy machine disturbs less), the number of SQL
queries of one render, and — the baseline — the same page answered by the page cache
in front of Django (``sahafa.wsgi.application``, with a throwaway in-process store
so that the site's own cache is left as it was).

    python bench/page_render.py [--home DIR] [--repeat 30]

The issue's bounds: article ≤ 10 ms and ≤ 12 queries, home ≤ 20 ms and ≤ 15
queries; tests/news/test_query_bounds.py holds the query counts.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import unquote_to_bytes
from wsgiref.util import setup_testing_defaults


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--home", help="an existing SAHAFA_HOME (default: a new demo site)")
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

    settings.ALLOWED_HOSTS = ["*"]
    # The cache-hit baseline stores its pages in this process only: a shared site
    # (another benchmark's) keeps its page cache as it was.
    settings.CACHES = {
        **settings.CACHES,
        "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    }
    from django.db import connection
    from django.db.models import Count, Q
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from sahafa.news.models import ArticlePage, Author, NewsTag, SectionPage

    live = Q(articles__live=True)
    section = SectionPage.objects.live().annotate(n=Count("articles", filter=live))
    tag = NewsTag.objects.annotate(n=Count("tagged_articles")).filter(n__gt=0)
    author = Author.objects.annotate(n=Count("articles", filter=live)).filter(n__gt=0)
    pages = {
        "home": "/",
        "section": section.order_by("-n", "path").first().url,
        "article": ArticlePage.objects.published().newest_first().first().url,
        "tag": tag.order_by("-n", "pk").first().get_absolute_url(),
        "author": author.order_by("-n", "pk").first().get_absolute_url(),
    }
    client = Client()
    results = {}
    for name, path in pages.items():
        client.get(path)  # warm templates, code paths, renditions made
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        # Counted now: every request that follows empties Django's query log.
        queries = len(captured.captured_queries)
        times, cpu = [], []
        for _ in range(args.repeat):
            start, start_cpu = time.perf_counter(), time.process_time()
            client.get(path)
            times.append((time.perf_counter() - start) * 1000)
            cpu.append((time.process_time() - start_cpu) * 1000)
        uncached = statistics.median(times)
        hit = cache_hit_ms(path, args.repeat)
        results[name] = {
            "path": path,
            "uncached_ms": round(uncached, 2),
            "uncached_p90_ms": round(percentile(times, 0.9), 2),
            # This process's CPU time (SQLite runs in it): steadier than the wall clock
            # on a shared machine.
            "uncached_cpu_ms": round(statistics.median(cpu), 2),
            "queries": queries,
            "cache_hit_ms": round(hit, 3) if hit is not None else None,
            "hit_speedup": round(uncached / hit, 1) if hit else None,
        }
    print(
        json.dumps(
            {
                "bench": "page_render",
                "repeat": args.repeat,
                "live_articles": ArticlePage.objects.published().count(),
                "pages": results,
            },
            ensure_ascii=False,
        )
    )


def cache_hit_ms(path: str, repeat: int) -> float | None:
    """The median time of the page cache in front of Django answering ``path``, or
    None when it does not keep the page (page cache switched off)."""
    from sahafa.wsgi import application

    headers: dict[str, str] = {}

    def start_response(status, response_headers, exc_info=None):
        headers.clear()
        headers.update((k.lower(), v) for k, v in response_headers)

    # What a WSGI server passes: the path as bytes in a latin-1 string (PEP 3333).
    path_info = unquote_to_bytes(path).decode("iso-8859-1")

    def get() -> None:
        environ = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": path_info,
            "QUERY_STRING": "",
            "HTTP_HOST": "testserver",
            "wsgi.input": io.BytesIO(),
        }
        setup_testing_defaults(environ)
        body = application(environ, start_response)
        try:
            b"".join(body)
        finally:
            getattr(body, "close", lambda: None)()

    get()  # a miss: rendered and stored
    get()
    if headers.get("x-sahafa-cache") != "hit":
        return None
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        get()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


if __name__ == "__main__":
    main()
