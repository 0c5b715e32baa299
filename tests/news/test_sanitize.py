"""The sanitiser itself: rich text, plain text and URLs (no database)."""

import pytest

from sahafa.news.sanitize import clean_html, clean_text, clean_url


@pytest.mark.parametrize(
    "dirty",
    [
        "<p>نص<script>alert(1)</script></p>",
        '<p><img src=x onerror="alert(1)">نص</p>',
        '<p><a href="javascript:alert(1)">نص</a></p>',
        '<p><a href="&#106;avascript:alert(1)">نص</a></p>',
        '<p><a href="java\tscript:alert(1)">نص</a></p>',
        '<p><a href="data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;">نص</a></p>',
        '<p><svg onload="alert(1)"></svg>نص</p>',
        '<p><iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe>نص</p>',
        '<p style="background:url(javascript:alert(1))" onmouseover="alert(1)">نص</p>',
        "<p><ScRiPt>alert(1)</sCrIpT>نص</p>",
        "<p>نص<script>alert(1)",
    ],
)
def test_rich_text_keeps_text_and_drops_everything_executable(dirty):
    clean = clean_html(dirty)
    lowered = clean.lower()
    assert "نص" in clean
    for bad in (
        "<script",
        "onerror",
        "onload",
        "onmouseover",
        "javascript:",
        "data:",
        "<svg",
        "<iframe",
        "style=",
    ):
        assert bad not in lowered, (bad, clean)


def test_rich_text_keeps_the_wagtail_allowlist():
    source = (
        '<h2>عنوان</h2><p><b>غامق</b> <i>مائل</i> <a href="https://example.com/x">رابط</a> '
        '<a linktype="page" id="12">صفحة</a> <a href="mailto:desk@example.com">بريد</a></p>'
        "<ul><li>بند</li></ul><blockquote>اقتباس</blockquote>"
    )
    clean = clean_html(source)
    for kept in (
        "<h2>",
        "<b>",
        "<i>",
        'href="https://example.com/x"',
        'linktype="page"',
        'id="12"',
        "mailto:",
        "<li>",
        "<blockquote>",
    ):
        assert kept in clean
    assert 'rel="noopener noreferrer"' in clean
    # Non-numeric ids could clobber DOM globals; unknown link types are dropped.
    assert 'id="x"' not in clean_html('<a linktype="page" id="x">ص</a>')
    assert "linktype" not in clean_html('<a linktype="evil" href="/">ص</a>')


def test_plain_text_loses_markup_and_bidi_overrides_but_keeps_arabic_marks():
    assert clean_text("<b>عاجل</b>: انفجار") == "عاجل: انفجار"
    assert clean_text("&lt;script&gt;alert(1)&lt;/script&gt;نص") == "نص"
    assert clean_text("الدولار < ٥ جنيهات") == "الدولار < ٥ جنيهات"
    assert clean_text("AT&T") == "AT&T"
    assert clean_text("ملف\u202egpj.exe") == "ملفgpj.exe"
    assert clean_text("سطر\x00\x1b") == "سطر"
    # Zero-width non-joiner and right-to-left mark are part of real text.
    assert clean_text("می\u200cخواهم \u200fنص") == "می\u200cخواهم \u200fنص"


@pytest.mark.parametrize(
    "url, expected",
    [
        ("https://example.com/a?b=1", "https://example.com/a?b=1"),
        ("http://example.com", "http://example.com"),
        ("/ar/siyasa/", "/ar/siyasa/"),
        ("javascript:alert(1)", ""),
        (" JaVa\tScRiPt:alert(1)", ""),
        ("data:text/html;base64,PHNjcmlwdD4=", ""),
        ("vbscript:msgbox(1)", ""),
        ("//evil.example/x", ""),
    ],
)
def test_urls_keep_only_web_schemes(url, expected):
    assert clean_url(url) == expected


def test_visible_text_ignores_marks_joiners_and_spaces():
    from sahafa.news.sanitize import has_visible_text

    assert has_visible_text("نص") and has_visible_text("ـ")  # tatweel is drawn
    assert not has_visible_text(" \u00a0\u200f\u200c\u064b\n")
    assert not has_visible_text("") and not has_visible_text(None)


@pytest.mark.parametrize(
    ("value", "kind", "emptied"),
    [
        ("<b></b>", "text", True),
        ("<script>alert(9)</script>", "text", True),
        ("&lt;img src=x onerror=alert(1)&gt;", "text", True),
        ("عاجل <b></b>", "text", False),
        ("", "text", False),
        ("<p><script>alert(1)</script></p>", "html", True),
        ("<p><b>نص</b></p>", "html", False),
        # An empty editor, as Wagtail stores it: no text to lose.
        ('<p data-block-key="a"></p>', "html", False),
        ("javascript:alert(1)", "url", True),
        ("https://example.com/", "url", False),
    ],
)
def test_emptied_by_cleaning_is_a_value_that_loses_all_its_text(value, kind, emptied):
    from sahafa.news.sanitize import emptied_by_cleaning

    assert emptied_by_cleaning(value, kind) is emptied
