"""Admin previews render what the editor typed, before it is saved: they go through the
same sanitiser as saving, and are never cached nor indexed."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import rich_text, streamfield

from .conftest import article_data, client_for
from .xss_corpus import executable_markup

HOSTILE_PARAGRAPH = (
    '<p>نص الخبر <a href="javascript:alert(1)">رابط</a>'
    '<a href="https://example.com/" onclick="alert(2)">مصدر</a></p>'
)
HOSTILE_TEXT = '<img src=x onerror="alert(3)">تعليق <script>alert(4)</script>'


def hostile_link_paragraph():
    """A Draftail paragraph whose link entity carries a ``javascript:`` URL, as a hostile
    client posts it (the editor's own link dialog would refuse it)."""
    return json.dumps(
        {
            "blocks": [
                {
                    "key": "a1",
                    "type": "unstyled",
                    "depth": 0,
                    "text": "انقر هنا للتفاصيل",
                    "inlineStyleRanges": [],
                    "entityRanges": [{"offset": 0, "length": 8, "key": 0}],
                    "data": {},
                }
            ],
            "entityMap": {
                "0": {
                    "type": "LINK",
                    "mutability": "MUTABLE",
                    "data": {"url": "javascript:alert(5)"},
                }
            },
        }
    )


def hostile_data(page):
    return article_data(
        "معاينة الخبر",
        slug=page.slug,
        kicker=HOSTILE_TEXT,
        standfirst=HOSTILE_TEXT,
        lead_caption=HOSTILE_TEXT,
        body=streamfield(
            [
                ("paragraph", rich_text(HOSTILE_PARAGRAPH)),
                ("paragraph", hostile_link_paragraph()),
                ("quote", {"text": HOSTILE_TEXT, "attribution": HOSTILE_TEXT, "style": ""}),
            ]
        ),
    )


def assert_clean(html: str) -> None:
    """No executable markup, and not even its text: the sanitiser removes it on save,
    so a preview showing it (escaped) would not be what readers get."""
    assert executable_markup(html) == []
    for trace in ("javascript:", "onerror", "onclick", "alert(", "&lt;script"):
        assert trace not in html, trace


@pytest.fixture
def preview(newsroom, draft):
    """(client, preview URL) after the reporter's editor posted hostile form data."""
    page = draft(newsroom["reporter"], "معاينة الخبر")
    client = client_for(newsroom["reporter"])
    url = reverse("wagtailadmin_pages:preview_on_edit", args=[page.pk])
    answer = client.post(url, hostile_data(page)).json()
    assert answer["is_valid"], answer
    return client, url, page


def test_preview_of_hostile_form_data_is_sanitised(preview):
    client, url, _page = preview
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "معاينة الخبر" in html and "نص الخبر" in html and "انقر هنا" in html
    assert "تعليق" in html  # the caption's text stays, its markup goes
    assert_clean(html)


def test_new_draft_of_a_live_article_previews_clean(newsroom, draft):
    """Editing a live article saves only a revision, serialised without ``pre_save``:
    «view draft» (what reviewers open) must not show what the sanitiser removes."""
    page = draft(newsroom["section_editor"], "معاينة الخبر", publish=True)
    client = client_for(newsroom["section_editor"])
    client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), hostile_data(page))
    response = client.get(reverse("wagtailadmin_pages:view_draft", args=[page.pk]))
    html = response.content.decode()
    assert "نص الخبر" in html
    assert_clean(html)


def test_previews_are_neither_cached_nor_indexed(preview):
    client, url, _page = preview
    response = client.get(url)
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
