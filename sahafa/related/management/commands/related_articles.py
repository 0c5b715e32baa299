"""``sahafa related ID… [--json]`` and ``sahafa related --rebuild``."""

from __future__ import annotations

import json
import time

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q
from tqdm import tqdm

from sahafa.news.models import ArticlePage
from sahafa.news.related import related_articles
from sahafa.related import store
from sahafa.related.models import RelatedArticle


def public_id(article: ArticlePage) -> str | int:
    """The article's external id, or its page id when it was written in Sahafa."""
    return article.external_id or article.pk


class Command(BaseCommand):
    help = (
        "Print the related topics of articles given by external id (or page id), one line "
        "each; --json for one JSON object per line; --rebuild recomputes every list."
    )

    def add_arguments(self, parser):
        parser.add_argument("ids", nargs="*", metavar="ID", help="external ids (or page ids)")
        parser.add_argument(
            "--json", action="store_true", dest="as_json", help="one JSON object per article"
        )
        parser.add_argument("--limit", type=int, default=6, help="list length (default 6)")
        parser.add_argument("--rebuild", action="store_true", help="recompute all related lists")

    def handle(self, *args, ids, as_json, limit, rebuild, **options):
        if not ids and not rebuild:
            raise CommandError("give article ids or --rebuild")
        if rebuild:
            self.rebuild(quiet=options["verbosity"] == 0)
        missing = [i for i in ids if not self.show(i, limit, as_json=as_json)]
        if ids:
            self.stderr.write(f"related: {len(ids) - len(missing)} found, {len(missing)} not found")
        if missing:
            raise CommandError(f"no published article with id: {', '.join(missing)}")

    def rebuild(self, quiet: bool) -> None:
        def progress(iterable, total, label):
            return tqdm(
                iterable, total=total, desc=label, unit="art", file=self.stderr, disable=quiet
            )

        started = time.perf_counter()
        count = store.rebuild(progress)
        seconds = time.perf_counter() - started
        rate = count / seconds if seconds else 0.0
        self.stdout.write(f"related: rebuilt {count} articles in {seconds:.1f} s ({rate:.0f}/s)")

    def show(self, given: str, limit: int, *, as_json: bool) -> bool:
        match = Q(external_id=given)
        if given.isdigit():
            match |= Q(pk=int(given), external_id__isnull=True)
        article = ArticlePage.objects.published().filter(match).first()
        if article is None:
            return False
        related = related_articles(article, limit=limit)
        scores = dict(
            RelatedArticle.objects.filter(
                source=article, target__in=[a.pk for a in related]
            ).values_list("target_id", "score")
        )
        items = [
            {
                "id": public_id(a),
                "title": a.title,
                "score": scores.get(a.pk),
            }  # None: pinned by an editor
            for a in related
        ]
        if as_json:
            line = {"id": public_id(article), "related": items}
            self.stdout.write(json.dumps(line, ensure_ascii=False))
        else:
            self.stdout.write(f"{public_id(article)}  {article.title}")
            for n, item in enumerate(items, start=1):
                score = "مثبّت" if item["score"] is None else f"{item['score']:.3f}"
                self.stdout.write(f"  {n}. [{score}] {item['id']}  {item['title']}")
        return True
