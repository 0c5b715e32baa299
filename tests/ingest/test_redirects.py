"""A WordPress archive's old addresses answer 301 to the imported articles.

Through HTTP: the permalink (an Arabic slug, percent-encoded and decoded), ``/?p=ID``
and the attachment pages, as Wagtail redirects editors see in the redirects admin;
never towards a page a reader may not see; the same rows after a re-run.
"""

from __future__ import annotations

from io import StringIO
from pathlib import Path
from urllib.parse import quote

import pytest
from django.core.management import call_command
from django.test import TestCase
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import PageViewRestriction, Site

from sahafa.ingest.models import ImportedRedirect
from sahafa.ingest.parsers import parse_wxr
from sahafa.ingest.records import AddressRecord, ArticleRecord
from sahafa.news.models import ArticlePage

OLD = "https://old.example.com"
SLUG = "حوار-محدود-في-إسطنبول"
SLUG_ENCODED = quote(SLUG).lower()  # WordPress writes lower-case escapes
PERMALINK = f"/2024/05/{SLUG_ENCODED}/"
ATTACHMENT_PAGE = f"/2024/05/{SLUG_ENCODED}/roussia-amrika/"

ITEM = """
<item>
  <title>{title}</title>
  <link>{link}</link>
  <dc:creator><![CDATA[editor]]></dc:creator>
  <content:encoded><![CDATA[{body}]]></content:encoded>
  <wp:post_id>{post_id}</wp:post_id>
  <wp:post_date_gmt>2024-05-0{day} 08:00:00</wp:post_date_gmt>
  <wp:post_name><![CDATA[{slug}]]></wp:post_name>
  <wp:status>{status}</wp:status>
  <wp:post_parent>{parent}</wp:post_parent>
  <wp:post_type>{post_type}</wp:post_type>
  {extra}
  <category domain="category" nicename="siyasa"><![CDATA[سياسة]]></category>
</item>"""


def item(post_id, title, link, *, status="publish", parent=0, post_type="post", slug="", day=1):
    extra = ""
    if post_type == "attachment":
        extra = f"<wp:attachment_url>{OLD}/wp-content/uploads/2024/05/photo-{post_id}.jpg</wp:attachment_url>"
    return ITEM.format(
        post_id=post_id,
        title=title,
        link=link,
        status=status,
        parent=parent,
        post_type=post_type,
        slug=slug,
        day=day,
        extra=extra,
        body=f"<p>{title}: فقرة أولى من الخبر.</p><p>فقرة ثانية.</p>",
    )


def export(*, photo_parent: int = 101) -> str:
    """A small export: two published posts (one with an Arabic slug), a draft, an
    attachment of each published post (one before its post in the file, one after)
    and an attachment of no post."""
    items = [
        item(
            200,
            "صورة السوق",
            f"{OLD}/2024/05/economy-news/souq/",
            status="inherit",
            parent=102,
            post_type="attachment",
        ),
        item(101, "حوار محدود في إسطنبول", OLD + PERMALINK, slug=SLUG_ENCODED, day=1),
        item(102, "أسعار القمح ترتفع", f"{OLD}/2024/05/economy-news/", slug="economy-news", day=2),
        item(103, "مسودة لم تنشر", f"{OLD}/?p=103", status="draft", day=3),
        item(
            201,
            "روسيا وأمريكا",
            OLD + ATTACHMENT_PAGE,
            status="inherit",
            parent=photo_parent,
            post_type="attachment",
        ),
        item(
            202,
            "صورة بلا مقال",
            f"{OLD}/?attachment_id=202",
            status="inherit",
            post_type="attachment",
        ),
    ]
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
  xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
  <title>منبر قديم</title>
  <link>{OLD}</link>
  <wp:base_site_url>{OLD}</wp:base_site_url>
  <wp:base_blog_url>{OLD}</wp:base_blog_url>
  <wp:author><wp:author_login>editor</wp:author_login>
    <wp:author_display_name><![CDATA[سلمى حداد]]></wp:author_display_name></wp:author>
  {"".join(items)}
</channel>
</rss>"""


def run_import(path: Path) -> str:
    out = StringIO()
    with TestCase.captureOnCommitCallbacks(execute=True):
        call_command("import_articles", "wxr", str(path), "--no-progress", stdout=out)
    return out.getvalue()


@pytest.fixture
def wxr_file(tmp_path) -> Path:
    path = tmp_path / "export.xml"
    path.write_text(export(), encoding="utf-8")
    return path


@pytest.fixture
def imported(home, wxr_file):
    out = run_import(wxr_file)
    assert "imported 3, updated 0, skipped 0, failed 0" in out
    return {int(a.external_id.removeprefix("wxr-")): a for a in ArticlePage.objects.all()}


def redirects_to(client, path: str, article) -> None:
    response = client.get(path)
    assert response.status_code == 301, (path, response.status_code)
    assert response["Location"] == article.url
    assert client.get(response["Location"]).status_code == 200


def test_the_parser_gives_old_addresses():
    items = list(parse_wxr(export(), source="export.xml"))
    posts = {r.external_id: r for r in items if isinstance(r, ArticleRecord)}
    assert posts["wxr-101"].old_urls == [OLD + PERMALINK, f"{OLD}/?p=101"]
    assert posts["wxr-103"].old_urls == [f"{OLD}/?p=103"]  # a draft's link is its ?p=
    addresses = [r for r in items if isinstance(r, AddressRecord)]
    assert [(a.parent, a.urls) for a in addresses] == [
        ("wxr-102", [f"{OLD}/2024/05/economy-news/souq/", f"{OLD}/?attachment_id=200"]),
        ("wxr-101", [OLD + ATTACHMENT_PAGE, f"{OLD}/?attachment_id=201"]),
    ]  # the attachment of no post has no article to go to


def test_old_permalinks_answer_301(client, imported):
    hiwar, qamh = imported[101], imported[102]
    redirects_to(client, PERMALINK, hiwar)  # percent-encoded, as links and crawlers send it
    redirects_to(client, PERMALINK.upper(), hiwar)  # upper-case escapes
    redirects_to(client, f"/2024/05/{SLUG}/", hiwar)  # the decoded slug, as typed
    redirects_to(client, PERMALINK.rstrip("/"), hiwar)
    redirects_to(client, "/2024/05/economy-news/", qamh)
    redirects_to(client, "/2024/05/economy-news/?utm_source=facebook", qamh)


def test_wordpress_plain_links_answer_301_not_the_home_page(client, imported):
    hiwar, qamh = imported[101], imported[102]
    redirects_to(client, "/?p=101", hiwar)
    redirects_to(client, "/?p=102&utm_source=x", qamh)
    redirects_to(client, "/?utm_source=x&p=102", qamh)
    assert client.get("/").status_code == 200
    # An address nothing was imported from: not found, not the home page.
    assert client.get("/?p=999").status_code == 404
    assert client.get("/?p=").status_code == 404
    assert client.get("/?page=1").status_code == 200


def test_attachment_pages_answer_301_to_their_post(client, imported):
    hiwar, qamh = imported[101], imported[102]
    redirects_to(client, ATTACHMENT_PAGE, hiwar)
    redirects_to(client, "/?attachment_id=201", hiwar)
    # This attachment came before its post in the file.
    redirects_to(client, "/2024/05/economy-news/souq/", qamh)
    redirects_to(client, "/?attachment_id=200", qamh)
    assert client.get("/?attachment_id=202").status_code == 404


def test_redirect_rows_are_permanent_on_the_default_site(imported):
    site = Site.objects.get(is_default_site=True)
    rows = Redirect.objects.all()
    # 101: permalink + ?p; 102: permalink + ?p; 103: ?p; 200 and 201: page + ?attachment_id
    assert rows.count() == 9
    assert all(r.is_permanent and r.site_id == site.pk and r.redirect_page_id for r in rows)
    assert Redirect.objects.filter(old_path=f"/2024/05/{SLUG}").exists()  # stored decoded
    assert Redirect.objects.filter(old_path="/?p=101", redirect_page=imported[101]).exists()
    assert ImportedRedirect.objects.count() == 9


def test_a_draft_old_address_does_not_redirect(client, imported):
    draft = imported[103]
    assert not draft.live
    assert Redirect.objects.filter(old_path="/?p=103", redirect_page=draft).exists()
    assert client.get("/?p=103").status_code == 404
    # Published later (by an editor, in the admin): the old address works at once.
    with TestCase.captureOnCommitCallbacks(execute=True):
        draft.save_revision().publish()
    redirects_to(client, "/?p=103", ArticlePage.objects.get(pk=draft.pk))


def test_an_unpublished_or_restricted_page_is_not_redirected_to(client, imported):
    hiwar = imported[101]
    with TestCase.captureOnCommitCallbacks(execute=True):
        hiwar.unpublish()
    assert client.get(PERMALINK).status_code == 404
    assert client.get("/?p=101").status_code == 404
    assert client.get(ATTACHMENT_PAGE).status_code == 404
    with TestCase.captureOnCommitCallbacks(execute=True):
        hiwar.get_latest_revision().publish()
    redirects_to(client, PERMALINK, hiwar)
    PageViewRestriction.objects.create(
        page=hiwar, restriction_type=PageViewRestriction.PASSWORD, password="x"
    )
    assert client.get(PERMALINK).status_code == 404
    assert client.get("/?p=101").status_code == 404


def test_reimport_makes_no_second_redirect(client, imported, wxr_file):
    count = Redirect.objects.count()
    out = run_import(wxr_file)
    assert "imported 0, updated 0, skipped 3, failed 0" in out
    assert "redirects: created 0, updated 0, unchanged 9" in out
    assert Redirect.objects.count() == count
    redirects_to(client, "/?p=101", imported[101])


def test_reimport_follows_a_changed_target_but_not_an_editors_change(client, imported, tmp_path):
    hiwar, qamh, draft = imported[101], imported[102], imported[103]
    # An editor points the old permalink of 102 at another article.
    edited = Redirect.objects.get(old_path="/2024/05/economy-news")
    edited.redirect_page = draft
    edited.save()
    # The next export says the photo 201 belongs to post 102 now.
    path = tmp_path / "export-2.xml"
    path.write_text(export(photo_parent=102), encoding="utf-8")
    out = run_import(path)
    assert "redirects: created 0, updated 2, unchanged 6, kept (editors') 1" in out
    redirects_to(client, ATTACHMENT_PAGE, qamh)
    redirects_to(client, "/?attachment_id=201", qamh)
    assert Redirect.objects.get(pk=edited.pk).redirect_page_id == draft.pk
    assert Redirect.objects.count() == 9
    redirects_to(client, PERMALINK, hiwar)


def test_imports_before_redirects_existed_get_them_on_a_rerun(client, imported, wxr_file):
    Redirect.objects.all().delete()
    out = run_import(wxr_file)
    assert "skipped 3" in out and "redirects: created 9" in out
    redirects_to(client, PERMALINK, imported[101])


def test_the_redirects_admin_lists_them(admin_client, imported):
    response = admin_client.get("/admin/redirects/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/2024/05/economy-news" in html
    assert "/?p=101" in html
    assert f"/2024/05/{SLUG}" in html


def test_through_the_page_cache(reader, outlet, imported):
    assert reader.get("/").status_code == 200
    assert reader.get("/")["X-Sahafa-Cache"] == "hit"
    answer = reader.get("/?p=101")
    assert answer.status_code == 301 and answer["Location"] == imported[101].url
    assert reader.get("/?p=101").status_code == 301  # a redirect is not stored as a page
    assert reader.get("/?p=999").status_code == 404
    assert reader.get(PERMALINK).status_code == 301


def test_jsonl_records_may_name_their_old_addresses(client, home, tmp_path):
    import json

    row = {
        "id": "old-7",
        "title": "خبر من الأرشيف القديم",
        "body": "فقرة أولى.\nفقرة ثانية.",
        "old_urls": ["https://old.example.com/news/7.html", "/article.php?id=7"],
    }
    path = tmp_path / "a.jsonl"
    path.write_text(json.dumps(row, ensure_ascii=False), encoding="utf-8")
    with TestCase.captureOnCommitCallbacks(execute=True):
        call_command("import_articles", "jsonl", str(path), "--no-progress", stdout=StringIO())
    article = ArticlePage.objects.get(external_id="old-7")
    redirects_to(client, "/news/7.html", article)
    redirects_to(client, "/article.php?id=7", article)
