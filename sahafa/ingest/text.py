"""Shared helpers of the importers: decoding, cleaning, sanitising, dates.

Arabic normalisation and ticker segmentation come from :mod:`sahafa.arabic`; this
module only adapts them (and degrades to a plain whitespace clean-up while that
package is not installed, so the importers stay usable on their own).
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from datetime import UTC, datetime, timedelta, timezone

import nh3

from sahafa.ingest.records import RecordError

try:  # pragma: no cover - depends on the sibling package being present
    from sahafa.arabic import normalize as _normalize
    from sahafa.arabic import segment_headlines as _segment_headlines

    HAVE_ARABIC = True
except ImportError:  # pragma: no cover
    _normalize = None
    _segment_headlines = None
    HAVE_ARABIC = False

_INVISIBLE = dict.fromkeys(map(ord, "\ufeff\u200b\u200c\u200d\u200e\u200f\u2060\u00ad"), None)
_SPACES = re.compile(r"\s+")


def clean(text: str) -> str:
    """Display-normalise one line or paragraph of text (never changes its words)."""
    if not text:
        return ""
    text = text.translate(_INVISIBLE)
    if _normalize is not None:
        text = _normalize(text, "display")
    else:
        text = unicodedata.normalize("NFKC", text)
    return _SPACES.sub(" ", text).strip()


def split_ticker(line: str) -> list[str]:
    """Split a glued ticker line into headlines (``sahafa.arabic.segment_headlines``)."""
    if _segment_headlines is None:
        return [clean(line)] if line.strip() else []
    return [h for h in (clean(x) for x in _segment_headlines(line)) if h]


# -- decoding -----------------------------------------------------------------------

_ARABIC = re.compile(r"[\u0600-\u06ff]")


def decode(data: bytes | str, *, item: str = "") -> str:
    """Decode page bytes: UTF-8 (with or without BOM), UTF-16 with BOM, Windows-1256.

    Raises :class:`RecordError` for empty or binary input.
    """
    if isinstance(data, str):
        text = data.lstrip("\ufeff")
    else:
        if not data.strip():
            raise RecordError("empty input", "الملف فارغ", item=item)
        if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            try:
                text = data.decode("utf-16")
            except UnicodeDecodeError as exc:
                raise RecordError(f"bad UTF-16 text: {exc}", "نص UTF-16 تالف", item=item) from exc
        elif b"\x00" in data[:4096]:
            raise RecordError("binary data, not text (NUL bytes)", "ملف ثنائي وليس نصا", item=item)
        else:
            try:
                text = data.decode("utf-8-sig")
            except UnicodeDecodeError:
                text = data.decode("cp1256", errors="replace")
                if len(_ARABIC.findall(text)) < max(1, len(text) // 20):
                    raise RecordError(
                        "not UTF-8, UTF-16 or Windows-1256 Arabic text",
                        "ترميز غير معروف: ليس UTF-8 ولا UTF-16 ولا Windows-1256",
                        item=item,
                    ) from None
    if "\x00" in text:
        raise RecordError("binary data, not text (NUL bytes)", "ملف ثنائي وليس نصا", item=item)
    if not text.strip():
        raise RecordError("empty input", "الملف فارغ", item=item)
    return text


# -- HTML sanitising ----------------------------------------------------------------

ALLOWED_TAGS = {"a", "strong", "em", "b", "i", "br"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
URL_SCHEMES = {"http", "https", "mailto"}


def sanitize_inline(html: str) -> str:
    """Keep only ``a strong em b i br``; links http(s)/mailto; no scripts or handlers."""
    if not html:
        return ""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        clean_content_tags={"script", "style"},
        link_rel="noopener noreferrer",
    ).strip()


def strip_tags(html: str) -> str:
    """Plain text of an HTML fragment."""
    return clean(nh3.clean(html, tags=set(), clean_content_tags={"script", "style"}))


# -- dates --------------------------------------------------------------------------

_MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    (
        "يناير|كانون الثاني|جانفي",
        "فبراير|شباط|فيفري",
        "مارس|آذار|اذار",
        "أبريل|ابريل|إبريل|نيسان|أفريل|افريل",
        "مايو|أيار|ايار|ماي",
        "يونيو|يونيه|حزيران|جوان",
        "يوليو|يوليه|تموز|جويلية",
        "أغسطس|اغسطس|آب|اب|أوت",
        "سبتمبر|أيلول|ايلول",
        "أكتوبر|اكتوبر|تشرين الأول|تشرين الاول",
        "نوفمبر|تشرين الثاني",
        "ديسمبر|كانون الأول|كانون الاول",
    ),
    start=1,
):
    for _name in _names.split("|"):
        _MONTHS[_name] = _number

_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_MONTH_ALT = "|".join(sorted((re.escape(m) for m in _MONTHS), key=len, reverse=True))
_NAMED_DATE = re.compile(
    rf"(?<!\d)(\d{{1,2}})\s+(?P<m1>{_MONTH_ALT})(?:\s*/\s*(?:{_MONTH_ALT}))?\s*،?\s*(\d{{4}})"
)
_NUMERIC_DATE = re.compile(
    r"(?<!\d)(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)|(?<!\d)(\d{1,2})\s*[./]\s*(\d{1,2})\s*[./]\s*(\d{4})"
)
_TIME = re.compile(
    r"(?<!\d)(\d{1,2}):(\d{2})(?::\d{2})?\s*(ص|م|صباحا|صباحاً|مساء|مساءً|AM|PM|am|pm)?"
)
_OFFSET = re.compile(r"GMT\s*([+-])\s*(\d{2}):?(\d{2})")


def parse_date(text: str) -> datetime | None:
    """Parse a date written the way Arabic news pages write it, or return ``None``.

    Understands Arabic month names (Egyptian, Levantine and Maghrebi sets, also
    «نيسان / أبريل»), ISO ``YYYY-MM-DD``, ``D/M/YYYY`` and ``D.M.YYYY``, Arabic-Indic
    digits, a clock time with ص/م (am/pm) and a ``GMT+hhmm`` offset. Without an
    offset the result is naive (the outlet's local time), with "GMT" alone UTC.
    """
    if not text:
        return None
    text = clean(text).translate(_DIGITS)
    year = month = day = None
    rest = text
    match = _NAMED_DATE.search(text)
    if match:
        day, month, year = int(match.group(1)), _MONTHS[match.group("m1")], int(match.group(3))
        rest = text[: match.start()] + " " + text[match.end() :]
    else:
        num = _NUMERIC_DATE.search(text)
        if not num:
            return None
        if num.group(1):
            year, month, day = int(num.group(1)), int(num.group(2)), int(num.group(3))
        else:
            day, month, year = int(num.group(4)), int(num.group(5)), int(num.group(6))
        rest = text[: num.start()] + " " + text[num.end() :]
    hour = minute = 0
    tmatch = _TIME.search(rest)
    if tmatch:
        hour, minute = int(tmatch.group(1)), int(tmatch.group(2))
        marker = (tmatch.group(3) or "").lower()
        if marker.startswith(("م", "pm")) and hour < 12:
            hour += 12
        elif marker.startswith(("ص", "am")) and hour == 12:
            hour = 0
    tz: timezone | None = None
    omatch = _OFFSET.search(rest)
    if omatch:
        delta = timedelta(hours=int(omatch.group(2)), minutes=int(omatch.group(3)))
        tz = timezone(-delta if omatch.group(1) == "-" else delta)
    elif "GMT" in rest or "UTC" in rest:
        tz = UTC
    try:
        return datetime(year, month, day, hour % 24, minute % 60, tzinfo=tz)
    except ValueError:
        return None


def parse_iso(value: str | None) -> datetime | None:
    """Parse an ISO 8601 date or date-time (``Z`` accepted); ``None`` if invalid."""
    if not value:
        return None
    value = value.strip()
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
