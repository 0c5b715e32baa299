"""Tokeniser, stemmer, stop words and the analysis pipeline."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import sahafa.arabic as ar
from sahafa.arabic import (
    STOP_WORDS,
    add_protected_words,
    analyze,
    analyze_with_offsets,
    clear_protected_words,
    is_stopword,
    protected_words,
    set_default_stemmer,
    stem,
    tokenize,
)
from sahafa.arabic.stem import MIN_STEM, PREFIX_RULES, SUFFIX_RULES

ARABIC_WORD = st.text(
    alphabet=st.sampled_from("ابتثجحخدسشعفقكلمنهويءأإآىةؤئـَُِّ"), min_size=1, max_size=12
)


def test_tokenize_mixed_text():
    text = "وبالمُفَاوَضَاتِ الـ٢٠ حول COVID-19 بلغت ٣٫٥ مليار O'Brien قمة مصرية-قطرية"
    tokens = tokenize(text)
    assert [(t.text, t.kind) for t in tokens] == [
        ("وبالمُفَاوَضَاتِ", "arabic"),
        ("الـ٢٠", "mixed"),
        ("حول", "arabic"),
        ("COVID-19", "mixed"),
        ("بلغت", "arabic"),
        ("٣٫٥", "number"),
        ("مليار", "arabic"),
        ("O'Brien", "latin"),
        ("قمة", "arabic"),
        ("مصرية", "arabic"),  # a hyphen splits Arabic words
        ("قطرية", "arabic"),
    ]
    for t in tokens:
        assert text[t.start : t.end] == t.text


def test_token_is_a_namedtuple():
    token = tokenize("سلام")[0]
    assert token == ar.Token("سلام", 0, 4, "arabic")
    assert token.text == "سلام" and token.end == 4


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_token_offsets_slice_back(text):
    last_end = 0
    for t in tokenize(text):
        assert text[t.start : t.end] == t.text
        assert t.start >= last_end and t.end > t.start
        assert t.kind in ("arabic", "latin", "number", "mixed")
        last_end = t.end


@pytest.mark.parametrize("rule", PREFIX_RULES, ids=lambda r: r.affix)
def test_each_prefix_rule_strips(rule):
    word = rule.affix + "مفاوضات"
    assert stem(word) == "مفاوض"


@pytest.mark.parametrize("rule", SUFFIX_RULES, ids=lambda r: r.affix)
def test_each_suffix_rule_strips_and_respects_min_stem(rule):
    base = "مكتب"  # 4 letters: the suffix is removed, the base kept
    assert stem(base + rule.affix).startswith("مكت")
    # A word that would shrink below MIN_STEM keeps its letters.
    short = "قل" + rule.affix
    assert len(stem(short)) >= min(len(short), MIN_STEM)


@pytest.mark.parametrize(
    "group",
    [
        ["وبالمفاوضات", "والمفاوضات", "المفاوضات", "مفاوضات"],
        ["الأزمة", "الأزمه", "ازمة", "الأَزْمَةُ"],
        ["فلسطين", "وفلسطين", "بفلسطين", "لفلسطين", "الفلسطينية"],
        ["لبنان", "ولبنان", "بلبنان", "اللبنانيون"],
        ["قالوا", "قال"],
    ],
)
def test_stem_groups_share_a_stem(group):
    assert len({stem(w) for w in group}) == 1, {w: stem(w) for w in group}


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("فلسطين", "فلسطين"),  # protected: never «لسط»
        ("وزير", "وزير"),  # و is part of the root in short words
        ("فريق", "فريق"),
        ("بطولة", "بطول"),  # single ب is not a prefix
        ("كتب", "كتب"),  # nothing removed below MIN_STEM
        ("وسيعلنون", "علن"),  # stacked و + future س + imperfect ي
        ("NASA", "nasa"),  # Latin passes through, casefolded
        ("٢٠٢٥", "2025"),
    ],
)
def test_light_stem_examples(word, expected):
    assert stem(word, "light") == expected


def test_snowball_is_available_and_protected_words_apply():
    assert stem("المفاوضات", "snowball") == "مفاوض"
    assert stem("وفلسطين", "snowball") == "فلسطين"


def test_default_stemmer_is_settable():
    assert ar.DEFAULT_STEMMER == "light"
    set_default_stemmer("snowball")
    assert ar.DEFAULT_STEMMER == "snowball"
    assert stem("والمفاوضات") == stem("والمفاوضات", "snowball")
    with pytest.raises(ValueError):
        set_default_stemmer("porter")


def test_protected_words_api():
    assert "فلسطين" in protected_words() and len(protected_words()) >= 150
    assert stem("وبرشلونة") != "برشلونه"
    add_protected_words(["برشلونة"])
    assert stem("وبرشلونة") == "برشلونه"
    clear_protected_words()
    assert protected_words() == frozenset()
    assert stem("فلسطين") != "فلسطين"


@settings(max_examples=300, deadline=None)
@given(ARABIC_WORD, st.sampled_from(["light", "snowball"]))
def test_stem_never_empty(word, algorithm):
    assert stem(word, algorithm)


@settings(max_examples=200, deadline=None)
@given(st.text(min_size=1, max_size=20))
def test_stem_never_empty_any_text(word):
    assert stem(word)


def test_stop_words():
    assert len(STOP_WORDS) >= 250
    for word in ["في", "من", "على", "إلى", "التي", "هذه", "وقال", "وفي", "ومن"]:
        assert is_stopword(word), word
    assert all(w == ar.normalize(w, "match") for w in STOP_WORDS)
    assert not is_stopword("مفاوضات")


def test_analyze_pipeline():
    terms = analyze("وقال الوزيرُ إن المفاوضاتِ في القاهرة ستُستأنف")
    assert terms == ["وزير", "مفاوض", "القاهره", "ستستانف"]
    assert "في" in analyze("في غزة", stop=False)
    assert analyze("والمفاوضات", algorithm="snowball") == [stem("والمفاوضات", "snowball")]


def test_analyze_with_offsets_points_into_original():
    text = "زار الوزيرُ   بيروتَ ﷺ"
    out = analyze_with_offsets(text)
    assert [t for t, _, _ in out][:2] == ["زار", "وزير"]
    for term, start, end in out:
        assert term
        assert text[start:end].strip()
    surface = [text[s:e] for _, s, e in out]
    assert surface[:3] == ["زار", "الوزيرُ", "بيروتَ"]


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_analyze_and_offsets_agree(text):
    assert [t for t, _, _ in analyze_with_offsets(text)] == analyze(text)
