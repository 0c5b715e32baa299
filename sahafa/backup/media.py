"""The media half of a backup: every file under MEDIA_ROOT (originals, documents and
renditions), and putting them back in place of the site's."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from .manifest import MEDIA_PREFIX, BackupError, FileEntry, checked_name, copy_hashed

# Folders a restore makes inside MEDIA_ROOT while it works; never part of a backup.
WORK_PREFIX = ".sahafa-restore-"


def copy_tree(root: Path, target: Path) -> dict[str, FileEntry]:
    """Copy the regular files under ``root`` into ``target``, by their manifest name.

    Renditions are copied too, although Wagtail could make them again: their rows
    are in the database, and Wagtail does not remake a rendition whose row exists,
    so a backup without their files would restore pages with broken images.
    """
    entries: dict[str, FileEntry] = {}
    if not root.is_dir():
        return entries
    for dirpath, dirnames, filenames in os.walk(root):
        here = Path(dirpath)
        if here == root:
            dirnames[:] = [d for d in dirnames if not d.startswith(WORK_PREFIX)]
        dirnames.sort()
        for filename in sorted(filenames):
            source = here / filename
            # Regular files only (a symlink to one is copied as the file it names);
            # sockets and broken links are no upload.
            if not source.is_file():
                continue
            relative = source.relative_to(root)
            name = f"{MEDIA_PREFIX}/{relative.as_posix()}"
            entries[name] = copy_hashed(source, target / relative)
    return entries


def stage(backup: Path, manifest: dict, root: Path) -> Path:
    """Copy the backup's media into a work folder inside ``root`` (so that putting it
    in place is renames on one file system, even when MEDIA_ROOT is a mount point),
    checking each file against the manifest again as it is copied."""
    root.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=WORK_PREFIX, dir=root))
    try:
        for name, expected in sorted(manifest["files"].items()):
            path = checked_name(name)
            if path.parts[0] != MEDIA_PREFIX or len(path.parts) < 2:
                continue
            copied = copy_hashed(backup / path, work / "new" / Path(*path.parts[1:]))
            if copied.sha256 != expected["sha256"]:
                raise BackupError(f"ملف معدَّل في النسخة / file changed in the backup: {name}")
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    (work / "new").mkdir(exist_ok=True)
    return work


def discard(work: Path) -> None:
    shutil.rmtree(work, ignore_errors=True)


def swap(work: Path, root: Path) -> None:
    """Put the staged media in place of MEDIA_ROOT's content: what is there moves aside,
    the backup's moves in (renames), then what was moved aside is deleted."""
    old = work / "old"
    old.mkdir()
    for entry in os.listdir(root):
        if entry != work.name:
            os.rename(root / entry, old / entry)
    new = work / "new"
    for entry in os.listdir(new):
        os.rename(new / entry, root / entry)
    shutil.rmtree(work)
