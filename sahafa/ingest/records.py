"""The one record type every Sahafa importer produces.

Parsers (``sahafa.ingest.parsers``) turn page text, HTML, WordPress exports, feeds
and JSON lines into :class:`ArticleRecord` objects; the Django loader (written
separately) turns records into pages. Nothing here imports Django.
"""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any, Literal

BlockType = Literal["paragraph", "heading", "quote", "image"]
Status = Literal["published", "draft", "scheduled", "private"]
Kind = Literal["article", "listing", "ticker"]

BLOCK_TYPES: frozenset[str] = frozenset({"paragraph", "heading", "quote", "image"})
STATUSES: frozenset[str] = frozenset({"published", "draft", "scheduled", "private"})
KINDS: frozenset[str] = frozenset({"article", "listing", "ticker"})

#: Masthead roles Sahafa knows, with the Arabic labels that introduce them on a page.
MASTHEAD_ROLES: dict[str, tuple[str, ...]] = {
    "chairman": ("رئيس مجلس الإدارة", "رئيس مجلس الادارة"),
    "editor_in_chief": ("رئيس التحرير",),
    "general_supervisor": ("الإشراف العام", "الاشراف العام", "المشرف العام"),
    "managing_editor": ("مدير التحرير",),
    "founder": ("المؤسس",),
}


@dataclass
class Block:
    """One piece of an article body.

    ``type`` is ``paragraph``, ``heading`` (a sub-heading), ``quote`` (a quotation
    standing on its own) or ``image``. ``text`` is always plain text; ``html`` is
    sanitised inline HTML (only ``a strong em b i br``) or ``""`` when the source
    had no markup. Images carry ``src``, ``caption`` and ``credit``.
    """

    type: BlockType
    text: str = ""
    html: str = ""
    caption: str = ""
    credit: str = ""
    src: str = ""

    def __post_init__(self) -> None:
        if self.type not in BLOCK_TYPES:
            raise ValueError(f"unknown block type {self.type!r}")


@dataclass
class ImageRef:
    """An image the article refers to; the first in ``ArticleRecord.images`` leads."""

    src: str
    caption: str = ""
    credit: str = ""


@dataclass
class ArticleRecord:
    """What every importer yields for one source item (article, listing or ticker line).

    Text fields hold display-normalised plain text. ``date`` is the publication
    date, ``updated`` the last modification; both may be naive when the source gave
    no zone. ``status`` is ``published``, ``draft``, ``scheduled`` or ``private``;
    ``kind`` is ``article`` (load it), ``listing`` (a front/section page: the loader
    skips it) or ``ticker`` (a headline-only record from a news ticker).
    ``masthead`` maps a role (see :data:`MASTHEAD_ROLES`) to the name exactly as
    written, titles such as «د.» kept. ``extra`` holds format-specific data the
    loader may use: WXR post id, attachments, ``internal_links`` to rewrite,
    listing items, and so on. ``old_urls`` are the addresses the item had on the
    outlet's own former site (a WordPress permalink, ``/?p=101``): the loader makes
    each of them a permanent redirect to the new article. ``source_url`` alone is
    not one — a crawled or syndicated page's address belongs to someone else's site.
    """

    title: str
    kicker: str = ""
    standfirst: str = ""
    blocks: list[Block] = field(default_factory=list)
    captions: list[str] = field(default_factory=list)
    images: list[ImageRef] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    section: str = ""
    tags: list[str] = field(default_factory=list)
    date: datetime | None = None
    updated: datetime | None = None
    source_url: str = ""
    external_id: str = ""
    guid: str = ""
    status: Status = "published"
    site_name: str = ""
    masthead: dict[str, str] = field(default_factory=dict)
    ticker: list[str] = field(default_factory=list)
    kind: Kind = "article"
    source_format: str = ""
    extra: dict[str, Any] = field(default_factory=dict)
    old_urls: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"unknown status {self.status!r}")
        if self.kind not in KINDS:
            raise ValueError(f"unknown kind {self.kind!r}")

    # -- derived views -------------------------------------------------------------

    @property
    def paragraphs(self) -> list[str]:
        """Texts of the paragraph blocks, in order."""
        return [b.text for b in self.blocks if b.type == "paragraph"]

    @property
    def subheadings(self) -> list[str]:
        """Texts of the sub-heading blocks, in order."""
        return [b.text for b in self.blocks if b.type == "heading"]

    @property
    def quotes(self) -> list[str]:
        """Texts of the quotation blocks, in order."""
        return [b.text for b in self.blocks if b.type == "quote"]

    @property
    def body_text(self) -> str:
        """Paragraphs, sub-headings and quotes joined by newlines."""
        return "\n".join(b.text for b in self.blocks if b.type != "image" and b.text)

    def content_hash(self) -> str:
        """SHA-256 of the normalised title and body: equal for equal content."""
        text = f"{self.title}\n{self.body_text}"
        text = " ".join(unicodedata.normalize("NFKC", text).split())
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def identity(self) -> str:
        """The idempotency key the loader matches on.

        The external id if the source gave one, else the source URL, else the feed
        or WXR guid, else the content hash — so re-importing the same item updates
        it instead of creating a copy.
        """
        if self.external_id:
            return self.external_id
        if self.source_url:
            return self.source_url
        if self.guid:
            return self.guid
        return f"sha256:{self.content_hash()}"

    def to_json(self) -> dict[str, Any]:
        """A JSON-serialisable dict of the record (dates as ISO strings or null)."""
        return {
            "kind": self.kind,
            "source_format": self.source_format,
            "site_name": self.site_name,
            "masthead": dict(self.masthead),
            "ticker": list(self.ticker),
            "kicker": self.kicker,
            "title": self.title,
            "standfirst": self.standfirst,
            "captions": list(self.captions),
            "subheadings": self.subheadings,
            "paragraphs": self.paragraphs,
            "quotes": self.quotes,
            "blocks": [asdict(b) for b in self.blocks],
            "images": [asdict(i) for i in self.images],
            "section": self.section,
            "tags": list(self.tags),
            "authors": list(self.authors),
            "date": self.date.isoformat() if self.date else None,
            "updated": self.updated.isoformat() if self.updated else None,
            "status": self.status,
            "source_url": self.source_url,
            "external_id": self.external_id,
            "guid": self.guid,
            "identity": self.identity(),
            "old_urls": list(self.old_urls),
            "extra": _jsonable(self.extra),
        }


@dataclass
class AddressRecord:
    """Old addresses of a source item that is not loaded as an article but stood for
    one: a WordPress attachment page, which showed one file of the post it belongs
    to. Readers following ``urls`` are sent to the article loaded from the record
    whose identity is ``parent`` (``wxr-101``), wherever that record comes in the
    source; ``item`` names the source item in reports.
    """

    parent: str
    urls: list[str] = field(default_factory=list)
    item: str = ""


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_jsonable(v) for v in value]
    if isinstance(value, datetime):
        return value.isoformat()
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


class RecordError(Exception):
    """One source item could not be turned into a record; the run continues.

    ``reason`` is a short English explanation, ``reason_ar`` its Arabic version
    (shown to editors), ``item`` names the item (file, line, post id…).
    """

    def __init__(self, reason: str, reason_ar: str = "", *, item: str = "") -> None:
        self.reason = reason
        self.reason_ar = reason_ar
        self.item = item
        where = f"{item}: " if item else ""
        text = f"{where}{reason}"
        if reason_ar:
            text = f"{text} — {reason_ar}"
        super().__init__(text)


@dataclass
class Report:
    """Counts of one import run, as commands print them."""

    imported: int = 0
    updated: int = 0
    skipped: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.imported + self.updated + self.skipped + len(self.failed)

    def fail(self, item: str, reason: str) -> None:
        self.failed.append((item, reason))

    def summary(self) -> str:
        return (
            f"imported {self.imported}, updated {self.updated}, "
            f"skipped {self.skipped}, failed {len(self.failed)}"
        )
