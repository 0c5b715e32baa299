"""Reading untrusted import files within bounds (no Django here).

An archive is uploaded by an editor or handed to the command, and it may be
compressed: 256 KB of gzip expand to 256 MB, one line of it to a single string that
``json.loads`` then copies again. Two bounds hold every reader:

- the whole file, once decompressed (``max_file_bytes``; the site's
  ``SAHAFA_IMPORT_MAX_BYTES``). A plain file's size is known from the disk; a gzip
  file is decompressed once beforehand, chunk by chunk, holding nothing
  (:func:`check_gzip_size`) — so a file over the bound is refused as a whole
  *before any record of it is loaded* (and the loader, committing per batch, would
  otherwise have saved the first batches of a file it then refuses);
- one record, i.e. one JSON line (``max_record_bytes``; ``SAHAFA_IMPORT_MAX_RECORD_BYTES``):
  a longer line is read past in small chunks, never held, and that one record fails
  (the rest of the file is imported) — an over-long line is a bad record, like a
  line of broken JSON, not a reason to drop its neighbours.
"""

from __future__ import annotations

import gzip
import zlib
from collections.abc import Iterator
from typing import IO

from sahafa.ingest.records import RecordError

MAX_FILE_BYTES = 200 * 1024 * 1024
MAX_RECORD_BYTES = 2 * 1024 * 1024
GZIP_MAGIC = b"\x1f\x8b"
#: Bytes decompressed at a time by the size check (held only while counted).
CHUNK = 256 * 1024
#: Bytes of an over-long line read past at a time.
SKIP_CHUNK = 64 * 1024


def _megabytes(limit: int) -> str:
    return f"{limit / (1024 * 1024):g}"


def file_too_large(source: str, limit: int) -> RecordError:
    return RecordError(
        f"larger than {limit} bytes once decompressed (SAHAFA_IMPORT_MAX_BYTES); "
        "nothing of it was imported",
        f"الملف أكبر من الحد المسموح بعد فك ضغطه ({_megabytes(limit)} ميغابايت)، "
        "فلم يُستورد منه شيء. قسّمه إلى ملفات أصغر ثم ارفعها.",
        item=source,
    )


def record_too_large(item: str, limit: int) -> RecordError:
    return RecordError(
        f"record longer than {limit} bytes (SAHAFA_IMPORT_MAX_RECORD_BYTES)",
        f"المادة أطول من الحد المسموح لمادة واحدة ({_megabytes(limit)} ميغابايت)، فلم تُستورد.",
        item=item,
    )


def corrupt_gzip(source: str, exc: BaseException) -> RecordError:
    return RecordError(
        f"corrupt or truncated gzip: {exc}",
        "الملف المضغوط (gzip) تالف أو ناقص، فلم يُستورد منه شيء.",
        item=source,
    )


def check_gzip_size(fileobj: IO[bytes], limit: int, *, source: str = "") -> int:
    """Decompress the gzip stream ``fileobj`` once without keeping it; return its
    decompressed size, or raise :class:`RecordError` past ``limit`` bytes (stopping
    there: at most ``limit`` bytes are ever decompressed) or for a broken stream.
    ``fileobj`` is rewound either way."""
    total = 0
    start = fileobj.tell()
    try:
        with gzip.GzipFile(fileobj=fileobj, mode="rb") as stream:
            while chunk := stream.read(CHUNK):
                total += len(chunk)
                if total > limit:
                    raise file_too_large(source, limit)
    except (OSError, EOFError, zlib.error) as exc:
        raise corrupt_gzip(source, exc) from exc
    finally:
        fileobj.seek(start)
    return total


def bounded_lines(
    fileobj: IO[bytes], max_line: int, max_total: int, *, source: str = ""
) -> Iterator[bytes | None]:
    """The lines of ``fileobj``, each read with ``readline(max_line + 1)``, so no
    line longer than ``max_line`` bytes is ever held: ``None`` stands for it (its
    bytes are read past). Raises :class:`RecordError` once more than ``max_total``
    bytes were read — a second guard: callers check the whole file beforehand."""
    total = 0

    def read(size: int) -> bytes:
        nonlocal total
        try:
            data = fileobj.readline(size)
        except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
            raise corrupt_gzip(source, exc) from exc
        total += len(data)
        if total > max_total:
            raise file_too_large(source, max_total)
        return data

    while line := read(max_line + 1):
        if len(line) <= max_line or line.endswith(b"\n"):
            yield line
            continue
        while (rest := read(SKIP_CHUNK)) and not rest.endswith(b"\n"):
            pass
        yield None
