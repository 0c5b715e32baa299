"""``sahafa import FORMAT PATH…`` — bring an archive in.

Exits non-zero when any item failed (after the summary), and at once, in one line,
when the site's database has not been set up.
"""

from __future__ import annotations

import json
import os

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

from sahafa.ingest.loader import LoadOptions, StorageFull, import_limits, load_paths
from sahafa.ingest.parsers import PARSERS, iter_records
from sahafa.ingest.records import ArticleRecord, RecordError
from sahafa.ingest.redirects import RedirectCounts


class Command(BaseCommand):
    help = (
        "Import articles from crawled page text, HTML pages, WordPress exports (WXR), "
        "RSS/Atom feeds or JSON lines. Idempotent: re-running updates, never duplicates."
    )

    def add_arguments(self, parser):
        parser.add_argument("format", choices=sorted(PARSERS), help="input format")
        parser.add_argument("paths", nargs="+", help="files (or http(s) URLs for html/feed)")
        parser.add_argument("--dry-run", action="store_true", help="parse only; write nothing")
        parser.add_argument(
            "--json", action="store_true", help="with --dry-run: print one JSON record per line"
        )
        parser.add_argument(
            "--keep-ticker",
            action="store_true",
            help="text pages: keep ticker headlines as records",
        )
        parser.add_argument("--limit", type=int, help="stop after N items")
        parser.add_argument("--section", default="", help="section for records that name none")
        parser.add_argument(
            "--as-draft", action="store_true", help="import everything as drafts for review"
        )
        parser.add_argument(
            "--update-masthead",
            action="store_true",
            help="take the outlet name and masthead from the pages",
        )
        parser.add_argument(
            "--media-dir",
            help="local copy of the export's uploads folder: attachments found there "
            "become Wagtail images (lead image, body images)",
        )
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, **opts):
        parse_options = {"keep_ticker": True} if opts["keep_ticker"] else {}
        if opts["format"] != "text" and opts["keep_ticker"]:
            raise CommandError("--keep-ticker applies to the text format only")
        if opts["dry_run"]:
            return self.dry_run(opts, parse_options)
        options = LoadOptions(
            default_section=opts["section"] or LoadOptions.default_section,
            force_status="draft" if opts["as_draft"] else None,
            update_masthead=opts["update_masthead"],
            limit=opts["limit"],
            media_dir=opts["media_dir"],
        )
        if opts["media_dir"] and not os.path.isdir(opts["media_dir"]):
            raise CommandError(f"--media-dir {opts['media_dir']} is not a folder")
        check_database_ready()
        try:
            loader = load_paths(
                opts["format"],
                opts["paths"],
                options,
                parse_options,
                progress=not opts["no_progress"],
            )
        except StorageFull as exc:
            self.stdout.write(exc.report.summary())
            raise CommandError(str(exc)) from exc
        for item, reason in loader.skipped_reasons:
            self.stdout.write(f"skipped: {item}: {reason}")
        for item, reason in loader.report.failed:
            self.stderr.write(f"failed: {item}: {reason}")
        self.stdout.write(loader.report.summary())
        if loader.redirects != RedirectCounts():
            self.stdout.write(loader.redirects.summary())
        if loader.report.failed:
            count = len(loader.report.failed)
            raise CommandError(
                f"لم يُستورد {count} من المواد (الأسباب أعلاه) / {count} items failed (reasons above)"
            )

    def dry_run(self, opts, parse_options) -> None:
        found = failed = 0
        for path in opts["paths"]:
            for item in iter_records(opts["format"], path, **import_limits(), **parse_options):
                if opts["limit"] and found + failed >= opts["limit"]:
                    break
                if isinstance(item, RecordError):
                    failed += 1
                    self.stderr.write(f"failed: {item}")
                    continue
                if not isinstance(item, ArticleRecord):
                    continue
                found += 1
                if opts["json"]:
                    self.stdout.write(json.dumps(item.to_json(), ensure_ascii=False))
        if not opts["json"]:
            self.stdout.write(f"dry run: found {found}, failed {failed}")
        if failed:
            raise CommandError(
                f"تعذّرت قراءة {failed} من المواد (الأسباب أعلاه) / {failed} items failed (reasons above)"
            )


def check_database_ready() -> None:
    """Refuse, in one line, a database whose migrations have not (all) been run:
    otherwise every record would fail on a missing table, one traceback each."""
    from django.db.migrations.executor import MigrationExecutor

    connection = connections[DEFAULT_DB_ALIAS]
    try:
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError as exc:
        first_line = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise CommandError(
            f"تعذّر الوصول إلى قاعدة البيانات / cannot reach the database ({first_line})"
        ) from exc
    if not pending:
        return
    if not executor.loader.applied_migrations:
        raise CommandError(
            "قاعدة البيانات لم تُهيّأ بعد: هيّئها بالأمر «sahafa demo» أو «sahafa manage migrate» "
            "/ the database is not set up yet: run `sahafa demo` or `sahafa manage migrate` first"
        )
    raise CommandError(
        "قاعدة البيانات تحتاج إلى تحديث: شغّل «sahafa manage migrate» "
        "/ the database is not up to date: run `sahafa manage migrate` first"
    )
