"""Saved HTML pages → records (trafilatura + Sahafa's Arabic cleanup)."""

from __future__ import annotations

import goldfiles
import pytest

from sahafa.ingest.parsers import parse_html_page
from sahafa.ingest.text import clean

ARTICLES = [
    g
    for g in goldfiles.gold_ids()
    if goldfiles.load(g)["kind"] == "article" and goldfiles.load(g)["html"]
]
LISTINGS = [g for g in goldfiles.gold_ids() if goldfiles.load(g)["kind"] == "listing"]


def _article(path):
    records = list(parse_html_page(path.read_bytes(), source=str(path)))
    return records[0]


@pytest.mark.parametrize("gold_id", ARTICLES)
def test_html_article_matches_gold(gold_page, gold_id):
    gold, _raw, path = gold_page(gold_id, "html")
    record = _article(path)
    assert record.kind == "article"
    assert record.source_format == "html"
    assert record.title == clean(gold["title"])
    assert record.masthead == {k: clean(v) for k, v in gold["masthead"].items()}
    want = {clean(p) for p in gold["paragraphs"]}
    got = set(record.paragraphs)
    assert len(want & got) / len(want) >= 0.95
    assert len(want & got) / len(got) >= 0.95
    assert (record.date.date().isoformat() if record.date else None) == gold["date"]


@pytest.mark.parametrize("gold_id", LISTINGS)
def test_html_listing_pages(gold_page, gold_id):
    _gold, _raw, path = gold_page(gold_id, "html")
    assert _article(path).kind == "listing"


def test_metadata_from_trafilatura(gold_page):
    _gold, _raw, path = gold_page("d01-youm7", "html")
    record = _article(path)
    assert record.images and record.images[0].src.startswith("https://")
    assert record.section
    assert record.tags


def test_lead_paragraph_dropped_by_trafilatura_is_recovered(gold_page):
    gold, _raw, path = gold_page("d05-sputnikar", "html")
    record = _article(path)
    assert record.paragraphs[0] == clean(gold["paragraphs"][0])


def test_blocks_keep_only_safe_inline_html():
    html = """<html><head><title>خبر تجريبي - صحيفة المثال</title>
    <meta property="og:site_name" content="صحيفة المثال"></head><body>
    <nav><ul><li>الرئيسية</li><li>رياضة</li></ul></nav>
    <article><h1>خبر تجريبي</h1>
    <p>هذه <b>فقرة</b> أولى فيها <a href="javascript:alert(1)" onclick="steal()">رابط خبيث</a>
    وكلمات كثيرة تكفي لأن تكون فقرة حقيقية من نص المقال المنشور اليوم.</p>
    <script>alert("x")</script>
    <p>وهذه فقرة ثانية فيها <a href="https://example.org/a">رابط سليم</a> ونص إضافي طويل بما يكفي
    ليعدّ فقرة كاملة من المقال المنشور.</p>
    <p onmouseover="x()">وفقرة ثالثة <img src="x" onerror="alert(1)"> تحتوي عناصر خطرة ونصا طويلا يكفي
    لتكون جزءا من متن المقال الأساسي.</p>
    </article></body></html>"""
    record = next(parse_html_page(html, source="inline"))
    assert record.title == "خبر تجريبي"
    assert record.site_name == "صحيفة المثال"
    joined = " ".join(b.html for b in record.blocks)
    assert "javascript:" not in joined
    assert "onclick" not in joined and "onerror" not in joined and "onmouseover" not in joined
    assert "<script" not in joined and "alert" not in joined
    assert 'href="https://example.org/a"' in joined
    assert all("alert" not in p for p in record.paragraphs)


def test_the_html_cleaner_the_extractor_needs_is_pinned():
    """trafilatura's fallback extractor (justext) imports ``lxml.html.clean``, which
    lxml moved out to the ``lxml_html_clean`` package: without it in the project's
    dependencies, pinned like the rest, a fresh install cannot read HTML pages."""
    import importlib.metadata
    import tomllib

    from goldfiles import REPO

    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    pins = dict(dep.split("==", 1) for dep in project["dependencies"] if "==" in dep)
    assert pins.get("lxml_html_clean") == importlib.metadata.version("lxml_html_clean")
    from lxml.html.clean import Cleaner  # noqa: F401 - the import justext makes
