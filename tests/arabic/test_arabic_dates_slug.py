"""Dates, relative times, slugs, transliteration and reading time."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sahafa.arabic import (
    format_date,
    reading_time,
    relative_time,
    slugify,
    transliterate,
    unique_slug,
)


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({}, "١٠ أبريل ٢٠٢٥"),
        ({"digits": "western"}, "10 أبريل 2025"),
        ({"month_names": "levantine"}, "١٠ نيسان ٢٠٢٥"),
        ({"month_names": "maghrebi", "digits": "western"}, "10 أبريل 2025"),
        ({"calendar": "hijri"}, "١٢ شوال ١٤٤٦ هـ"),
        ({"calendar": "hijri", "digits": "western"}, "12 شوال 1446 هـ"),
        ({"with_weekday": True}, "الخميس، ١٠ أبريل ٢٠٢٥"),
    ],
)
def test_format_date(kwargs, expected):
    assert format_date(date(2025, 4, 10), **kwargs) == expected


@pytest.mark.parametrize(
    ("month", "egyptian", "levantine", "maghrebi"),
    [
        (1, "يناير", "كانون الثاني", "يناير"),
        (5, "مايو", "أيار", "ماي"),
        (7, "يوليو", "تموز", "يوليوز"),
        (8, "أغسطس", "آب", "غشت"),
        (9, "سبتمبر", "أيلول", "شتنبر"),
        (11, "نوفمبر", "تشرين الثاني", "نونبر"),
        (12, "ديسمبر", "كانون الأول", "دجنبر"),
    ],
)
def test_month_name_sets(month, egyptian, levantine, maghrebi):
    d = date(2024, month, 3)
    for names, expected in [
        ("egyptian", egyptian),
        ("levantine", levantine),
        ("maghrebi", maghrebi),
    ]:
        assert format_date(d, digits="western", month_names=names) == f"3 {expected} 2024"


@pytest.mark.parametrize(
    ("gregorian", "hijri"),
    [
        (date(2025, 3, 1), "1 رمضان 1446 هـ"),
        (date(2025, 3, 30), "1 شوال 1446 هـ"),
        (date(2024, 7, 7), "1 محرم 1446 هـ"),
        (date(2023, 6, 28), "10 ذو الحجة 1444 هـ"),
    ],
)
def test_hijri_known_dates(gregorian, hijri):
    assert format_date(gregorian, "hijri", "western") == hijri


def test_hijri_out_of_range_falls_back():
    assert format_date(date(1800, 1, 1), "hijri", "western") == "1 يناير 1800"


def test_with_time_and_bad_args():
    dt = datetime(2025, 4, 10, 9, 5)
    assert format_date(dt, with_time=True) == "١٠ أبريل ٢٠٢٥، ٠٩:٠٥"
    with pytest.raises(ValueError):
        format_date(dt, calendar="julian")
    with pytest.raises(ValueError):
        format_date(dt, month_names="iraqi")


NOW = datetime(2025, 4, 10, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("delta", "expected"),
    [
        (timedelta(seconds=20), "منذ لحظات"),
        (timedelta(minutes=1), "منذ دقيقة"),
        (timedelta(minutes=2), "منذ دقيقتين"),
        (timedelta(minutes=3), "منذ ٣ دقائق"),
        (timedelta(minutes=10), "منذ ١٠ دقائق"),
        (timedelta(minutes=11), "منذ ١١ دقيقة"),
        (timedelta(hours=1), "منذ ساعة"),
        (timedelta(hours=2), "منذ ساعتين"),
        (timedelta(hours=5), "منذ ٥ ساعات"),
        (timedelta(hours=23), "منذ ٢٣ ساعة"),
        (timedelta(days=1, hours=3), "أمس"),
        (timedelta(days=2), "منذ يومين"),
        (timedelta(days=3), "منذ ٣ أيام"),
        (timedelta(days=60), "منذ شهرين"),
        (timedelta(days=365 * 11), "منذ ١١ سنة"),
        (-timedelta(hours=3), "بعد ٣ ساعات"),
    ],
)
def test_relative_time(delta, expected):
    assert relative_time(NOW - delta, NOW) == expected


def test_relative_time_western_digits_and_naive_mix():
    assert relative_time(NOW - timedelta(minutes=5), NOW, digits="western") == "منذ 5 دقائق"
    naive = datetime(2025, 4, 10, 11, 0)
    assert relative_time(naive, NOW) == "منذ ساعة"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("الأزمةُ في غزة: ما الذي يحدث؟", "الأزمة-في-غزة-ما-الذي-يحدث"),
        ("قمة  الـــعشرين ٢٠٢٥", "قمة-العشرين-2025"),
        ("Apple تطلق iPhone جديداً", "apple-تطلق-iphone-جديدا"),
        ("Café «خاص»", "cafe-خاص"),
    ],
)
def test_slugify(text, expected):
    assert slugify(text) == expected


def test_slug_never_empty():
    assert slugify("") == "maqal"
    punct = slugify("!!! ... ؟؟")
    assert punct.startswith("maqal-") and punct == slugify("!!! ... ؟؟")
    assert slugify("\ud800")


def test_slug_cap_on_word_boundary():
    text = "مفاوضات " * 30
    slug = slugify(text, max_length=30)
    assert len(slug) <= 30 and not slug.endswith("-")
    assert all(part == "مفاوضات" for part in slug.split("-"))
    assert slugify("ا" * 100, max_length=10) == "ا" * 10


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200), st.integers(min_value=1, max_value=120))
def test_slug_properties(text, max_length):
    slug = slugify(text, max_length)
    assert slug and len(slug) <= max(max_length, 1)
    assert "--" not in slug and not slug.startswith("-") and not slug.endswith("-")


def test_unique_slug():
    taken = {"خبر-عاجل", "خبر-عاجل-2"}
    assert unique_slug("خبر-جديد", taken.__contains__) == "خبر-جديد"
    assert unique_slug("خبر-عاجل", taken.__contains__) == "خبر-عاجل-3"
    long = "-".join(["كلمة"] * 20)
    capped = "-".join(["كلمة"] * 4)  # 19 characters: the base cut to 20 on a hyphen
    result = unique_slug(long, lambda s: s == capped, max_length=20)
    assert result == "-".join(["كلمة"] * 3) + "-2"
    assert "--" not in result


def test_transliterate_and_latin_slug():
    assert transliterate("موسكو") == "musku"
    assert transliterate("القاهرة") == "al-qahra"
    assert slugify("أخبار موسكو", latin=True) == "akhbar-musku"


def test_reading_time():
    assert reading_time("") == 0
    assert reading_time("كلمة") == 1
    assert reading_time("كلمة " * 360) == 2
    assert reading_time("كلمة " * 361, wpm=180) == 3
