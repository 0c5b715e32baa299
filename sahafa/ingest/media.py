"""Images of an imported archive, taken from a local copy of its uploads folder.

An export (a WordPress WXR above all) names its images by URL:
``https://example.org/wp-content/uploads/2019/04/cover.jpg``. Sahafa never fetches
them from the old site; the editor copies the uploads folder next to the export
and passes it as ``--media-dir``. A URL is mapped to a file in that folder by the
part after ``uploads/``, else by its last ``YYYY/MM/name`` segments, else by its
name alone. Files that are missing, outside the folder, not images or too large
are skipped — the article keeps the caption, the run goes on. The same file is
stored once (matched by its SHA-1, across runs too).
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.core.files.images import ImageFile
from django.db import transaction
from wagtail.images import get_image_model

logger = logging.getLogger("sahafa.ingest")

IMAGE_EXTENSIONS = frozenset({".jpg", ".jpeg", ".png", ".gif", ".webp"})
MAX_IMAGE_BYTES = 20 * 1024 * 1024


def _within_pixel_limit(path: Path) -> bool:
    """The admin upload's pixel rule for an archive's files, read from the header
    before Wagtail decodes anything (an image bomb in an uploads folder is refused
    as it would be at the upload form)."""
    from sahafa.news.images import image_header_size, max_image_pixels

    try:
        with path.open("rb") as fh:
            size = image_header_size(fh)
    except Exception:  # noqa: BLE001 - Pillow raises several types for a broken header
        return False
    limit = max_image_pixels()
    return size is None or not limit or size[0] * size[1] * size[2] <= limit


def candidate_paths(url: str) -> list[str]:
    """Relative paths under the media folder where the file of ``url`` may be."""
    path = unquote(urlsplit(url).path if "://" in url else url).strip("/")
    if not path:
        return []
    out: list[str] = []
    if "uploads/" in path:
        out.append(path.split("uploads/", 1)[1])
    parts = path.split("/")
    if len(parts) >= 3:
        out.append("/".join(parts[-3:]))
    out.append(path)
    out.append(parts[-1])
    return list(dict.fromkeys(p for p in out if p))


class MediaLibrary:
    """Maps image URLs to Wagtail images stored from ``media_dir`` (cached per run)."""

    def __init__(self, media_dir: str | None, user=None) -> None:
        self.root = Path(media_dir).resolve() if media_dir else None
        self.user = user
        self._cache: dict[str, object | None] = {}
        self.stored = 0
        self.missing: list[str] = []

    def forget(self) -> None:
        """Drop the cache: images stored in a rolled-back transaction are gone."""
        self._cache.clear()

    def local_file(self, url: str) -> Path | None:
        """The file for ``url`` inside the media folder, or None."""
        if self.root is None or not url:
            return None
        for relative in candidate_paths(url):
            candidate = (self.root / relative).resolve()
            # Never leave the folder, whatever "../" the URL holds.
            if not candidate.is_relative_to(self.root) or not candidate.is_file():
                continue
            if candidate.suffix.lower() not in IMAGE_EXTENSIONS:
                continue
            if candidate.stat().st_size > MAX_IMAGE_BYTES:
                continue
            return candidate
        return None

    def image_for(self, url: str):
        """A Wagtail image for ``url`` if its file is present, else None."""
        if self.root is None or not url:
            return None
        if url in self._cache:
            return self._cache[url]
        path = self.local_file(url)
        image = self._store(path, url) if path is not None else None
        if path is None:
            self.missing.append(url)
        self._cache[url] = image
        return image

    def _store(self, path: Path, url: str):
        if not _within_pixel_limit(path):
            logger.warning("image %s not stored: too many pixels or unreadable header", url)
            return None
        Image = get_image_model()
        data = path.read_bytes()
        digest = hashlib.sha1(data, usedforsecurity=False).hexdigest()
        existing = Image.objects.filter(file_hash=digest).first()
        if existing is not None:
            return existing
        with path.open("rb") as fh:
            image = Image(
                title=path.stem[:255],
                file=ImageFile(fh, name=path.name),
                uploaded_by_user=self.user,
                file_hash=digest,
                file_size=len(data),
            )
            try:
                with transaction.atomic():  # a savepoint: the article's transaction survives
                    image.save()
            except Exception as exc:  # Willow raises several types for a broken image
                logger.warning("image %s not stored: %s", url, exc)
                return None
        self.stored += 1
        return image
