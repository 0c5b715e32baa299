"""Query building and highlighting, without a database."""

from __future__ import annotations

import pytest

from sahafa.search.highlight import highlight, snippet
from sahafa.search.query import (
    MAX_QUERY_CHARS,
    analyse_query,
    fts5_match,
    parse_query,
    tsquery,
    tsvector_literal,
)


def alternatives(text: str) -> list[tuple[str, ...]]:
    return [t.alternatives for t in analyse_query(text).required]


def test_spelling_variants_analyse_to_the_same_terms():
    assert alternatives("الأزمه") == alternatives("الأزمة") == alternatives("الازمة")
    assert alternatives("وبالمفاوضات") == alternatives("المفاوضات") == alternatives("مُفاوَضات")
    assert alternatives("مستشفى") == alternatives("مستشفي")
    assert alternatives("المفاوضـــات") == alternatives("المفاوضات")  # tatweel


def test_country_name_meets_its_adjective():
    assert alternatives("روسيا") == alternatives("الروسية")
    assert alternatives("أمريكا") == alternatives("الأمريكية")


def test_single_letter_clitic_also_tries_the_bare_word():
    (terms,) = alternatives("لمفاوضات")
    assert alternatives("مفاوضات")[0][0] in terms


def test_parse_phrases_and_exclusions():
    clauses = parse_query('سوريا "وقف إطلاق النار" -لبنان -"الأمم المتحدة"')
    assert [(c.text, c.phrase, c.exclude) for c in clauses] == [
        ("سوريا", False, False),
        ("وقف إطلاق النار", True, False),
        ("لبنان", False, True),
        ("الأمم المتحدة", True, True),
    ]


def test_arabic_quote_marks_make_a_phrase():
    query = analyse_query("«وقف إطلاق النار»")
    assert len(query.phrases) == 1 and not query.required


@pytest.mark.parametrize(
    "raw",
    ["", "   ", "-", '""', "\u064e\u064f\u0650" * 5, "في من على", "-روسيا", "***", "\x00\x01"],
)
def test_nothing_positive_to_search_is_empty(raw):
    assert analyse_query(raw).is_empty


@pytest.mark.parametrize(
    "raw",
    [
        '" * ( ) NEAR : ^ -',
        "title:روسيا OR body:x*",
        "'; DROP TABLE search_entry; --",
        'NEAR(روسيا أمريكا, 3) AND "',
        "روسيا\x00\x1b[31m",
        "Россия 俄罗斯 روسيا",
        "\\' روسيا \\\\ ''",
    ],
)
def test_engine_syntax_is_quoted_away(raw):
    query = analyse_query(raw)
    match = fts5_match(query, ["title", "body"])
    # Every term is a quoted string: no bare operator survives outside quotes.
    outside = "".join(part for i, part in enumerate(match.split('"')) if i % 2 == 0)
    outside = outside.replace("{title body}", "")
    assert not set(outside) - set(" :()ANDORT")
    assert "!" not in tsquery(query).replace("& !(", "")


def test_queries_are_capped():
    query = analyse_query("كلمة " * 5000)
    assert len(query.text) <= MAX_QUERY_CHARS
    assert len(query.required) <= 12


def test_fts5_expression_shape():
    query = analyse_query('مفاوضات "وقف النار" -لبنان')
    assert fts5_match(query, ["title", "body"], facets_column="facets", facets=["s3"]) == (
        '{title body} : ("مفاوض" AND "وقف نار") AND {facets} : "s3" NOT {title body} : ("لبنان")'
    )
    assert tsquery(query) == "'مفاوض' & ('وقف' <-> 'نار') & !('لبنان')"


def test_tsvector_literal_escapes_and_weights():
    literal = tsvector_literal([(["o'brien", "روس"], "A"), (["روس"], "D")])
    assert literal == "'o''brien':1A 'روس':2A,4D"


def test_highlight_marks_the_original_spelling_and_escapes_the_rest():
    terms = analyse_query("الأزمه روسيا").highlight_terms()
    html = highlight("<script>x</script> الأَزْمَةُ في روسيا الاتحادية", terms)
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<mark>الأَزْمَةُ</mark>" in html
    assert "<mark>روسيا</mark>" in html


def test_snippet_centres_on_the_matches():
    text = "تمهيد " * 80 + "بدأت المفاوضات الروسية أمس " + "خاتمة " * 80
    html = snippet(text, analyse_query("مفاوضات روسيا").highlight_terms(), max_chars=120)
    assert "<mark>المفاوضات</mark> <mark>الروسية</mark>" in html
    assert html.startswith("… ") and html.endswith(" …")
    assert len(html) < 220


def test_headline_bonus_rewards_coverage_and_word_order():
    from sahafa.search.query import index_terms
    from sahafa.search.ranking import headline_bonus

    query = analyse_query("تنصيب رئيس الولايات المتحدة")
    in_order = headline_bonus(index_terms("مراسم تنصيب رئيس الولايات المتحدة"), query)
    scattered = headline_bonus(index_terms("الولايات المتحدة تستعد لتنصيب ترامب رئيسا"), query)
    partial = headline_bonus(index_terms("رئيس جديد للحكومة"), query)
    assert in_order > scattered > partial > 0
    assert headline_bonus([], query) == 0


def test_query_building_loads_no_django():
    import subprocess
    import sys

    code = (
        "import sys, sahafa.search.query, sahafa.search.ranking, sahafa.search.highlight;"
        "print(any(m.startswith('django') for m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
