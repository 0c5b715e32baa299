"""``sahafa search QUERY [--json] [--limit N]`` and ``sahafa search --queries FILE --json``."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from sahafa.search.backends import get_search_backend
from sahafa.search.backends.base import MAX_LIMIT


class Command(BaseCommand):
    help = (
        "Search the published articles. With --queries FILE, run one query per line and "
        'print one JSON line per query: {"query": …, "results": [{"id", "title", "score"}, …]}.'
    )

    def add_arguments(self, parser):
        parser.add_argument("query", nargs="*", help="the words to search for")
        parser.add_argument("--queries", help="a UTF-8 file with one query per line")
        parser.add_argument("--json", action="store_true", help="print JSON")
        parser.add_argument(
            "--limit", type=int, default=10, help=f"results per query (1–{MAX_LIMIT})"
        )

    def handle(self, *args, query, queries, json: bool, limit: int, **options):
        if not 1 <= limit <= MAX_LIMIT:
            raise CommandError(f"--limit must be between 1 and {MAX_LIMIT}")
        if queries and query:
            raise CommandError("give either QUERY or --queries FILE, not both")
        if queries:
            path = Path(queries)
            if not path.is_file():
                raise CommandError(f"no such file: {path}")
            lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
            for line in lines:
                self._run(line.strip(), limit, as_json=True)
            self.stderr.write(f"{len(lines)} queries")
            return
        if not query:
            raise CommandError("give a QUERY or --queries FILE")
        self._run(" ".join(query), limit, as_json=json)

    def _run(self, text: str, limit: int, *, as_json: bool) -> None:
        results = get_search_backend().search(text, limit=limit)
        rows = [
            {"id": hit.external_id or str(hit.id), "title": hit.title, "score": hit.score}
            for hit in results.hits
        ]
        if as_json:
            payload = {"query": text, "total": results.total, "results": rows}
            self.stdout.write(_dumps(payload))
            return
        for n, row in enumerate(rows, 1):
            self.stdout.write(f"{n:>3}. {row['title']}  [{row['id']}]  {row['score']:.3f}")
        self.stdout.write(f"{results.total} نتيجة / results")


def _dumps(payload) -> str:
    return json.dumps(payload, ensure_ascii=False)
