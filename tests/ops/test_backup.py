"""`sahafa backup DIR` and `sahafa restore DIR`, run as an operator runs them: real
processes on a real site (a SQLite file, or a PostgreSQL database of its own when the
run is on PostgreSQL), with a page cache in front and the files on disk."""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import os
import pty
import re
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import textwrap
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from sahafa.backup import manifest

from ..publishing import rows
from ..publishing.conftest import REPO, Site, _base_env, _named, _postgres, _server_url

# The sites' own Redis database: a restore empties the whole cache (Redis FLUSHDB),
# which must not take the rest of the run's cache with it.
REDIS_DATABASE = 14

FACTS = """
import hashlib, json
from pathlib import Path
from wsgiref.util import setup_testing_defaults
from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from sahafa.news.models import ArticlePage


def digest(name):
    if not default_storage.exists(name):
        return None
    with default_storage.open(name, "rb") as fh:
        return hashlib.sha256(fh.read()).hexdigest()


def facts():
    Image = get_image_model()
    return {
        "articles": [
            [a.pk, a.title, a.live, a.url_path, a.lead_image_id]
            for a in ArticlePage.objects.order_by("pk")
        ],
        "images": [[i.pk, i.title, i.file.name, digest(i.file.name)] for i in Image.objects.order_by("pk")],
        "renditions": [
            [r.file.name, digest(r.file.name)]
            for r in Image.get_rendition_model().objects.order_by("pk")
        ],
        "documents": [
            [d.pk, d.title, d.file.name, digest(d.file.name)]
            for d in get_document_model().objects.order_by("pk")
        ],
        "users": [[u.username, u.password, u.is_active] for u in get_user_model().objects.order_by("pk")],
    }


def read(path):
    # Through the whole WSGI application: the page cache in front of Django included.
    from sahafa.wsgi import application

    environ = {"PATH_INFO": path.encode().decode("latin-1"), "HTTP_HOST": "localhost"}
    setup_testing_defaults(environ)
    answer = {}

    def start_response(status, headers, exc_info=None):
        answer["status"] = int(status.split()[0])
        answer["cache"] = dict(headers).get("X-Sahafa-Cache")

    answer["body"] = b"".join(application(environ, start_response)).decode()
    return answer
"""

POPULATE = """
import io
from PIL import Image as PILImage
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from sahafa.news.structure import create_article, ensure_section

section = ensure_section("سياسة", "siyasa")
buffer = io.BytesIO()
PILImage.new("RGB", (120, 80), (180, 40, 40)).save(buffer, "JPEG")
image = get_image_model().objects.create(title="ميناء الدوحة", file=ImageFile(buffer, name="port.jpg"))
get_document_model().objects.create(
    title="بيان الوزارة", file=ContentFile("نص البيان الكامل".encode(), name="bayan.txt")
)
first = create_article(
    section, title="وزير المالية يعرض الموازنة", lead_image=image,
    body=[("paragraph", "<p>عرض الوزير مشروع الموازنة أمام البرلمان.</p>")],
)
second = create_article(
    section, title="افتتاح معرض الكتاب في الرياض",
    body=[("paragraph", "<p>افتتح المعرض أبوابه للزوار.</p>")],
)
get_user_model().objects.create_user("muharrir", password="Kalima-Sirr-2026-backup")
# An app's first read makes the lead image's renditions: their files are part of the site.
paths = [f"/api/v1/articles/{first.pk}/", f"/api/v1/articles/{second.pk}/"]
print(json.dumps({
    "read": read(paths[0]),
    "facts": facts(),
    "paths": paths,
    "ids": [first.pk, second.pk],
    "image": image.file.name,
}))
"""


@dataclass
class Original:
    """The site a backup was made of, that backup, and what the site held then."""

    site: Site
    database: str | None
    backup: Path
    report: subprocess.CompletedProcess
    facts: dict
    read: dict
    paths: list[str]
    ids: list[int]
    image: str


def _own_redis(env: dict[str, str]) -> None:
    if env.get("SAHAFA_CACHE_URL"):
        parts = urlsplit(env["SAHAFA_CACHE_URL"])
        env["SAHAFA_CACHE_URL"] = urlunsplit(parts._replace(path=f"/{REDIS_DATABASE}"))


def _new_site(prefix: str, template: str | None = None) -> tuple[Site, str | None]:
    """A home of its own and, on PostgreSQL, a database of its own (empty, or a copy of
    ``template``)."""
    home = Path(tempfile.mkdtemp(prefix=prefix))
    # Readers are checked through the read API (no collected static files needed);
    # the folder itself keeps WhiteNoise from warning of its absence.
    (home / "static").mkdir()
    env = _base_env(home)
    # Each home makes its own secret key, as an outlet's does: the backup carries it.
    env.pop("SAHAFA_SECRET_KEY", None)
    _own_redis(env)
    server = _server_url()
    name = None
    if server:
        name = f"sahafa_backup_{uuid.uuid4().hex[:10]}"
        sql = f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else "")
        import psycopg

        for attempt in range(25):
            try:
                _postgres(server, sql)
                break
            except psycopg.errors.ObjectInUse:
                # The template's last session may take a moment to end after its process.
                if attempt == 24:
                    raise
                time.sleep(0.2)
        env["SAHAFA_DATABASE_URL"] = _named(server, name)
    return Site(home=home, env=env), name


def _drop(site: Site, name: str | None) -> None:
    if name:
        _postgres(_server_url(), f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    shutil.rmtree(site.home, ignore_errors=True)


@pytest.fixture(scope="module")
def original():
    """A migrated site with two articles, an image (and its renditions), a document and
    a user, and a backup of it made by `sahafa backup`."""
    site, name = _new_site("sahafa-backup-original-")
    backup = Path(tempfile.mkdtemp(prefix="sahafa-backups-")) / "nightly"
    try:
        if site.env.get("SAHAFA_CACHE_URL"):
            import redis

            # Pages an earlier run cached under the same addresses (ids start alike).
            redis.Redis.from_url(site.env["SAHAFA_CACHE_URL"]).flushdb()
        site.sahafa("manage", "migrate", "--verbosity", "0")
        (site.home / "sahafa.env").write_text("SAHAFA_LOG_LEVEL=INFO\n")  # what init keeps
        made = json.loads(site.python(FACTS + POPULATE))
        assert made["read"]["status"] == 200
        report = site.sahafa("backup", str(backup))
        yield Original(
            site,
            name,
            backup,
            report,
            made["facts"],
            made["read"],
            made["paths"],
            made["ids"],
            made["image"],
        )
    finally:
        _drop(site, name)
        shutil.rmtree(backup.parent, ignore_errors=True)


@pytest.fixture
def site(original):
    """A copy of the original site, as it was when backed up."""
    copy, name = _new_site("sahafa-backup-site-", template=original.database)
    if name is None:
        with sqlite3.connect(original.site.home / "sahafa.sqlite3") as source:
            with sqlite3.connect(copy.home / "sahafa.sqlite3") as target:
                source.backup(target)
    shutil.copytree(original.site.home / "media", copy.home / "media")
    try:
        yield copy
    finally:
        _drop(copy, name)


def execute(site: Site, sql: str) -> None:
    url = site.env.get("SAHAFA_DATABASE_URL", "")
    if url:
        import psycopg

        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(sql)
    else:
        with sqlite3.connect(site.home / "sahafa.sqlite3", timeout=30) as conn:
            conn.execute(sql)


def retitle(site: Site, article_id: int, title: str) -> None:
    execute(site, f"UPDATE wagtailcore_page SET title = '{title}' WHERE id = {article_id}")


def title_of(site: Site, article_id: int) -> str:
    return rows.query(site, f"SELECT title FROM wagtailcore_page WHERE id = {article_id}")[0][0]


def restore(site: Site, backup: Path, *extra: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "sahafa.cli", "restore", str(backup), *extra],
        env=site.env,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=REPO,
        **({"stdin": subprocess.DEVNULL} | kwargs),
    )


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def one_error_line(done: subprocess.CompletedProcess) -> str:
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("sahafa: خطأ / error: "), done.stderr
    return lines[0]


# --- backup ---------------------------------------------------------------------------


def test_backup_holds_the_database_the_media_and_a_manifest_that_checks_them(original):
    backup = original.backup
    described = json.loads((backup / "manifest.json").read_text())
    on_disk = {p.relative_to(backup).as_posix() for p in backup.rglob("*") if p.is_file()} - {
        "manifest.json"
    }
    assert set(described["files"]) == on_disk
    for name, entry in described["files"].items():
        assert entry == {"sha256": sha256(backup / name), "size": (backup / name).stat().st_size}
    # Originals, documents and renditions, byte for byte.
    facts = original.facts
    media = original.site.home / "media"
    for name in [original.image, facts["documents"][0][2], facts["renditions"][0][0]]:
        assert sha256(backup / "media" / name) == sha256(media / name)

    vendor = "postgresql" if original.database else "sqlite"
    assert described["database"]["vendor"] == vendor
    database = backup / described["database"]["file"]
    if vendor == "sqlite":
        with sqlite3.connect(f"{database.as_uri()}?mode=ro", uri=True) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
            assert conn.execute("SELECT count(*) FROM news_articlepage").fetchone() == (2,)
        assert not (backup / "database.sqlite3-wal").exists()
    else:
        assert database.read_bytes()[:5] == b"PGDMP"  # pg_dump's custom format
    assert described["sahafa_version"] == importlib.metadata.version("sahafa")
    created = datetime.fromisoformat(described["created_at"])
    assert timedelta(0) <= datetime.now(UTC) - created < timedelta(minutes=10)
    news_migrations = sorted(
        p.stem for p in (REPO / "sahafa" / "news" / "migrations").glob("[0-9][0-9][0-9][0-9]_*.py")
    )
    assert described["migrations"]["news"] == news_migrations[-1]
    counts = described["counts"]
    main = {label: counts[label] for label in ("articles", "users", "images", "documents")}
    assert main == {"articles": 2, "users": 1, "images": 1, "documents": 1}
    assert counts["renditions"] == len(facts["renditions"]) >= 1
    # The home's own files: the key that signs sessions and links, and sahafa.env.
    home = original.site.home
    assert (backup / "home" / "secret_key").read_bytes() == (home / "secret_key").read_bytes()
    assert (backup / "home" / "sahafa.env").read_bytes() == (home / "sahafa.env").read_bytes()
    assert described["media"]["files"] == len([n for n in on_disk if n.startswith("media/")])
    # Password hashes, sessions and the key: for the owner only.
    assert backup.stat().st_mode & 0o077 == 0
    assert (backup / "home" / "secret_key").stat().st_mode & 0o077 == 0
    assert "الملفات / files: " in original.report.stdout
    assert f"files: {len(on_disk) + 1} " in original.report.stdout


def test_a_key_from_the_environment_is_said_not_copied(site, tmp_path):
    """With SAHAFA_SECRET_KEY set, a key file left in the home is not the key in use:
    the backup leaves it out and says where the key must be kept."""
    (site.home / "secret_key").write_text("an-old-key-no-longer-in-use")
    site.env["SAHAFA_SECRET_KEY"] = "the-key-the-service-gives-0123456789-abcdefghijklmnop"
    done = site.sahafa("backup", str(tmp_path / "nightly"))
    assert not (tmp_path / "nightly" / "home" / "secret_key").exists()
    assert (tmp_path / "nightly" / "home" / "sahafa.env").exists() == (
        site.home / "sahafa.env"
    ).exists()
    assert "the secret key comes from SAHAFA_SECRET_KEY and is not copied" in done.stdout


def test_backup_into_a_folder_that_is_not_empty_is_refused(original, tmp_path):
    target = tmp_path / "backups"
    target.mkdir()
    (target / "notes.txt").write_text("نسخة الأمس")
    done = original.site.sahafa("backup", str(target), check=False)
    assert done.returncode != 0
    assert "not empty" in one_error_line(done)
    assert [p.name for p in target.iterdir()] == ["notes.txt"]


@pytest.mark.parametrize("existing", [False, True], ids=["new-folder", "empty-folder"])
def test_a_backup_that_cannot_be_written_in_full_leaves_nothing_behind(
    original, tmp_path, existing
):
    target = tmp_path / "nightly"
    if existing:
        target.mkdir()

    def small_disk() -> None:
        # Every file this process (and pg_dump) writes stops at 64 KiB, as on a full
        # disk (Python ignores SIGXFSZ: writes fail with EFBIG instead).
        resource.setrlimit(resource.RLIMIT_FSIZE, (64 * 1024, 64 * 1024))

    done = subprocess.run(
        [sys.executable, "-m", "sahafa.cli", "backup", str(target)],
        env=original.site.env,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=REPO,
        preexec_fn=small_disk,  # noqa: PLW1509 - only sets a limit
    )
    assert done.returncode != 0
    one_error_line(done)
    assert [p.name for p in tmp_path.iterdir()] == (["nightly"] if existing else [])
    if existing:
        assert list(target.iterdir()) == []


# --- restore --------------------------------------------------------------------------


def test_restore_puts_the_site_back_exactly_and_readers_get_none_of_the_replaced_one(
    original, site
):
    first, second = original.paths
    first_id, second_id = original.ids
    extra = site.home / "media" / "original_images" / "after-the-backup.jpg"
    changed = json.loads(
        site.python(
            FACTS
            + textwrap.dedent(
                f"""
            from sahafa.delivery.purge import purge
            ArticlePage.objects.filter(pk={first_id}).update(title="عنوان كُتب بعد النسخة")
            ArticlePage.objects.get(pk={second_id}).delete()
            image = get_image_model().objects.get()
            image.file.delete(save=False)
            image.delete()
            get_user_model().objects.all().delete()
            get_user_model().objects.create_user("dakhil", password="Kalima-Ukhra-2026")
            Path({str(extra)!r}).write_bytes(b"not in the backup")
            purge(None)
            read({first!r})
            print(json.dumps({{"cached": read({first!r}), "facts": facts()}}))
            """
            )
        )
    )
    # The changed page is what the page cache holds now.
    assert changed["cached"]["cache"] == "hit"
    assert "عنوان كُتب بعد النسخة" in changed["cached"]["body"]
    assert changed["facts"] != original.facts

    done = restore(site, original.backup, "--yes")
    assert done.returncode == 0, done.stderr
    assert done.stdout.index("استُعيدت النسخة") < done.stdout.index("backup restored")
    assert "articles: 2" in done.stdout

    after = json.loads(
        site.python(
            FACTS
            + f'print(json.dumps({{"facts": facts(), "pages": [read(p) for p in {[first, second]!r}]}}))'
        )
    )
    assert after["facts"] == original.facts
    one, two = after["pages"]
    assert one["status"] == 200 and one["cache"] == "miss"
    # What an app reads is what it read before the backup, the image's renditions too.
    assert one["body"] == original.read["body"]
    assert "وزير المالية يعرض الموازنة" in one["body"]
    assert original.facts["renditions"][0][0] in one["body"]
    assert two["status"] == 200 and "افتتاح معرض الكتاب في الرياض" in two["body"]
    assert not extra.exists()
    media = site.home / "media"
    assert sha256(media / original.image) == sha256(original.site.home / "media" / original.image)
    assert not [p for p in media.iterdir() if p.name.startswith(".")]


def test_restore_over_a_site_with_content_without_yes_or_a_terminal_refuses(original, site):
    first_id = original.ids[0]
    retitle(site, first_id, "عنوان الموقع الحالي")
    marker = site.home / "media" / "current-site.txt"
    marker.write_text("of the current site")
    done = restore(site, original.backup)
    assert done.returncode == 1
    assert "--yes" in one_error_line(done)
    assert title_of(site, first_id) == "عنوان الموقع الحالي"
    assert marker.exists()


def test_restore_asks_on_a_terminal_and_anything_but_yes_changes_nothing(original, site):
    first_id = original.ids[0]
    retitle(site, first_id, "عنوان الموقع الحالي")
    terminal, keyboard = pty.openpty()
    os.write(terminal, b"no\n")
    try:
        done = restore(site, original.backup, stdin=keyboard)
    finally:
        os.close(terminal)
        os.close(keyboard)
    assert "الموقع الحالي فيه محتوى" in done.stdout and "اكتب yes للمتابعة" in done.stdout
    assert done.returncode == 1
    assert "cancelled" in one_error_line(done)
    assert title_of(site, first_id) == "عنوان الموقع الحالي"


def test_a_tampered_backup_is_refused_before_anything_changes(original, site, tmp_path):
    backup = tmp_path / "copy"
    shutil.copytree(original.backup, backup)
    image = backup / "media" / original.image
    data = bytearray(image.read_bytes())
    data[len(data) // 2] ^= 0xFF  # same size, one byte changed
    image.write_bytes(bytes(data))
    first_id = original.ids[0]
    retitle(site, first_id, "عنوان الموقع الحالي")
    done = restore(site, backup, "--yes")
    assert done.returncode != 0
    assert f"media/{original.image}" in one_error_line(done)
    assert title_of(site, first_id) == "عنوان الموقع الحالي"
    assert sorted(p.name for p in (site.home / "media").iterdir()) == sorted(
        p.name for p in (original.site.home / "media").iterdir()
    )


def test_a_backup_of_the_other_database_vendor_is_refused(original, site, tmp_path):
    backup = tmp_path / "copy"
    shutil.copytree(original.backup, backup)
    described = json.loads((backup / "manifest.json").read_text())
    described["database"]["vendor"] = "sqlite" if original.database else "postgresql"
    (backup / "manifest.json").write_text(json.dumps(described))
    retitle(site, original.ids[0], "عنوان الموقع الحالي")
    done = restore(site, backup, "--yes")
    assert done.returncode == 1
    error = one_error_line(done)
    assert re.search(r"SQLite.*PostgreSQL|PostgreSQL.*SQLite", error)
    assert "different command" in error
    assert title_of(site, original.ids[0]) == "عنوان الموقع الحالي"


def test_restore_onto_a_new_server_asks_nothing(original):
    """A new home and an empty database, not even migrated: nothing to lose, so no
    question, and the site is the backed-up one."""
    fresh, name = _new_site("sahafa-backup-fresh-")
    try:
        done = restore(fresh, original.backup)
        assert done.returncode == 0, done.stderr
        titles = rows.query(
            fresh,
            "SELECT p.title FROM wagtailcore_page p "
            "JOIN news_articlepage a ON a.page_ptr_id = p.id ORDER BY p.id",
        )
        assert [t for (t,) in titles] == [a[1] for a in original.facts["articles"]]
        assert rows.query(fresh, "SELECT username FROM auth_user") == [("muharrir",)]
        assert sha256(fresh.home / "media" / original.image) == sha256(
            original.backup / "media" / original.image
        )
        # The new home signs with the original's key (sessions and mailed links stay
        # valid) and knows what init was told.
        for kept in ("secret_key", "sahafa.env"):
            assert (fresh.home / kept).read_bytes() == (original.site.home / kept).read_bytes()
            assert f"restored {kept}" in done.stdout
        assert (fresh.home / "secret_key").stat().st_mode & 0o077 == 0
    finally:
        _drop(fresh, name)


def test_restore_keeps_a_homes_own_settings_file_and_says_so(original):
    """A backup restored onto a staging server keeps the staging home's sahafa.env
    (its own public address); the backup's copy is named for whoever wants it."""
    fresh, name = _new_site("sahafa-backup-staging-")
    own = "SAHAFA_BASE_URL=https://staging.example\n"
    (fresh.home / "sahafa.env").write_text(own)
    try:
        done = restore(fresh, original.backup)
        assert done.returncode == 0, done.stderr
        assert (fresh.home / "sahafa.env").read_text() == own
        assert "kept this home's sahafa.env" in done.stdout
        assert str(original.backup / "home" / "sahafa.env") in done.stdout
    finally:
        _drop(fresh, name)


# --- the manifest's checks, without a site ----------------------------------------------


@pytest.fixture
def small_backup(tmp_path) -> Path:
    """A backup folder of two files and the manifest that lists them."""
    (tmp_path / "media" / "original_images").mkdir(parents=True)
    (tmp_path / "database.sqlite3").write_bytes(b"SQLite format 3\x00" + bytes(100))
    (tmp_path / "media" / "original_images" / "port.jpg").write_bytes(b"\xff\xd8 jpeg")
    entries = {
        name: manifest.hash_file(tmp_path / name).to_json()
        for name in ("database.sqlite3", "media/original_images/port.jpg")
    }
    manifest.write(
        tmp_path,
        {
            "format": manifest.FORMAT,
            "format_version": manifest.FORMAT_VERSION,
            "database": {"vendor": "sqlite", "file": "database.sqlite3"},
            "migrations": {},
            "counts": {},
            "files": entries,
        },
    )
    return tmp_path


def test_the_manifest_of_a_whole_backup_verifies(small_backup):
    described = manifest.read(small_backup)
    assert manifest.verify(small_backup, described) == (2, 116 + 7)


@pytest.mark.parametrize(
    ("damage", "named"),
    [
        (lambda b: (b / "database.sqlite3").unlink(), "missing from the backup: database.sqlite3"),
        (
            lambda b: (b / "media/original_images/port.jpg").write_bytes(b"\xff\xd8 jpeg!"),
            "(size): media/original_images/port.jpg",
        ),
        (
            lambda b: (b / "media/original_images/port.jpg").write_bytes(b"\xff\xd8 JPEG"),
            "(checksum): media/original_images/port.jpg",
        ),
        (
            lambda b: (b / "media/original_images/extra.jpg").write_bytes(b"?"),
            "not in the manifest: media/original_images/extra.jpg",
        ),
    ],
    ids=["missing", "resized", "tampered", "unlisted"],
)
def test_verify_names_the_file_that_fails(small_backup, damage, named):
    described = manifest.read(small_backup)
    damage(small_backup)
    with pytest.raises(manifest.BackupError, match=re.escape(named)):
        manifest.verify(small_backup, described)


@pytest.mark.parametrize("name", ["../secret_key", "/etc/passwd", "media//x", "media/./x", ""])
def test_a_manifest_naming_files_outside_the_backup_is_refused(small_backup, name):
    path = small_backup / "manifest.json"
    described = json.loads(path.read_text())
    described["files"][name] = {"sha256": "0" * 64, "size": 0}
    path.write_text(json.dumps(described))
    with pytest.raises(manifest.BackupError, match="invalid file name"):
        manifest.read(small_backup)


def test_a_backup_of_a_newer_release_is_known_by_its_migrations():
    from sahafa.backup import database

    assert database.unknown_migrations(
        {
            "news": "9999_from_a_newer_release",
            "auth": "0012_alter_user_first_name_max_length",
            "an_app_removed_since": "0001_initial",
        }
    ) == ["news.9999_from_a_newer_release"]


def test_the_latest_migration_of_an_app_follows_the_graph_not_the_row_order():
    from sahafa.backup import database

    # Django writes a squashed migration's row last, after those it replaces.
    applied = [
        ("wagtailcore", "0097_baselogentry_uuid_action_timestamp_indexes"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailcore", "0001_squashed_0016_change_page_url_path_to_text_field"),
        ("news", "0001_initial"),
    ]
    latest = database.latest_migrations(applied)
    assert latest == {"news": "0001_initial", "wagtailcore": "0098_apitoken"}
