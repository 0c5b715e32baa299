"""Media on S3 or any S3-compatible object store (MinIO, Ceph, R2…), through
django-storages, with the same sanitised upload names as on disk.

Chosen by ``SAHAFA_MEDIA_BUCKET`` (sahafa.settings). Readers fetch the files from the
store or from ``SAHAFA_MEDIA_PUBLIC_URL`` in front of it, never through the app: the
objects are public-read by address (no signed query strings, which would change every
page's bytes), and every original and rendition carries a year-long immutable
``Cache-Control`` — their names never change for new content.
"""

from __future__ import annotations

from storages.backends.s3 import S3Storage

from .storage import safe_file_name


class SafeNameS3Storage(S3Storage):
    def get_valid_name(self, name: str) -> str:
        return safe_file_name(name)
