"""WordPress WXR exports → records."""

from __future__ import annotations

import tracemalloc

import pytest

from sahafa.ingest.parsers import iter_records, parse_wxr
from sahafa.ingest.records import ArticleRecord, RecordError


@pytest.fixture(scope="module")
def theme_records(request):
    from goldfiles import data_dir

    path = data_dir() / "wxr" / "themeunittestdata.wordpress.xml"
    if not path.exists():
        pytest.skip(f"shared data not found at {path} (set SAHAFA_DATA_DIR)")
    return list(iter_records("wxr", str(path)))


def _by_title(records, title) -> ArticleRecord:
    return next(r for r in records if isinstance(r, ArticleRecord) and r.title == title)


def test_posts_are_imported_and_other_items_are_not(theme_records):
    posts = [r for r in theme_records if isinstance(r, ArticleRecord)]
    errors = [r for r in theme_records if isinstance(r, RecordError)]
    assert len(posts) == 57  # 58 posts, one without a title is reported
    assert len(errors) == 1 and "no title" in errors[0].reason
    assert {r.extra["post_type"] for r in posts} == {"post"}
    assert all(r.source_format == "wxr" for r in posts)


def test_statuses_are_kept(theme_records):
    assert _by_title(theme_records, "Draft").status == "draft"
    scheduled = _by_title(theme_records, "Scheduled")
    assert scheduled.status == "scheduled"
    assert scheduled.date.year == 2030
    protected = next(r for r in theme_records if getattr(r, "extra", {}).get("password_protected"))
    assert protected.status == "private"
    sticky = _by_title(theme_records, "Template: Sticky")
    assert sticky.status == "published" and sticky.extra["sticky"] is True


def test_ids_authors_terms_and_dates(theme_records):
    post = _by_title(theme_records, "Template: Sticky")
    assert post.external_id.startswith("wxr-")
    assert post.identity() == post.external_id
    assert post.guid
    assert post.authors and post.authors[0] != "themedemos"  # display name, not login
    assert post.date is not None and post.date.tzinfo is not None
    tagged = [r for r in theme_records if getattr(r, "tags", None)]
    assert tagged and all(r.section for r in tagged if r.extra.get("categories"))


def test_featured_images_and_internal_links(theme_records):
    featured = [r for r in theme_records if getattr(r, "extra", {}).get("thumbnail_id")]
    assert featured
    assert all(r.images and r.images[0].src.startswith("http") for r in featured)
    linked = [r for r in theme_records if getattr(r, "extra", {}).get("internal_links")]
    assert linked
    assert all(
        "wpthemetestdata.wordpress.com" in u for r in linked for u in r.extra["internal_links"]
    )


def test_content_becomes_blocks(theme_records):
    posts = [r for r in theme_records if isinstance(r, ArticleRecord)]
    assert sum(len(r.paragraphs) for r in posts) > 100
    assert any(r.subheadings for r in posts)
    assert any(r.quotes for r in posts)
    assert all("<script" not in b.html for r in posts for b in r.blocks)


def test_pages_optional(wxr_path):
    records = [
        r
        for r in parse_wxr(wxr_path.read_bytes(), source="x", include_pages=True)
        if isinstance(r, ArticleRecord)
    ]
    assert any(r.extra["post_type"] == "page" for r in records)


def _wxr(items: str, version: str = "1.2", scheme: str = "http") -> bytes:
    ns = f"{scheme}://wordpress.org/export/{version}/"
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:excerpt="{ns}excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="{ns}">
<channel><title>صحيفة التجربة</title><link>https://example.com</link>
<wp:author><wp:author_login>ali</wp:author_login><wp:author_display_name>علي الكاتب</wp:author_display_name></wp:author>
{items}
</channel></rss>""".encode()


def _item(n: int, status: str = "publish", body: str = "<p>فقرة</p>") -> str:
    return f"""<item><title>خبر {n}</title><link>https://example.com/?p={n}</link><dc:creator>ali</dc:creator>
<guid isPermaLink="false">https://example.com/?p={n}</guid>
<content:encoded><![CDATA[{body}]]></content:encoded><wp:post_id>{n}</wp:post_id>
<wp:post_date_gmt>2024-01-02 03:04:05</wp:post_date_gmt><wp:status>{status}</wp:status>
<wp:post_type>post</wp:post_type><category domain="category" nicename="a"><![CDATA[سياسة]]></category>
<category domain="post_tag" nicename="b"><![CDATA[انتخابات]]></category></item>"""


@pytest.mark.parametrize("version", ["1.0", "1.1", "1.2"])
@pytest.mark.parametrize("scheme", ["http", "https"])
def test_namespace_versions_and_schemes(version, scheme):
    body = '<p>نص <a href="https://example.com/2024/01/x/">داخلي</a></p><h2>عنوان</h2><blockquote>اقتباس</blockquote>'
    (record,) = parse_wxr(_wxr(_item(7, "pending", body), version, scheme), source="t")
    assert record.title == "خبر 7"
    assert record.status == "draft"
    assert record.authors == ["علي الكاتب"]
    assert record.section == "سياسة" and record.tags == ["انتخابات"]
    assert record.external_id == "wxr-7"
    assert record.extra["internal_links"] == ["https://example.com/2024/01/x/"]
    assert record.subheadings == ["عنوان"] and record.quotes == ["اقتباس"]
    assert record.date.isoformat() == "2024-01-02T03:04:05+00:00"


def _big_wxr(path, items: int) -> None:
    head, tail = _wxr("@@").split(b"@@")
    with path.open("wb") as fh:
        fh.write(head)
        for n in range(items):
            fh.write(_item(n).encode())
        fh.write(tail)


def _peak(path) -> tuple[int, int]:
    tracemalloc.start()
    count = sum(1 for r in iter_records("wxr", str(path)) if isinstance(r, ArticleRecord))
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return count, peak


def test_fifty_thousand_items_stream(tmp_path):
    path = tmp_path / "big.xml"
    _big_wxr(path, 50_000)
    count = sum(1 for r in iter_records("wxr", str(path)) if isinstance(r, ArticleRecord))
    assert count == 50_000


def test_memory_does_not_grow_with_the_number_of_items(tmp_path):
    small, large = tmp_path / "small.xml", tmp_path / "large.xml"
    _big_wxr(small, 500)
    _big_wxr(large, 5_000)
    n_small, peak_small = _peak(small)
    n_large, peak_large = _peak(large)
    assert (n_small, n_large) == (500, 5_000)
    assert peak_large < 2 * peak_small + 1024 * 1024, (peak_small, peak_large)
