"""``sahafa manage rebuild_search_index``: re-index every live article."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from tqdm import tqdm


class Command(BaseCommand):
    help = "Empty the Arabic search index and index every live article again."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="count, change nothing")
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args, dry_run: bool, no_progress: bool, **options):
        from sahafa.news.models import ArticlePage
        from sahafa.search.backends import get_search_backend
        from sahafa.search.indexing import rebuild

        found = ArticlePage.objects.live().count()
        if dry_run:
            before = get_search_backend().count()
            self.stdout.write(
                f"found {found} live articles; {before} in the index; nothing changed"
            )
            return
        with tqdm(total=found, unit="article", disable=no_progress, file=self.stderr) as bar:
            indexed = rebuild(progress=bar.update)
        self.stdout.write(
            self.style.SUCCESS(f"found {found}, indexed {indexed}, failed {found - indexed}")
        )
