"""RSS / Atom feeds → records."""

from __future__ import annotations

from sahafa.ingest.parsers import parse_feed
from sahafa.ingest.records import ArticleRecord, RecordError

RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:media="http://search.yahoo.com/mrss/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>صحيفة الخلاصة</title><link>https://example.com</link>
<item>
  <title>افتتاح معرض الكتاب في دورته الجديدة</title>
  <link>https://example.com/news/1</link>
  <guid isPermaLink="false">news-1</guid>
  <pubDate>Tue, 02 Jan 2024 10:00:00 +0300</pubDate>
  <dc:creator>سلمى الراوي</dc:creator>
  <category>ثقافة</category><category>كتب</category>
  <description>ملخص قصير عن افتتاح المعرض.</description>
  <content:encoded><![CDATA[<p>افتتح المعرض أبوابه <b>اليوم</b> <a href="javascript:alert(1)">هنا</a>.</p>
  <h2>برنامج الفعاليات</h2><blockquote>الكتاب نافذة على العالم</blockquote>
  <figure><img src="https://example.com/a.jpg"><figcaption>زوار المعرض</figcaption></figure>
  <script>alert(1)</script>]]></content:encoded>
  <media:content url="https://example.com/lead.jpg" medium="image"><media:title>الصورة الرئيسية</media:title></media:content>
  <enclosure url="https://example.com/b.jpg" type="image/jpeg" length="100"/>
</item>
<item><title>خبر ثان</title><link>https://example.com/news/2</link><description>نص الخبر الثاني.</description></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>موقع أتوم</title>
<entry><title>تحديث الأسعار</title><id>urn:uuid:1</id><link href="https://example.org/p/1"/>
<updated>2024-03-04T05:06:07Z</updated><published>2024-03-04T05:00:00Z</published>
<author><name>كاتب أول</name></author><author><name>كاتب ثان</name></author>
<content type="html">&lt;p&gt;الفقرة الأولى.&lt;/p&gt;&lt;p&gt;الفقرة الثانية.&lt;/p&gt;</content></entry>
</feed>"""


def test_rss_entry_fields():
    first, second = parse_feed(RSS, source="rss")
    assert isinstance(first, ArticleRecord)
    assert first.title == "افتتاح معرض الكتاب في دورته الجديدة"
    assert first.source_url == "https://example.com/news/1"
    assert first.guid == "news-1" and first.identity() == "https://example.com/news/1"
    assert first.date.isoformat() == "2024-01-02T07:00:00+00:00"
    assert first.authors == ["سلمى الراوي"]
    assert first.tags == ["ثقافة", "كتب"] and first.section == "ثقافة"
    assert first.standfirst == "ملخص قصير عن افتتاح المعرض."
    assert first.paragraphs[0].startswith("افتتح المعرض أبوابه اليوم")
    assert first.subheadings == ["برنامج الفعاليات"]
    assert first.quotes == ["الكتاب نافذة على العالم"]
    srcs = [i.src for i in first.images]
    assert srcs[0] == "https://example.com/lead.jpg"
    assert "https://example.com/b.jpg" in srcs and "https://example.com/a.jpg" in srcs
    assert "زوار المعرض" in first.captions
    html = " ".join(b.html for b in first.blocks)
    assert "javascript:" not in html and "<script" not in html and "<b>اليوم</b>" in html
    assert second.paragraphs == ["نص الخبر الثاني."]
    assert first.site_name == "صحيفة الخلاصة"


def test_atom_entry():
    (entry,) = parse_feed(ATOM.encode(), source="atom")
    assert entry.authors == ["كاتب أول", "كاتب ثان"]
    assert entry.paragraphs == ["الفقرة الأولى.", "الفقرة الثانية."]
    assert entry.guid == "urn:uuid:1"
    assert entry.updated.isoformat() == "2024-03-04T05:06:07+00:00"


def test_bozo_feed_keeps_parsed_entries():
    broken = RSS.replace("</channel></rss>", "<item><title>ناقص")
    results = list(parse_feed(broken, source="broken"))
    records = [r for r in results if isinstance(r, ArticleRecord)]
    errors = [r for r in results if isinstance(r, RecordError)]
    assert len(records) >= 2
    assert errors and "malformed feed" in errors[-1].reason
