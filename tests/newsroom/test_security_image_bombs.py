"""Image bombs and broken images through the admin upload (issue 12, finding 1).

A reporter's upload is measured as the worker would feel it: the answer is the form
again with an Arabic error, it comes in well under a second, the process barely
grows, and no Image row or file is left behind.
"""

from __future__ import annotations

import threading
import time
from contextlib import contextmanager
from io import BytesIO
from pathlib import Path

import pytest
from PIL import Image as PILImage

from .conftest import client_for
from .test_security_uploads import upload_image

pytestmark = pytest.mark.django_db

# A genuine, valid lossless WebP of 12,000 × 12,000 teal pixels (144 million): 36
# bytes, made once with Pillow (`Image.new("RGB", (12000, 12000), "teal").save(…,
# "WEBP", lossless=True)`), which itself took 10 s and 1.4 GB — too dear per test run.
WEBP_12K = bytes.fromhex("524946461c000000574542505650384c100000002fdfeeb70b0750c02860ff0311d1ff00")

#: Growth of the process's resident memory allowed for refusing one upload.
MEMORY_BOUND = 64 * 1024 * 1024
#: Seconds allowed for refusing one upload (decoding the bomb took 6 s).
TIME_BOUND = 0.8


def test_the_bomb_is_what_it_claims(monkeypatch):
    monkeypatch.setattr(PILImage, "MAX_IMAGE_PIXELS", None)  # the site's limit would refuse it
    with PILImage.open(BytesIO(WEBP_12K)) as image:
        assert image.format == "WEBP" and image.size == (12_000, 12_000)


def truncated_jpeg() -> bytes:
    buffer = BytesIO()
    PILImage.effect_noise((400, 300), 60).convert("RGB").save(buffer, "JPEG", quality=90)
    data = buffer.getvalue()
    return data[: len(data) // 2]


def _rss() -> int:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * 4096


@contextmanager
def peak_memory_growth():
    """Yield a dict whose ``growth`` is the peak resident-memory growth (bytes) while
    the block ran. Pillow allocates pixels with C malloc, which tracemalloc does not
    see, so the resident size is sampled from another thread."""
    result = {"growth": 0}
    start = _rss()
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            result["growth"] = max(result["growth"], _rss() - start)
            done.wait(0.002)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        yield result
    finally:
        done.set()
        sampler.join()
        result["growth"] = max(result["growth"], _rss() - start)


@pytest.fixture
def media_root(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.mark.parametrize(
    "name, content, content_type, arabic_error",
    [
        ("sky.webp", WEBP_12K, "image/webp", "عدد كبير جدًا من البكسل"),
        ("cut.jpg", truncated_jpeg(), "image/jpeg", "الصورة تالفة أو ناقصة"),
    ],
    ids=["webp-12000x12000", "truncated-jpeg"],
)
def test_a_reporters_bomb_or_broken_image_is_refused_fast_and_small(
    newsroom, media_root, name, content, content_type, arabic_error
):
    from wagtail.images.models import Image

    client = client_for(newsroom["reporter"])
    assert client.get("/admin/images/add/").status_code == 200  # warm up: templates, urls
    with peak_memory_growth() as memory:
        started = time.perf_counter()
        response = upload_image(client, name, content, content_type)
        elapsed = time.perf_counter() - started
    html = response.content.decode()
    assert response.status_code == 200, html[:500]  # the form again, not a 500
    assert arabic_error in html
    assert elapsed < TIME_BOUND, f"refused after {elapsed:.2f} s"
    assert memory["growth"] < MEMORY_BOUND, f"+{memory['growth'] / 2**20:.0f} MB"
    assert not Image.objects.exists()
    assert stored_files(media_root) == []


def test_the_form_counts_pixels_from_the_header_without_pillows_limit(
    newsroom, media_root, monkeypatch
):
    """Under Pillow's own limit (here: none at all), the form still refuses the bomb
    from its header, before Willow decodes it."""
    from wagtail.images.models import Image

    monkeypatch.setattr(PILImage, "MAX_IMAGE_PIXELS", None)
    client = client_for(newsroom["reporter"])
    with peak_memory_growth() as memory:
        started = time.perf_counter()
        response = upload_image(client, "sky.webp", WEBP_12K, "image/webp")
        elapsed = time.perf_counter() - started
    html = response.content.decode()
    assert "عدد كبير جدًا من البكسل (144000000)" in html
    assert elapsed < TIME_BOUND and memory["growth"] < MEMORY_BOUND
    assert not Image.objects.exists() and stored_files(media_root) == []


def test_a_whole_image_under_the_limit_is_still_accepted(newsroom, media_root):
    from wagtail.images.models import Image

    buffer = BytesIO()
    PILImage.effect_noise((400, 300), 60).convert("RGB").save(buffer, "JPEG", quality=90)
    response = upload_image(
        client_for(newsroom["reporter"]), "whole.jpg", buffer.getvalue(), "image/jpeg"
    )
    assert response.status_code == 302
    assert (Image.objects.get().width, Image.objects.get().height) == (400, 300)


def test_pillow_refuses_to_decode_past_the_sites_pixel_limit(settings):
    """The process-wide guard under the form's own check: renditions made later (by the
    worker, from whatever was stored) are held to the same limit."""
    from sahafa.news.images import limit_image_decoder

    limit_image_decoder()
    assert PILImage.MAX_IMAGE_PIXELS == settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS
    with pytest.raises(PILImage.DecompressionBombError):
        PILImage.open(BytesIO(WEBP_12K))
