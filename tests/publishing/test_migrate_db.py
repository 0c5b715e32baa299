"""`sahafa migrate-db --to postgres://…`: a SQLite site with content, revisions,
accounts, a redirect, an image and queued work moved into a new PostgreSQL database,
verified table by table; the site then runs on PostgreSQL as it ran on SQLite. A
target that is somebody's site already, or no PostgreSQL URL, is refused in one line.

Runs in the SQLite pass (the source must be SQLite) against the run's PostgreSQL
server (SAHAFA_TEST_POSTGRES_URL, which scripts/test.sh exports).
"""

from __future__ import annotations

import os
import re
import uuid

import pytest

from .conftest import _named, _postgres, _server_url, fetch

SERVER = os.environ.get("SAHAFA_TEST_POSTGRES_URL", "")

pytestmark = [
    pytest.mark.skipif(not SERVER, reason="needs SAHAFA_TEST_POSTGRES_URL (scripts/test.sh)"),
    pytest.mark.skipif(bool(_server_url()), reason="the site moved is a SQLite one"),
]

TITLE = "وزير الزراعة يفتتح سوق المزارعين"
DRAFT = "مسودة عن موسم الحصاد"

POPULATE = f"""
import io
from PIL import Image as PILImage
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.images import ImageFile
from wagtail.contrib.redirects.models import Redirect
from wagtail.images import get_image_model
from sahafa.news.models import SectionPage
from sahafa.news.structure import create_article

section = SectionPage.objects.get(slug="siyasa")
buffer = io.BytesIO()
PILImage.new("RGB", (640, 420), (40, 120, 60)).save(buffer, "JPEG")
image = get_image_model().objects.create(title="السوق", file=ImageFile(buffer, name="souq.jpg"))
live = create_article(section, title={TITLE!r}, lead_image=image,
                      tags=["زراعة", "أسواق"],
                      body=[("paragraph", "<p>افتُتح السوق صباح الجمعة بمشاركة مئة مزارع.</p>"),
                            ("heading", "ماذا يبيع المزارعون؟")])
draft = create_article(section, title={DRAFT!r}, publish=False,
                       body=[("paragraph", "<p>النسخة الأولى.</p>")])
draft.title = {DRAFT!r} + " (منقحة)"
draft.save_revision()
user = get_user_model().objects.create_user("muharrir", password="Kalima-Sirr-2026-move")
user.groups.add(Group.objects.get_or_create(name="محررو الأقسام")[0])
Redirect.objects.create(old_path="/old/souq-story", redirect_page=live)
"""

FACTS = """
import json
from django.contrib.auth import get_user_model
from django.db import connection
from wagtail.models import Revision
from sahafa.news.models import ArticlePage
from sahafa.search import backends
live = ArticlePage.objects.live().get(title__startswith="وزير الزراعة")
print(json.dumps({
    "vendor": connection.vendor,
    "articles": ArticlePage.objects.count(),
    "live": ArticlePage.objects.live().count(),
    "revisions": Revision.objects.count(),
    "users": sorted(get_user_model().objects.values_list("username", flat=True)),
    "groups": sorted(get_user_model().objects.get(username="muharrir")
                     .groups.values_list("name", flat=True)),
    "tags": sorted(live.tags.values_list("name", flat=True)),
    "lead_image": live.lead_image.file.name,
    "draft_title": ArticlePage.objects.get(live=False).get_latest_revision_as_object().title,
}, ensure_ascii=False))
"""


@pytest.fixture
def target():
    name = f"sahafa_move_{uuid.uuid4().hex[:10]}"
    _postgres(SERVER, f'CREATE DATABASE "{name}"')
    yield _named(SERVER, name)
    _postgres(SERVER, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_sqlite_site_moves_to_postgresql_whole_and_runs_there(site, target):
    import json

    site.python(POPULATE)
    site.sahafa("worker", "--once")
    before = json.loads(site.python(FACTS))
    assert before["vendor"] == "sqlite"

    done = site.sahafa("migrate-db", "--to", target, "--no-progress")
    assert "every table verified (rows and SHA-256)" in done.stdout, done.stdout
    assert re.search(r"news_articlepage\s+2\s+sha256 [0-9a-f]{16}", done.stdout), done.stdout

    moved = site.env | {"SAHAFA_DATABASE_URL": target}
    on_postgres = type(site)(home=site.home, env=moved)
    after = json.loads(on_postgres.python(FACTS))
    assert after == before | {"vendor": "postgresql"}

    # The site on PostgreSQL: the article, Arabic search (index rebuilt there), the
    # redirect, and new ids past the copied ones.
    server, base = on_postgres.serve(1)
    status, home = fetch(base + "/")
    assert status == 200 and TITLE in home
    status, results = fetch(
        base + "/search/?q=%D8%A7%D9%84%D9%85%D8%B2%D8%A7%D8%B1%D8%B9%D9%8A%D9%86"
    )
    assert status == 200 and TITLE in results
    status, _ = fetch(base + "/old/souq-story")
    assert status == 200  # followed to the article
    on_postgres.python(
        """
        from sahafa.news.models import SectionPage
        from sahafa.news.structure import create_article
        create_article(SectionPage.objects.get(slug="iqtisad"), title="خبر بعد النقل",
                       body=[("paragraph", "<p>أول خبر على PostgreSQL.</p>")])
        """
    )
    on_postgres.stop(server)

    # The source is untouched, and the same target is refused now that it is a site.
    assert json.loads(site.python(FACTS)) == before
    again = site.sahafa("migrate-db", "--to", target, "--no-progress", check=False)
    assert again.returncode == 2
    assert "the target database is not empty" in again.stderr
    assert "Traceback" not in again.stderr


def test_bad_targets_are_refused_in_one_line(site):
    for url, said in [
        ("sqlite:///tmp/other.sqlite3", "a postgres:// URL is needed"),
        ("not a url", "a postgres:// URL is needed"),
        (_named(SERVER, "sahafa_no_such_database"), "cannot connect to the target"),
    ]:
        done = site.sahafa("migrate-db", "--to", url, "--no-progress", check=False)
        assert done.returncode != 0, url
        assert said in done.stderr, (url, done.stderr[-500:])
        assert "Traceback" not in done.stderr
