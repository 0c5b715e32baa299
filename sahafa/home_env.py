"""Settings an outlet keeps in its home: ``SAHAFA_HOME/sahafa.env``.

``sahafa init`` writes there what the operator told it once (the public address),
so that ``serve``, ``worker`` and every other command run on that home agree
without the variable being exported in each shell or service file. The environment
still wins: a variable set there is never replaced by the file.

The format is the one systemd's ``EnvironmentFile`` and Docker's ``--env-file``
read: ``NAME=value`` lines, ``#`` comments. Only ``SAHAFA_`` names are taken (never
``SAHAFA_HOME``, which says where the file is). No Django here: the settings module
and the command line read it before Django is set up.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

FILE_NAME = "sahafa.env"
# The key settings generate once when SAHAFA_SECRET_KEY is unset (and backups carry).
SECRET_KEY_FILE = "secret_key"  # noqa: S105 - the file's name, not a secret
NAME = re.compile(r"SAHAFA_[A-Z0-9_]+")


def path(home: Path) -> Path:
    return home / FILE_NAME


def read(home: Path) -> dict[str, str]:
    """The file's settings; none when it does not exist. A line that is not
    ``SAHAFA_NAME=value`` is an error naming the line: a typo must not be ignored."""
    file = path(home)
    if not file.exists():
        return {}
    values: dict[str, str] = {}
    for number, line in enumerate(file.read_text(encoding="utf-8").splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        name, sep, value = line.partition("=")
        name = name.strip()
        if not sep or not NAME.fullmatch(name) or name == "SAHAFA_HOME":
            raise ValueError(f"{file}:{number}: expected SAHAFA_NAME=value, got {line!r}")
        values[name] = value.strip()
    return values


def apply(home: Path) -> None:
    """Set each of the file's settings that the environment does not set."""
    for name, value in read(home).items():
        os.environ.setdefault(name, value)


def write(home: Path, values: dict[str, str]) -> Path:
    """Merge ``values`` into the file (owner and group only; replaced whole, so a
    crash leaves the old file or the new one)."""
    for name, value in values.items():
        if not NAME.fullmatch(name) or name == "SAHAFA_HOME" or "\n" in value:
            raise ValueError(f"not a setting the home file can keep: {name}")
    merged = {**read(home), **values}
    file = path(home)
    draft = file.with_name(f".{FILE_NAME}.tmp")
    lines = ["# Written by `sahafa init`; the environment overrides any line.", ""]
    lines += [f"{name}={value}" for name, value in sorted(merged.items())]
    fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o640)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write("\n".join(lines) + "\n")
    draft.replace(file)
    return file
