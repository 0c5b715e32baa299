"""The home's own files in a backup, beside the database and the media.

- ``secret_key`` (when the key is not given by ``SAHAFA_SECRET_KEY``): it signs
  sessions, password-reset links and the newsroom's signed values, so a site
  restored without it signs every editor out and breaks every link already mailed.
- ``sahafa.env``: what ``sahafa init`` was told once, the public address first.

A restore puts the secret key back (unless the environment gives one, which wins
anyway) and ``sahafa.env`` only into a home that has none: a home restored onto a
staging server keeps its own address. Both files are written whole or not at all,
owner-only like the originals.
"""

from __future__ import annotations

import os
from pathlib import Path

from sahafa import home_env

from .manifest import BackupError, FileEntry, checked_name, copy_hashed

PREFIX = "home"
SECRET_KEY_FILE = home_env.SECRET_KEY_FILE
NAMES = (SECRET_KEY_FILE, home_env.FILE_NAME)
MODES = {SECRET_KEY_FILE: 0o600, home_env.FILE_NAME: 0o640}


def key_from_environment() -> bool:
    """The key in use is SAHAFA_SECRET_KEY's: a key file in the home is not it."""
    return bool(os.environ.get("SAHAFA_SECRET_KEY"))


def copy(home: Path, target: Path) -> dict[str, FileEntry]:
    """Copy the home's files that exist into ``target``, by their manifest name."""
    entries = {}
    for name in NAMES:
        source = home / name
        if name == SECRET_KEY_FILE and key_from_environment():
            continue
        if source.is_file():
            entries[f"{PREFIX}/{name}"] = copy_hashed(source, target / name)
            os.chmod(target / name, 0o600)
    return entries


def put_back(backup: Path, manifest: dict, home: Path) -> list[str]:
    """Restore the backup's home files into ``home``; the lines that say what was done."""
    said = []
    for name in NAMES:
        entry = manifest["files"].get(f"{PREFIX}/{name}")
        if entry is None:
            continue
        source = backup / checked_name(f"{PREFIX}/{name}")
        target = home / name
        if name == SECRET_KEY_FILE and key_from_environment():
            said.append(
                "المفتاح السري من SAHAFA_SECRET_KEY، ومفتاح النسخة باقٍ فيها / the secret key "
                f"comes from SAHAFA_SECRET_KEY; the backup's is left in {source}"
            )
            continue
        if name == home_env.FILE_NAME and target.exists():
            if target.read_bytes() != source.read_bytes():
                said.append(
                    f"أُبقي {name} الحالي، وملف النسخة باقٍ فيها / kept this home's {name}; "
                    f"the backup's is {source}"
                )
            continue
        draft = target.with_name(f".{name}.restoring")
        draft.unlink(missing_ok=True)
        if copy_hashed(source, draft).sha256 != entry["sha256"]:
            draft.unlink()
            raise BackupError(f"ملف معدَّل في النسخة / file changed in the backup: {name}")
        os.chmod(draft, MODES[name])
        draft.replace(target)
        said.append(f"استُعيد {name} / restored {name}")
    return said
