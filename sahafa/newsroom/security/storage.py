"""The default file storage, with sanitised upload names.

Kept apart from ``uploads`` because storages load while models are still being
defined: this module imports no model.
"""

from __future__ import annotations

import os
import re
import unicodedata

from django.core.files.storage import FileSystemStorage

from sahafa.news.sanitize import UNSAFE_CHARS

MAX_NAME_LENGTH = 80
NAME_JUNK = re.compile(r"[^\w.-]+", re.UNICODE)


def safe_file_name(name: str) -> str:
    """A file name without folders, control or bidi-override characters, hidden-file
    dots or inner extensions (``photo.php.jpg`` → ``photo_php.jpg``); Arabic stays."""
    name = unicodedata.normalize("NFC", os.path.basename(str(name).replace("\\", "/")))
    name = UNSAFE_CHARS.sub("", name).strip().strip(".")
    stem, dot, extension = name.rpartition(".")
    if not dot:
        stem, extension = name, ""
    stem = NAME_JUNK.sub("_", stem.replace(".", "_")).strip("_-") or "file"
    extension = re.sub(r"[^a-z0-9]", "", extension.lower())[:10]
    stem = stem[: MAX_NAME_LENGTH - len(extension) - 1]
    return f"{stem}.{extension}" if extension else stem


class SafeNameFileSystemStorage(FileSystemStorage):
    """The default storage with sanitised file names (all uploads pass here)."""

    def get_valid_name(self, name: str) -> str:
        return safe_file_name(name)
