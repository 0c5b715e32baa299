"""Every save is kept, revisions can be compared and rolled back, and two people
editing the same article are told about each other."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from .conftest import article_data, client_for


def save(client, page, title):
    return client.post(
        reverse("wagtailadmin_pages:edit", args=[page.pk]), article_data(title, slug=page.slug)
    )


def test_every_save_is_a_revision_that_can_be_compared_and_rolled_back(newsroom, draft):
    editor = client_for(newsroom["section_editor"])
    page = draft(newsroom["reporter"], "العنوان الأول")
    save(editor, page, "العنوان الثاني")
    save(editor, page, "العنوان الثالث")
    revisions = list(page.revisions.order_by("created_at", "pk"))
    assert [r.as_object().title for r in revisions] == [
        "العنوان الأول",
        "العنوان الثاني",
        "العنوان الثالث",
    ]
    first, last = revisions[0], revisions[-1]

    compare = editor.get(
        reverse("wagtailadmin_pages:revisions_compare", args=[page.pk, first.pk, last.pk])
    )
    assert compare.status_code == 200
    # The title diff marks the words that changed.
    assert "الأول" in compare.text and "الثالث" in compare.text

    # Rolling back: the editor opens the old revision and saves it as the newest.
    revert = editor.get(reverse("wagtailadmin_pages:revisions_revert", args=[page.pk, first.pk]))
    assert revert.status_code == 200
    assert "العنوان الأول" in revert.text
    save(editor, page, "العنوان الأول")
    assert (
        type(page).objects.get(pk=page.pk).get_latest_revision_as_object().title == "العنوان الأول"
    )
    assert page.revisions.count() == 4


def test_reporter_cannot_roll_back_a_colleagues_article(newsroom, draft):
    page = draft(newsroom["writer"], "خبر الزميل")
    response = client_for(newsroom["reporter"]).get(
        reverse("wagtailadmin_pages:revisions_revert", args=[page.pk, page.latest_revision_id])
    )
    assert response.status_code in (302, 403)
    assert "خبر الزميل" not in response.text


def test_concurrent_editing_notices_are_on(newsroom, draft):
    assert getattr(settings, "WAGTAIL_EDITING_SESSION_PING_INTERVAL", 10000) > 0
    page = draft(newsroom["reporter"], "خبر يحرره اثنان")
    response = client_for(newsroom["section_editor"]).get(
        reverse("wagtailadmin_pages:edit", args=[page.pk])
    )
    assert "w-session" in response.text
    assert f"/admin/editing-sessions/ping/wagtailcore/page/{page.pk}/" in response.text


def test_second_editor_is_told_who_else_is_editing(newsroom, draft):
    page = draft(newsroom["reporter"], "خبر يحرره اثنان")
    ping = reverse("wagtailadmin_editing_sessions:ping", args=["wagtailcore", "page", page.pk, 0])
    first = client_for(newsroom["reporter"]).post(ping, {"is_editing": "1"})
    assert first.status_code == 200
    assert first.json()["other_sessions"] == []

    second = client_for(newsroom["section_editor"]).post(ping, {"is_editing": "1"})
    others = second.json()["other_sessions"]
    assert [o["user"] for o in others] == ["reporter"]
    assert others[0]["is_editing"] is True


def test_someone_without_edit_rights_gets_no_editing_session(newsroom, draft):
    page = draft(newsroom["writer"], "خبر الزميل")
    ping = reverse("wagtailadmin_editing_sessions:ping", args=["wagtailcore", "page", page.pk, 0])
    response = client_for(newsroom["reporter"]).post(ping, {"is_editing": "1"})
    assert response.status_code in (302, 404)
