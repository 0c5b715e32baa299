"""Arabic date formatting (Gregorian and Hijri) and relative times."""

from __future__ import annotations

from datetime import date, datetime

from .normalize import to_arabic_digits

__all__ = ["GREGORIAN_MONTHS", "HIJRI_MONTHS", "WEEKDAYS", "format_date", "relative_time"]

GREGORIAN_MONTHS: dict[str, tuple[str, ...]] = {
    # Egypt, Sudan, the Gulf press: months named after the Latin ones.
    "egyptian": (
        "يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو",
        "يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر",
    ),
    # Syria, Lebanon, Jordan, Palestine, Iraq: Syriac month names.
    "levantine": (
        "كانون الثاني", "شباط", "آذار", "نيسان", "أيار", "حزيران",
        "تموز", "آب", "أيلول", "تشرين الأول", "تشرين الثاني", "كانون الأول",
    ),
    # Morocco: French-derived spellings.
    "maghrebi": (
        "يناير", "فبراير", "مارس", "أبريل", "ماي", "يونيو",
        "يوليوز", "غشت", "شتنبر", "أكتوبر", "نونبر", "دجنبر",
    ),
}  # fmt: skip

HIJRI_MONTHS: tuple[str, ...] = (
    "محرم", "صفر", "ربيع الأول", "ربيع الآخر", "جمادى الأولى", "جمادى الآخرة",
    "رجب", "شعبان", "رمضان", "شوال", "ذو القعدة", "ذو الحجة",
)  # fmt: skip

# Indexed by date.weekday(): Monday is 0.
WEEKDAYS: tuple[str, ...] = (
    "الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد",
)  # fmt: skip

HIJRI_SUFFIX = "هـ"


def _digits(s: str, digits: str) -> str:
    if digits == "arabic":
        return to_arabic_digits(s)
    if digits == "western":
        return s
    raise ValueError(f"unknown digits style {digits!r}; use 'arabic' or 'western'")


def _hijri(value: date) -> tuple[int, int, int] | None:
    """(year, month, day) in the Umm al-Qura calendar, or None outside its range."""
    try:
        from hijridate import Gregorian

        h = Gregorian(value.year, value.month, value.day).to_hijri()
    except (OverflowError, ValueError, ImportError):
        return None
    return h.year, h.month, h.day


def format_date(
    value: date | datetime,
    calendar: str = "gregorian",
    digits: str = "arabic",
    *,
    month_names: str = "egyptian",
    with_weekday: bool = False,
    with_time: bool = False,
) -> str:
    """Format ``value`` in Arabic: «١٠ أبريل ٢٠٢٥», «١ رمضان ١٤٤٦ هـ».

    ``calendar`` is "gregorian" or "hijri" (Umm al-Qura via ``hijridate``; dates
    outside its 1343-1500 AH table fall back to the Gregorian form rather than
    raising).  ``digits`` is "arabic" (٠-٩) or "western" (0-9).  ``month_names``
    picks the Gregorian month set: "egyptian", "levantine" or "maghrebi".
    ``with_weekday`` prefixes «الخميس،»; ``with_time`` appends «، ١٤:٠٥» (24-hour,
    only for datetimes).
    """
    if month_names not in GREGORIAN_MONTHS:
        raise ValueError(
            f"unknown month_names {month_names!r}; use one of {list(GREGORIAN_MONTHS)}"
        )
    if calendar not in ("gregorian", "hijri"):
        raise ValueError(f"unknown calendar {calendar!r}; use 'gregorian' or 'hijri'")
    day_value = value.date() if isinstance(value, datetime) else value
    text = ""
    if calendar == "hijri":
        hijri = _hijri(day_value)
        if hijri is not None:
            y, m, d = hijri
            text = f"{d} {HIJRI_MONTHS[m - 1]} {y} {HIJRI_SUFFIX}"
    if not text:
        text = (
            f"{day_value.day} {GREGORIAN_MONTHS[month_names][day_value.month - 1]} {day_value.year}"
        )
    if with_weekday:
        text = f"{WEEKDAYS[day_value.weekday()]}، {text}"
    if with_time and isinstance(value, datetime):
        text = f"{text}، {value.hour:02d}:{value.minute:02d}"
    return _digits(text, digits)


def _count(n: int, one: str, two: str, few: str, many: str, digits: str) -> str:
    """Arabic number agreement: 1 → noun, 2 → dual, 3-10 → plural, 11-99 → singular acc."""
    if n == 1:
        return one
    if n == 2:
        return two
    rest = n % 100
    noun = few if 3 <= rest <= 10 else many if 11 <= rest <= 99 else one
    return f"{_digits(str(n), digits)} {noun}"


# (seconds per unit, singular, dual, plural 3-10, accusative singular 11-99)
_UNITS = (
    (365 * 86400, "سنة", "سنتين", "سنوات", "سنة"),
    (30 * 86400, "شهر", "شهرين", "أشهر", "شهرًا"),
    (7 * 86400, "أسبوع", "أسبوعين", "أسابيع", "أسبوعًا"),
    (86400, "يوم", "يومين", "أيام", "يومًا"),
    (3600, "ساعة", "ساعتين", "ساعات", "ساعة"),
    (60, "دقيقة", "دقيقتين", "دقائق", "دقيقة"),
)


def relative_time(value: datetime, now: datetime | None = None, digits: str = "arabic") -> str:
    """Describe how long ago ``value`` was: «منذ لحظات», «منذ دقيقتين», «أمس», «منذ ٣ أيام».

    Uses elapsed time, not calendar days ("أمس" means 24-48 hours ago).  Future
    values read «بعد …».  Weeks are used from 7 days, months from 30, years from
    365.  Naive and aware datetimes may be mixed: the naive one is assumed to be
    in the other's time zone.
    """
    if now is None:
        now = datetime.now(value.tzinfo)
    if (value.tzinfo is None) != (now.tzinfo is None):
        if value.tzinfo is None:
            value = value.replace(tzinfo=now.tzinfo)
        else:
            now = now.replace(tzinfo=value.tzinfo)
    seconds = int((now - value).total_seconds())
    future = seconds < 0
    seconds = abs(seconds)
    if seconds < 60:
        return "منذ لحظات" if not future else "بعد لحظات"
    for size, one, two, few, many in _UNITS:
        if seconds >= size:
            n = seconds // size
            if size == 86400 and n == 1:
                return "غدًا" if future else "أمس"
            phrase = _count(n, one, two, few, many, digits)
            return f"{'بعد' if future else 'منذ'} {phrase}"
    raise AssertionError("unreachable: seconds >= 60 always matches the minute unit")
