"""The public site's image renditions, chosen in one place.

A public template never names a filter spec: it asks for a *role* — a card, the home
page's top story, an article's lead, a body image, an author's photo — and
``news_tags.responsive_image`` turns the role into a ``<picture>`` (AVIF where
Pillow can write it, then WebP, then the original format for the rest) with a
``srcset`` of widths, ``sizes`` matching site.css, and ``width``/``height``. Because
the choices live here, :func:`prepare_renditions` knows every rendition an article
will be asked for, so the worker can make them when it is published instead of the
first reader waiting for them.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import IO

from django.conf import settings
from PIL import Image as PILImage
from PIL import UnidentifiedImageError, features
from wagtail.images.models import AbstractImage, AbstractRendition, Filter, SourceImageIOError
from wagtail.images.shortcuts import get_renditions_or_not_found

logger = logging.getLogger("sahafa.news")

# Pillow's wheels bundle libavif since 11.2; a build without it still gets WebP.
AVIF_AVAILABLE: bool = features.check("avif")
# The order of <source> elements: a browser takes the first type it can decode.
SOURCE_FORMATS: tuple[str, ...] = ("avif", "webp") if AVIF_AVAILABLE else ("webp",)
MIME_TYPES = {"avif": "image/avif", "webp": "image/webp"}
#: Wagtail's own default, used when WAGTAILIMAGES_MAX_IMAGE_PIXELS is unset.
DEFAULT_MAX_IMAGE_PIXELS = 128_000_000

# The article's preview in link shares (og:image): one JPEG at the size the large
# social cards use, so it is never a <picture>.
OPEN_GRAPH_SPEC = "fill-1200x630"


@dataclass(frozen=True)
class ImageRole:
    """One way the public site shows an image.

    ``widths`` are the srcset candidates of each modern format; ``fallback_width`` is
    the single image in the original format that the ``<img>`` itself points at (for
    the few browsers that take neither AVIF nor WebP). ``ratio`` crops around the
    focal point (Wagtail's ``fill``); ``None`` keeps the image's own proportions.
    ``sizes`` says how wide site.css lays the image out, so the browser picks the
    smallest candidate that is sharp at the reader's pixel density.
    """

    name: str
    widths: tuple[int, ...]
    fallback_width: int
    sizes: str
    ratio: tuple[int, int] | None = (16, 9)

    def resize(self, width: int) -> str:
        if self.ratio is None:
            return f"width-{width}"
        across, down = self.ratio
        return f"fill-{width}x{round(width * down / across)}"

    def source_specs(self, fmt: str) -> list[str]:
        return [f"{self.resize(width)}|format-{fmt}" for width in self.widths]

    def fallback_spec(self) -> str:
        # No format operation: JPEG stays JPEG, a PNG keeps its transparency.
        return self.resize(self.fallback_width)

    def specs(self) -> list[str]:
        specs = [spec for fmt in SOURCE_FORMATS for spec in self.source_specs(fmt)]
        return [*specs, self.fallback_spec()]


# The sizes follow site.css: the page is at most 1180px wide with 1rem gutters; cards
# sit in a grid of columns at least 240px wide (one column up to ~540px, two up to
# 820px, then three or four); the home page's first story takes half the width beside
# the others from 820px; an article is at most 780px wide.
ARTICLE_SIZES = "(max-width: 812px) calc(100vw - 2rem), 780px"
ROLES: dict[str, ImageRole] = {
    role.name: role
    for role in (
        ImageRole(
            "card",
            widths=(320, 480, 640),
            fallback_width=480,
            sizes="(max-width: 540px) calc(100vw - 2rem), (max-width: 820px) calc(50vw - 2rem),"
            " (max-width: 1100px) calc(33vw - 2rem), 280px",
        ),
        ImageRole(
            "top_story",
            widths=(480, 640, 960, 1200),
            fallback_width=960,
            sizes="(max-width: 820px) calc(100vw - 2rem), (max-width: 1212px) calc(50vw - 2.5rem),"
            " 560px",
        ),
        ImageRole(
            "article_lead", widths=(480, 640, 960, 1200), fallback_width=960, sizes=ARTICLE_SIZES
        ),
        ImageRole(
            "body", widths=(480, 640, 960), fallback_width=960, sizes=ARTICLE_SIZES, ratio=None
        ),
        ImageRole("author", widths=(120, 240), fallback_width=240, sizes="120px", ratio=(1, 1)),
    )
}

# What the public templates ask of an article's images: its lead image appears as a
# card (listings, related topics), as the home page's top story, as the article's
# own lead and in link previews; images in its body only in the body.
LEAD_IMAGE_SPECS: tuple[str, ...] = tuple(
    dict.fromkeys(
        [
            *(
                spec
                for name in ("card", "top_story", "article_lead")
                for spec in ROLES[name].specs()
            ),
            OPEN_GRAPH_SPEC,
        ]
    )
)
BODY_IMAGE_SPECS: tuple[str, ...] = tuple(ROLES["body"].specs())


@dataclass(frozen=True)
class PictureRenditions:
    """The renditions of one image in one role, ready for markup."""

    role: ImageRole
    # (MIME type, srcset) per modern format, in the browser's order of preference.
    sources: list[tuple[str, str]]
    fallback: AbstractRendition


@functools.cache
def filter_for(spec: str) -> Filter:
    """One Wagtail ``Filter`` per spec for the process: Wagtail parses a filter's
    operations once per ``Filter`` object, and given a spec string it makes a new one
    at every lookup — most of the time a page's images cost, a card's seven sizes each."""
    return Filter(spec=spec)


def picture_renditions(image: AbstractImage, role_name: str) -> PictureRenditions:
    """Every rendition of ``image`` that ``role_name`` shows, made now if missing.

    One lookup for all of them (none when the image's renditions were prefetched);
    an image whose file is missing gets Wagtail's not-found placeholder, not an error.
    """
    role = ROLES[role_name]
    renditions = get_renditions_or_not_found(image, [filter_for(spec) for spec in role.specs()])
    sources = []
    for fmt in SOURCE_FORMATS:
        candidates: dict[int, str] = {}
        for spec in role.source_specs(fmt):
            rendition = renditions[spec]
            # A small original yields the same width twice: a srcset lists each once.
            # Wagtail's placeholder for a missing file has no width: no candidate.
            if rendition.width:
                candidates.setdefault(rendition.width, rendition.url)
        if candidates:
            srcset = ", ".join(f"{url} {width}w" for width, url in candidates.items())
            sources.append((MIME_TYPES[fmt], srcset))
    return PictureRenditions(role, sources, renditions[role.fallback_spec()])


def article_image_specs(page) -> dict[AbstractImage, set[str]]:
    """The images of one article and the rendition specs its pages will ask of each."""
    wanted: dict[AbstractImage, set[str]] = {}
    if page.lead_image is not None:
        wanted.setdefault(page.lead_image, set()).update(LEAD_IMAGE_SPECS)
    for block in page.body:
        if block.block_type == "image" and block.value.get("image") is not None:
            wanted.setdefault(block.value["image"], set()).update(BODY_IMAGE_SPECS)
    return wanted


def prepare_renditions(pages: Iterable) -> int:
    """Make every rendition the public templates will ask for ``pages``' images.

    ``pages`` are article pages (a plain ``Page`` is taken as its specific page;
    other kinds are skipped). Returns how many renditions were created; those that
    exist already are left alone, so running it twice creates nothing the second
    time. An image whose file cannot be read is logged and skipped: the pages then
    show Wagtail's placeholder, as they would have anyway.
    """
    wanted: dict[AbstractImage, set[str]] = {}
    for page in pages:
        if not hasattr(page, "lead_image"):
            page = page.specific
            if not hasattr(page, "lead_image"):
                continue
        for image, specs in article_image_specs(page).items():
            wanted.setdefault(image, set()).update(specs)
    created = 0
    for image, specs in wanted.items():
        filters = [Filter(spec=spec) for spec in sorted(specs)]
        existing = image.find_existing_renditions(*filters)
        missing = [f for f in filters if f not in existing]
        if not missing:
            continue
        try:
            image.create_renditions(*missing)
        except SourceImageIOError:
            logger.warning("image %s: source file unreadable, renditions not made", image.pk)
            continue
        created += len(missing)
    return created


def max_image_pixels() -> int | None:
    return getattr(settings, "WAGTAILIMAGES_MAX_IMAGE_PIXELS", DEFAULT_MAX_IMAGE_PIXELS)


def limit_image_decoder() -> None:
    """Make Pillow refuse, in ``Image.open`` (from the header, before any decoding),
    images of more than twice the site's pixel limit: Pillow warns above
    ``MAX_IMAGE_PIXELS`` and raises ``DecompressionBombError`` above twice that. Its
    default (89 million pixels) let a 144-million-pixel WebP through to be decoded.
    The upload form refuses anything over the limit itself; this guards every other
    path that opens an image (renditions in the worker, imported media)."""
    limit = max_image_pixels()
    if limit:
        PILImage.MAX_IMAGE_PIXELS = limit


def image_header_size(fileobj: IO[bytes]) -> tuple[int, int, int] | None:
    """``(width, height, frames)`` read from the image's header — nothing is decoded
    (``Image.open`` is lazy) — or None when Pillow does not know the format (then
    Wagtail's own checks decide). Raises ``DecompressionBombError`` past Pillow's
    limit and ``OSError`` (or another decoder error) for a header it cannot read."""
    fileobj.seek(0)
    try:
        with PILImage.open(fileobj) as image:
            width, height = image.size
            return width, height, max(getattr(image, "n_frames", 1), 1)
    except UnidentifiedImageError:
        return None
    finally:
        fileobj.seek(0)
