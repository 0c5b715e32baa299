"""The disk fills up in the middle of an import (SQLite, the embedded default): the
command stops with a clear error and a non-zero exit, what it committed is whole
(no half-written article, the database intact), the site keeps serving, and a re-run
once there is room imports exactly the rest.

A full disk is simulated with a file-size limit on the import's process (RLIMIT_FSIZE:
any write past it fails as it would on a full disk), so nothing else on the machine
is affected. On PostgreSQL the server writes the files, so this is SQLite's test.
"""

from __future__ import annotations

import html
import resource
import subprocess
import sys

import pytest

from . import rows
from .conftest import REPO, _server_url, fetch
from .corpus import write_jsonl
from .test_durable_tasks import rerun_imports_the_rest

pytestmark = pytest.mark.skipif(
    bool(_server_url()), reason="a full disk of the importing process is SQLite's case"
)

TOTAL = 400


def test_a_full_disk_stops_the_import_cleanly_and_the_rerun_imports_the_rest(site):
    source = write_jsonl(site.home / "archive.jsonl", TOTAL)
    database = site.home / "sahafa.sqlite3"
    # Room for a few batches beyond what the database holds now, not for all of them.
    limit = database.stat().st_size + 600 * 1024

    def small_disk() -> None:
        # Python ignores SIGXFSZ, so a write past the limit fails with EFBIG, as
        # ENOSPC fails it on a full disk.
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    done = subprocess.run(
        [sys.executable, "-m", "sahafa.cli", "import", "jsonl", str(source), "--no-progress"],
        env=site.env,
        capture_output=True,
        text=True,
        timeout=300,
        cwd=REPO,
        preexec_fn=small_disk,  # noqa: PLW1509 - only sets a limit
    )
    assert done.returncode != 0, done.stdout[-2000:]
    assert "Traceback" not in done.stderr, done.stderr[-3000:]
    # What the operator reads (the JSON lines are the log, for the log collector).
    said = [line for line in done.stderr.splitlines() if line and not line.startswith("{")]
    assert said and "disk" in " ".join(said).lower(), said[-20:]
    assert len(said) < 5, ("one clear error, not one per record", said[:10])

    assert rows.query(site, "PRAGMA integrity_check") == [("ok",)]
    saved = rows.live_article_ids(site)
    assert len(saved) < TOTAL
    assert rows.count(site, "news_articlepage") == len(saved), "no half-written article"

    # The site keeps serving what it has.
    latest = site.python(
        """
        from sahafa.news.models import ArticlePage
        print(ArticlePage.objects.live().order_by("-first_published_at", "-pk")[0].title)
        """
    ).strip()
    server, base = site.serve(1)
    status, home = fetch(base + "/")
    assert status == 200 and html.escape(latest, quote=False) in home, status
    site.stop(server)

    rerun_imports_the_rest(site, source, saved, TOTAL)
