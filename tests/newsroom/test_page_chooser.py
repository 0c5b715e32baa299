"""Wagtail's page chooser (browse, search, and the «chosen» step behind page-link
fields and rich-text links) shows a newsroom account only the pages it could edit
and the pages readers can see: never another section's drafts or embargoed
(scheduled) articles. The editor-in-chief and administrators see everything."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from .conftest import client_for

SECRET_DRAFT = "مسودة اقتصادية سرية"
SCHEDULED = "خبر اقتصادي مجدول"
LIVE = "خبر اقتصادي منشور"
PRIVATE = "خبر اقتصادي خاص"
OWN_DRAFT = "مسودة سياسية للمراسل"
COLLEAGUE_DRAFT = "مسودة سياسية للزميل"


@pytest.fixture
def chooser_pages(newsroom, politics, economy):
    """Economy: a draft, a scheduled article, a live one and a live one behind a
    password; politics: the reporter's own draft and a colleague's."""
    from wagtail.models import PageViewRestriction

    from sahafa.news.structure import create_article

    economist = newsroom["reporter_other_section"]
    later = timezone.now() + timedelta(days=2)
    pages = {
        "draft": create_article(economy, title=SECRET_DRAFT, publish=False, user=economist),
        "scheduled": create_article(economy, title=SCHEDULED, go_live_at=later, user=economist),
        "live": create_article(economy, title=LIVE, user=economist),
        "private": create_article(economy, title=PRIVATE, user=economist),
        "own": create_article(politics, title=OWN_DRAFT, publish=False, user=newsroom["reporter"]),
        "colleague": create_article(
            politics, title=COLLEAGUE_DRAFT, publish=False, user=newsroom["writer"]
        ),
    }
    assert not pages["scheduled"].live and pages["scheduled"].scheduled_revision is not None
    PageViewRestriction.objects.create(
        page=pages["private"], restriction_type="password", password="sirr"
    )
    return pages


def browse(user, parent) -> str:
    response = client_for(user).get(reverse("wagtailadmin_choose_page_child", args=[parent.pk]))
    assert response.status_code == 200
    return response.json()["html"]


def search(user, query: str) -> str:
    response = client_for(user).get(reverse("wagtailadmin_choose_page_search"), {"q": query})
    assert response.status_code == 200
    return response.text


def chosen(user, *pages) -> list[str]:
    response = client_for(user).get(
        reverse("wagtailadmin_choose_page_chosen_multiple"), {"id": [p.pk for p in pages]}
    )
    assert response.status_code == 200
    return [item["adminTitle"] for item in response.json()["result"]]


def test_reporter_browsing_another_section_sees_only_live_public_articles(
    newsroom, economy, chooser_pages
):
    html = browse(newsroom["reporter"], economy)
    assert LIVE in html
    assert SECRET_DRAFT not in html
    assert SCHEDULED not in html
    assert PRIVATE not in html
    # The way down to it stays open: the sections under the home page.
    assert economy.title in browse(newsroom["reporter"], economy.get_parent())


def test_reporter_searching_sees_only_live_public_articles_of_another_section(
    newsroom, chooser_pages
):
    html = search(newsroom["reporter"], "اقتصادي")
    assert LIVE in html
    assert SECRET_DRAFT not in html
    assert SCHEDULED not in html
    assert PRIVATE not in html
    # The draft's own words find nothing either (its title is not leaked by a match).
    assert SECRET_DRAFT not in search(newsroom["reporter"], "سرية")


def test_reporter_sees_own_drafts_but_not_a_colleagues(newsroom, politics, chooser_pages):
    html = browse(newsroom["reporter"], politics)
    assert OWN_DRAFT in html
    assert COLLEAGUE_DRAFT not in html
    html = search(newsroom["reporter"], "سياسية")
    assert OWN_DRAFT in html
    assert COLLEAGUE_DRAFT not in html


def test_section_editor_sees_own_sections_drafts_not_other_sections(
    newsroom, politics, economy, chooser_pages
):
    editor = newsroom["section_editor"]
    assert COLLEAGUE_DRAFT in browse(editor, politics)
    html = browse(editor, economy)
    assert LIVE in html
    assert SECRET_DRAFT not in html and SCHEDULED not in html


@pytest.mark.parametrize("actor", ["editor_in_chief", "administrator"])
def test_chief_and_administrators_see_everything(actor, newsroom, economy, chooser_pages):
    html = browse(newsroom[actor], economy)
    for title in (LIVE, SECRET_DRAFT, SCHEDULED, PRIVATE):
        assert title in html
    assert SECRET_DRAFT in search(newsroom[actor], "سرية")


def test_chosen_step_does_not_reveal_a_hidden_page_by_its_id(newsroom, chooser_pages):
    """The «chosen» step returns a page's title and URL for any id it is given."""
    titles = chosen(
        newsroom["reporter"],
        chooser_pages["draft"],
        chooser_pages["scheduled"],
        chooser_pages["live"],
    )
    assert titles == [LIVE]
    assert len(chosen(newsroom["editor_in_chief"], *chooser_pages.values())) == 6


def test_browsing_into_a_hidden_page_by_its_id_is_refused(newsroom, chooser_pages):
    """Browsing into a page shows its title as the parent row, whatever the hook says."""
    url = reverse("wagtailadmin_choose_page_child", args=[chooser_pages["draft"].pk])
    response = client_for(newsroom["reporter"]).get(url)
    assert response.status_code == 404
    assert SECRET_DRAFT not in response.text
    assert (
        client_for(newsroom["reporter"])
        .get(reverse("wagtailadmin_choose_page_child", args=[chooser_pages["own"].pk]))
        .status_code
        == 200
    )
    assert SECRET_DRAFT in browse(newsroom["editor_in_chief"], chooser_pages["draft"])
