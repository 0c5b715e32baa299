"""Permanently deleting what was published — the page and all its revisions — is for
the editor-in-chief and administrators. Section editors unpublish or move; drafts
that were never published are deleted as before. (The role × action cells are in
test_permissions.py; these follow the refusal through the admin's paths.)"""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from wagtail.models import Page, Revision

from .conftest import client_for


def delete_url(page) -> str:
    return reverse("wagtailadmin_pages:delete", args=[page.pk])


def listing(client, parent) -> str:
    response = client.get(reverse("wagtailadmin_explore", args=[parent.pk]))
    assert response.status_code == 200
    return response.text


@pytest.fixture
def story(newsroom, draft):
    """A colleague's live article in the section editor's section, with two revisions."""
    page = draft(newsroom["writer"], "خبر منشور في السياسة", publish=True)
    page.save_revision(user=newsroom["writer"])
    return page


def test_section_editor_cannot_delete_a_live_article_and_is_told_why(newsroom, story):
    client = client_for(newsroom["section_editor"])
    revisions = Revision.page_revisions.filter(object_id=str(story.pk)).count()

    confirm = client.get(delete_url(story))
    response = client.post(delete_url(story))

    assert confirm.status_code == response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_pages:edit", args=[story.pk])
    assert Page.objects.filter(pk=story.pk, live=True).exists()
    assert Revision.page_revisions.filter(object_id=str(story.pk)).count() == revisions
    text = " ".join(str(m) for m in get_messages(response.wsgi_request))
    assert "لا يمكنك حذف «خبر منشور في السياسة» نهائياً" in text
    assert "إلغاء نشرها أو نقلها" in text


def test_section_editor_can_still_unpublish_it(newsroom, story):
    client = client_for(newsroom["section_editor"])
    client.post(reverse("wagtailadmin_pages:unpublish", args=[story.pk]))
    story.refresh_from_db()
    assert not story.live
    # ...and once unpublished it still may not be erased.
    client.post(delete_url(story))
    assert Page.objects.filter(pk=story.pk).exists()


@pytest.mark.parametrize("actor", ["editor_in_chief", "administrator"])
def test_chief_and_administrators_delete_published_articles(actor, newsroom, story):
    response = client_for(newsroom[actor]).post(delete_url(story))
    assert response.status_code == 302
    assert not Page.objects.filter(pk=story.pk).exists()


def test_reporter_still_deletes_own_never_published_draft(newsroom, draft):
    page = draft(newsroom["reporter"], "مسودتي التي لم تنشر")
    client_for(newsroom["reporter"]).post(delete_url(page))
    assert not Page.objects.filter(pk=page.pk).exists()


def test_section_editor_still_deletes_a_never_published_draft_of_the_section(newsroom, draft):
    page = draft(newsroom["writer"], "مسودة زميل لم تنشر")
    client_for(newsroom["section_editor"]).post(delete_url(page))
    assert not Page.objects.filter(pk=page.pk).exists()


def test_delete_is_not_offered_in_the_listing_for_a_published_article(
    newsroom, politics, story, draft
):
    unpublished = draft(newsroom["writer"], "مسودة في القائمة")
    html = listing(client_for(newsroom["section_editor"]), politics)
    assert delete_url(story) not in html
    assert delete_url(unpublished) in html  # a draft's delete stays in its menu
    assert delete_url(story) in listing(client_for(newsroom["editor_in_chief"]), politics)


def test_bulk_delete_refuses_published_articles(newsroom, politics, story, draft):
    unpublished = draft(newsroom["writer"], "مسودة مع الخبر")
    url = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "delete"])
    query = f"?id={story.pk}&id={unpublished.pk}&childOf={politics.pk}"
    response = client_for(newsroom["section_editor"]).post(url + query)
    assert response.status_code == 302
    assert Page.objects.filter(pk=story.pk).exists()
    assert Page.objects.filter(pk=unpublished.pk).exists()  # refused whole
    text = " ".join(str(m) for m in get_messages(response.wsgi_request))
    assert "لا يمكنك حذف «خبر منشور في السياسة» نهائياً" in text
