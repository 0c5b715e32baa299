"""Normalisation: every rule row, levels, robustness properties."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sahafa.arabic import MATCH_RULES, RULES, normalize, to_arabic_digits, to_western_digits
from sahafa.arabic.normalize import DISPLAY_RULES

ALL_TEXT = st.text(
    alphabet=st.characters(codec=None, exclude_categories=()),  # includes Cs, Cc
    max_size=200,
)
ARABICISH = st.text(
    alphabet=st.sampled_from(
        "ابتثجحخدذرزسشصضطظعغفقكلمنهويءأإآٱىةؤئـًٌٍَُِّْٰ٠١٢٣٤٥٦٧٨٩،؛؟«»“” \u200c\u200f\ufefb\ufdf2\n\tAbC"
    ),
    max_size=200,
)


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.name)
def test_every_rule_row_is_applied(rule):
    """Each mapping in each row has the documented effect at its level (and match)."""
    levels = ["display", "match"] if rule.level == "display" else ["match"]
    for cp, expected in list(rule.mapping.items())[:400]:
        src = f"ب{chr(cp)}ت"
        for level in levels:
            out = normalize(src, level)
            if rule.name == "whitespace":
                assert out == "ب ت"
            elif rule.level == "match" or level == "display":
                # The character itself never survives its own rule.
                assert chr(cp) not in out, (rule.name, hex(cp))
                if expected and level == rule.level:
                    assert out == normalize(f"ب{expected}ت", level)


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.name)
def test_rule_rows_are_documented(rule):
    assert rule.name and rule.description and rule.level in ("display", "match")
    assert rule.mapping, "a rule without mappings does nothing"


def test_tables_partition_rules():
    assert [r.name for r in DISPLAY_RULES + MATCH_RULES] == [r.name for r in RULES]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  مرحبًا\u00a0\u00a0بكم\n", "مرحبًا بكم"),  # spaces unified, diacritics kept
        ("الســـلام", "السلام"),  # tatweel
        ("كت\u200cاب\u200f", "كتاب"),  # ZWNJ, RLM
        ("\u202bنص\u202c", "نص"),  # RLE … PDF
        ("\ufefb", "لا"),  # lam-alef ligature
        ("\ufe8d\ufe8e", "اا"),  # alef isolated/final presentation forms
        ("أحمد إبراهيم", "أحمد إبراهيم"),  # hamza kept for display
        ("٣ x²", "٣ x²"),  # NFKC is *not* applied outside presentation forms
    ],
)
def test_display_examples(raw, expected):
    assert normalize(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("الأزمةُ", "الازمه"),
        ("إلى مُسْتَشْفى", "الي مستشفي"),
        ("آلاف المؤمنين", "الاف المومنين"),
        ("رئيس الوزراء", "رييس الوزراء"),
        ("٢٠٢٥ و۱۴۰۳", "2025 و1403"),
        ("لماذا؟ نعم، ولا؛", "لماذا? نعم, ولا;"),
        ("«قال» “هنا” „x‟", '"قال" "هنا" "x"'),
        ("NASA وiPhone", "nasa وiphone"),
        ("ٱلرَّحْمَٰن", "الرحمن"),
        ("\ufefb", "لا"),  # ligature لأ → لا after display then match
    ],
)
def test_match_examples(raw, expected):
    assert normalize(raw, "match") == expected


def test_unknown_level():
    with pytest.raises(ValueError):
        normalize("نص", "loose")


def test_digits_helpers():
    assert to_arabic_digits("2025-04") == "٢٠٢٥-٠٤"
    assert to_western_digits("٢٠٢٥ ۱۴") == "2025 14"


@settings(max_examples=300, deadline=None)
@given(ALL_TEXT, st.sampled_from(["display", "match"]))
def test_never_raises_and_idempotent_any_text(text, level):
    once = normalize(text, level)
    assert normalize(once, level) == once


@settings(max_examples=300, deadline=None)
@given(ARABICISH, st.sampled_from(["display", "match"]))
def test_idempotent_arabic_text(text, level):
    once = normalize(text, level)
    assert normalize(once, level) == once
    assert once == once.strip(" ") and "  " not in once


def test_lone_surrogates_and_controls():
    text = "\ud800نص\udfff\x00\x07"
    assert normalize(text, "match") == "\ud800نص\udfff\x00\x07"


def test_one_megabyte():
    text = ("الأَزْمَةُ في غزة ـ ١٢٣ \u200c«نص» " * 40_000)[:1_000_000]
    out = normalize(text, "match")
    assert len(out) < len(text)
    assert normalize(out, "match") == out
