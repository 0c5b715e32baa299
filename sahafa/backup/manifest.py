"""The backup folder's ``manifest.json``: what it holds, and the proof that it is whole.

Plain functions without Django: hashing and copying files, reading and checking the
manifest. Every file of a backup but the manifest itself is listed with its size and
SHA-256; a restore checks them all before it changes anything.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

MANIFEST_NAME = "manifest.json"
FORMAT = "sahafa-backup"
FORMAT_VERSION = 1
MEDIA_PREFIX = "media"
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot go on; ``str()`` is the one line shown."""

    def __init__(self, message: str, code: int = 1) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class FileEntry:
    sha256: str
    size: int

    def to_json(self) -> dict:
        return {"sha256": self.sha256, "size": self.size}


def hash_file(path: Path) -> FileEntry:
    digest = hashlib.sha256()
    size = 0
    with open(path, "rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return FileEntry(digest.hexdigest(), size)


def copy_hashed(source: Path, target: Path) -> FileEntry:
    """Copy ``source`` to a new file ``target`` (parents made), hashing the bytes as
    they pass: what is recorded (or checked) is what was read, in one read. The copy
    is flushed to disk, so a full disk fails here, not after the backup said done."""
    target.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    size = 0
    with open(source, "rb") as src, open(target, "xb") as dst:
        while chunk := src.read(CHUNK):
            digest.update(chunk)
            dst.write(chunk)
            size += len(chunk)
        dst.flush()
        os.fsync(dst.fileno())
    return FileEntry(digest.hexdigest(), size)


def checked_name(name: object) -> PurePosixPath:
    """A file name of the manifest, refused unless it is a plain relative path inside
    the backup (no ``..``, no absolute path): a restore writes where it says."""
    if not isinstance(name, str) or not name or "\\" in name or "\x00" in name:
        raise BackupError(f"manifest.json: اسم ملف غير صالح / invalid file name {name!r}")
    path = PurePosixPath(name)
    if path.is_absolute() or any(part in ("", ".", "..") for part in name.split("/")):
        raise BackupError(f"manifest.json: اسم ملف غير صالح / invalid file name {name!r}")
    return path


def write(directory: Path, manifest: dict) -> None:
    path = directory / MANIFEST_NAME
    with open(path, "x", encoding="utf-8") as fh:
        json.dump(manifest, fh, ensure_ascii=False, indent=2, sort_keys=True)
        fh.write("\n")
        fh.flush()
        os.fsync(fh.fileno())


def read(directory: Path) -> dict:
    """The manifest of the backup in ``directory``, its shape checked."""
    path = directory / MANIFEST_NAME
    if not path.is_file():
        raise BackupError(
            f"ليست نسخة احتياطية من صحافة / not a Sahafa backup: no {MANIFEST_NAME} in {directory}"
        )
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BackupError(f"{MANIFEST_NAME}: ملف تالف / unreadable ({exc})") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{MANIFEST_NAME}: ليس بيان نسخة صحافة / not a Sahafa backup manifest")
    version = manifest.get("format_version")
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise BackupError(
            f"{MANIFEST_NAME}: صيغة أحدث من هذا الإصدار / format {version!r} is newer than "
            f"this Sahafa reads ({FORMAT_VERSION}): upgrade Sahafa first"
        )
    files = manifest.get("files")
    database = manifest.get("database")
    if (
        not isinstance(files, dict)
        or not isinstance(database, dict)
        or not isinstance(database.get("file"), str)
        or database["file"] not in files
        or not isinstance(manifest.get("migrations"), dict)
        or not isinstance(manifest.get("counts"), dict)
    ):
        raise BackupError(f"{MANIFEST_NAME}: بيان ناقص / incomplete manifest")
    for name, entry in files.items():
        checked_name(name)
        if (
            not isinstance(entry, dict)
            or not isinstance(entry.get("sha256"), str)
            or not isinstance(entry.get("size"), int)
        ):
            raise BackupError(f"{MANIFEST_NAME}: بيان ناقص / incomplete entry for {name}")
    return manifest


def verify(directory: Path, manifest: dict) -> tuple[int, int]:
    """Check every file of the manifest (present, its size, its SHA-256) and that the
    media folder holds nothing unlisted (a restore would not know where it came
    from). Raises naming the first file that fails; returns (files, bytes)."""
    files: dict[str, dict] = manifest["files"]
    total = 0
    for name in sorted(files):
        expected = files[name]
        path = directory / checked_name(name)
        if not path.is_file():
            raise BackupError(f"ملف ناقص من النسخة / file missing from the backup: {name}")
        if path.stat().st_size != expected["size"]:
            raise BackupError(f"ملف معدَّل في النسخة / file changed in the backup (size): {name}")
        if hash_file(path).sha256 != expected["sha256"]:
            raise BackupError(f"ملف معدَّل في النسخة / file changed in the backup (checksum): {name}")
        total += expected["size"]
    media = directory / MEDIA_PREFIX
    for dirpath, _dirnames, filenames in os.walk(media):
        for filename in filenames:
            name = (Path(dirpath) / filename).relative_to(directory).as_posix()
            if name not in files:
                raise BackupError(f"ملف غير مذكور في البيان / file not in the manifest: {name}")
    return len(files), total
