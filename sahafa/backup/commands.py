"""``sahafa backup DIR`` and ``sahafa restore DIR [--yes]``, called by sahafa/cli.py
once Django is set up and the database answers."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import NoReturn

from django.conf import settings

from . import database, home_files, manifest, media
from .manifest import BackupError

VENDOR_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


def backup_command(directory: str) -> int:
    """Write a backup into ``directory``; 0 when done. A failure prints one line and
    exits non-zero (SystemExit, through ``sahafa.cli.fail``), leaving nothing behind."""
    started = time.monotonic()
    try:
        target, files, size = create(Path(directory))
    except BackupError as exc:
        _fail(exc)
    except OSError as exc:
        _fail(BackupError(f"تعذّرت كتابة النسخة / could not write the backup: {exc}"))
    seconds = time.monotonic() - started
    print(f"اكتملت النسخة الاحتياطية / backup written: {target}")
    print(
        f"الملفات / files: {files} · الحجم / size: {_size(size)} ({size} bytes)"
        f" · المدة / duration: {seconds:.2f} s"
    )
    if home_files.key_from_environment():
        print(
            "المفتاح السري من SAHAFA_SECRET_KEY ولم يُنسخ: احفظه مع إعدادات الخدمة / the secret"
            " key comes from SAHAFA_SECRET_KEY and is not copied: keep it with the service's"
            " settings"
        )
    bucket = settings.STORAGES["default"].get("OPTIONS", {}).get("bucket_name")
    if bucket:
        # Said, not hidden: the uploads are not in this backup.
        print(
            f"الوسائط في الحاوية {bucket} لم تُنسخ: احفظها بإصدارات الحاوية أو نسخها المتماثل"
            f" / the media in bucket {bucket} are not copied: keep them with the bucket's"
            " versioning or replication"
        )
    return 0


def restore_command(directory: str, assume_yes: bool, ask: Callable[[str], str] = input) -> int:
    """Put the backup in ``directory`` in place of the site's database and media; 0 when
    done. Over a site with content it asks first (``ask``), unless ``assume_yes``."""
    started = time.monotonic()
    try:
        report = restore(Path(directory), assume_yes, ask)
    except BackupError as exc:
        _fail(exc)
    except OSError as exc:
        _fail(BackupError(f"تعذّرت الاستعادة / could not restore: {exc}"))
    seconds = time.monotonic() - started
    counts = report["counts"]
    print(f"استُعيدت النسخة / backup restored: {report['source']} ({report['created_at']})")
    print(
        f"المقالات / articles: {counts.get('articles', 0)} · المستخدمون / users: "
        f"{counts.get('users', 0)} · الملفات / files: {report['files']} · الحجم / size: "
        f"{_size(report['bytes'])} · المدة / duration: {seconds:.2f} s"
    )
    for line in report["home"]:
        print(line)
    if report["pending_migrations"]:
        print(
            "النسخة من إصدار أقدم: شغّل sahafa manage migrate / the backup is of an older "
            f"release: run sahafa manage migrate ({report['pending_migrations']} migrations)"
        )
    print(
        "إن كان الموقع قيد التشغيل فأعد تشغيل sahafa serve / if the site is being served, "
        "restart sahafa serve"
    )
    return 0


def _fail(exc: BackupError) -> NoReturn:
    from sahafa.cli import fail  # the one format of the command's error line

    fail(str(exc), exc.code)


def _size(size: int) -> str:
    value = float(size)
    for unit in ("B", "KB", "MB"):
        if value < 1024:
            return f"{size} B" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} GB"


def sahafa_version() -> str:
    try:
        return metadata.version("sahafa")
    except metadata.PackageNotFoundError:
        # Run from a checkout that was never installed: the version it declares.
        import tomllib

        pyproject = Path(__file__).resolve().parents[2] / "pyproject.toml"
        try:
            return tomllib.loads(pyproject.read_text())["project"]["version"]
        except (OSError, KeyError, tomllib.TOMLDecodeError):
            return "unknown"


# --- backup ---------------------------------------------------------------------------


def create(directory: Path) -> tuple[Path, int, int]:
    """Write the backup; return (folder, files, bytes).

    Everything is written into a hidden work folder first and moved into place at the
    end, so an interrupted or failed backup leaves no folder that looks like a backup.
    The database is dumped before the media are copied: a file is written before the
    row that names it commits, so every image row of the dump has its file copied.
    """
    target = directory.expanduser().absolute()
    if target.exists() and not target.is_dir():
        raise BackupError(f"ليس مجلدًا / not a folder: {target}", code=2)
    if target.is_dir() and any(target.iterdir()):
        raise BackupError(
            f"المجلد غير فارغ / the folder is not empty: {target} (choose a new or empty one)",
            code=2,
        )
    media_root = Path(settings.MEDIA_ROOT).resolve()
    if target.resolve().is_relative_to(media_root):
        raise BackupError(
            f"المجلد داخل مجلد الوسائط / the folder is inside MEDIA_ROOT ({media_root})", code=2
        )
    if target.is_dir():
        # An empty folder given (perhaps a mounted backup disk): work inside it, on
        # its file system, and keep its owner and mode.
        work = Path(tempfile.mkdtemp(prefix=".sahafa-backup-partial-", dir=target))
    else:
        target.parent.mkdir(parents=True, exist_ok=True)
        # Owner-only (mkdtemp): the backup holds password hashes and sessions.
        work = Path(tempfile.mkdtemp(prefix=f".{target.name}.partial-", dir=target.parent))
    try:
        dump = database.dump(work)
        entries = {dump.file: manifest.hash_file(work / dump.file)}
        entries.update(media.copy_tree(media_root, work / manifest.MEDIA_PREFIX))
        entries.update(home_files.copy(Path(settings.HOME), work / home_files.PREFIX))
        manifest.write(work, _manifest(dump, entries))
        _publish(work, target)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    files = len(entries) + 1
    size = sum(entry.size for entry in entries.values())
    return target, files, size + (target / manifest.MANIFEST_NAME).stat().st_size


def _manifest(dump: database.Dump, entries: dict[str, manifest.FileEntry]) -> dict:
    import django
    import wagtail

    media_entries = [
        e for name, e in entries.items() if name.startswith(f"{manifest.MEDIA_PREFIX}/")
    ]
    return {
        "format": manifest.FORMAT,
        "format_version": manifest.FORMAT_VERSION,
        "sahafa_version": sahafa_version(),
        "django_version": django.get_version(),
        "wagtail_version": wagtail.__version__,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "database": {
            "vendor": dump.vendor,
            "server_version": dump.server_version,
            "file": dump.file,
        },
        "migrations": dump.migrations,
        "counts": dump.counts,
        "media": {"files": len(media_entries), "bytes": sum(e.size for e in media_entries)},
        "files": {name: entry.to_json() for name, entry in sorted(entries.items())},
    }


def _publish(work: Path, target: Path) -> None:
    if work.parent == target:
        # The manifest last: a folder without one is not taken for a whole backup.
        names = sorted(os.listdir(work), key=lambda n: n == manifest.MANIFEST_NAME)
        for name in names:
            os.rename(work / name, target / name)
        work.rmdir()
    else:
        os.rename(work, target)
    _fsync_dir(target.parent)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# --- restore --------------------------------------------------------------------------


def restore(directory: Path, assume_yes: bool, ask: Callable[[str], str]) -> dict:
    """Check the backup in full, ask over a site with content, then replace the
    database and the media and empty the page caches. Nothing of the site changes
    before every check has passed and the question is answered."""
    source = directory.expanduser().absolute()
    if not source.is_dir():
        raise BackupError(f"لا يوجد مجلد / no such folder: {source}", code=2)
    described = manifest.read(source)
    backup_vendor = described["database"].get("vendor")
    if backup_vendor != database.vendor():
        theirs = VENDOR_NAMES.get(backup_vendor, str(backup_vendor))
        ours = VENDOR_NAMES.get(database.vendor(), database.vendor())
        raise BackupError(
            f"النسخة من {theirs} والموقع على {ours} / the backup is of a {theirs} database and "
            f"this site runs on {ours}: a restore puts a backup back on the same kind of "
            "database; moving a site between SQLite and PostgreSQL is a different command "
            "(Django's dumpdata and loaddata: sahafa manage dumpdata …)"
        )
    unknown = database.unknown_migrations(described["migrations"])
    if unknown:
        raise BackupError(
            "النسخة من إصدار أحدث / the backup was made by a newer Sahafa "
            f"({described.get('sahafa_version')}; unknown migrations: {', '.join(unknown[:3])}):"
            " upgrade Sahafa first"
        )
    files, size = manifest.verify(source, described)
    _confirm(assume_yes, ask)
    media_root = Path(settings.MEDIA_ROOT)
    work = media.stage(source, described, media_root)
    try:
        database.load(source / described["database"]["file"], backup_vendor)
    except BaseException:
        media.discard(work)
        raise
    media.swap(work, media_root)
    home_said = home_files.put_back(source, described, Path(settings.HOME))
    _forget_cached_pages()
    counts = database.current_counts()
    differ = [
        f"{label} {counts.get(label)} ≠ {expected}"
        for label, expected in sorted(described["counts"].items())
        if counts.get(label) != expected
    ]
    if differ:
        raise BackupError(
            "الاستعادة لا تطابق البيان / the restored database does not match the manifest: "
            + ", ".join(differ)
        )
    return {
        "source": source,
        "created_at": described.get("created_at"),
        "files": files,
        "bytes": size,
        "counts": counts,
        "pending_migrations": database.pending_migrations(),
        "home": home_said,
    }


def _confirm(assume_yes: bool, ask: Callable[[str], str]) -> None:
    articles, users = database.current_content()
    if assume_yes or (articles == 0 and users == 0):
        return
    arabic = f"المقالات: {articles}، المستخدمون: {users}"
    english = f"{articles} articles, {users} users"
    if not sys.stdin.isatty():
        raise BackupError(
            f"الموقع الحالي فيه محتوى ({arabic}) ولا طرفية للسؤال / the current site has "
            f"content ({english}) and there is no terminal to ask: run again with --yes "
            "to replace it"
        )
    try:
        answer = ask(
            f"الموقع الحالي فيه محتوى ({arabic}) وسيُستبدل بما في النسخة. اكتب yes للمتابعة"
            f" / the current site has content ({english}) and will be replaced; "
            "type yes to continue: "
        )
    except EOFError:
        answer = ""
    if answer.strip().lower() != "yes":
        raise BackupError("أُلغيت الاستعادة، لم يتغير شيء / restore cancelled, nothing changed")


def _forget_cached_pages() -> None:
    """Readers must not get pages (or cached fragments) of the site that was replaced:
    the default cache is emptied, and every page cache, an edge included, purged."""
    from django.core.cache import cache

    from sahafa.delivery.purge import purge

    cache.clear()
    purge(None)
