"""«مسار الموافقة»: reporter submits → section editor returns with a comment or approves →
the editor-in-chief approves breaking news and the home page. All through the admin."""

from __future__ import annotations

import pytest
from django.urls import reverse

from .conftest import article_data, client_for, page_data


def edit(client, page, title, **fields):
    return client.post(
        reverse("wagtailadmin_pages:edit", args=[page.pk]),
        article_data(title, slug=page.slug, **fields),
    )


def act(client, page, action, comment=""):
    page.refresh_from_db()
    state = page.current_workflow_task_state
    url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, action, state.pk])
    return client.post(url, {"comment": comment})


def refused(response) -> bool:
    """Wagtail answers PermissionDenied in the admin with a redirect to the dashboard."""
    return response.status_code == 403 or (
        response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
    )


def fresh(page):
    return type(page).objects.get(pk=page.pk)


@pytest.fixture
def reporter_draft(newsroom, draft):
    return draft(newsroom["reporter"], "مفاوضات في إسطنبول")


def test_the_default_workflow_covers_articles_with_two_steps(reporter_draft):
    workflow = reporter_draft.get_workflow()
    assert workflow.name == "مسار الموافقة"
    assert [t.name for t in workflow.tasks] == ["موافقة رئيس القسم", "موافقة رئيس التحرير"]


def test_submit_return_with_comment_resubmit_approve_publishes(newsroom, reporter_draft):
    reporter, editor = client_for(newsroom["reporter"]), client_for(newsroom["section_editor"])
    page = reporter_draft

    edit(reporter, page, "مفاوضات في إسطنبول", **{"action-submit": "1"})
    page = fresh(page)
    assert page.workflow_in_progress
    assert page.current_workflow_task.name == "موافقة رئيس القسم"
    # The section editor is told in the admin: the dashboard lists it for review.
    assert "مفاوضات في إسطنبول" in editor.get(reverse("wagtailadmin_home")).text
    # While under review the reporter cannot keep rewriting it.
    assert page.current_workflow_task.locked_for_user(page, newsroom["reporter"])

    act(editor, page, "reject", comment="أضف مصدراً للتصريح")
    page = fresh(page)
    state = page.workflow_states.order_by("-pk").first()
    assert state.status == "needs_changes"
    assert state.current_task_state.comment == "أضف مصدراً للتصريح"
    assert not page.live

    edit(reporter, page, "مفاوضات في إسطنبول (محدث)", **{"action-submit": "1"})
    page = fresh(page)
    assert page.workflow_in_progress
    assert not page.live

    act(editor, page, "approve")
    page = fresh(page)
    assert page.live, "approved by the section editor and not breaking: published"
    assert page.title == "مفاوضات في إسطنبول (محدث)"
    assert not page.workflow_in_progress
    chief_state = page.workflow_states.order_by("-pk").first().task_states.order_by("pk").last()
    assert chief_state.task.name == "موافقة رئيس التحرير"
    assert chief_state.status == "skipped"


def test_editor_of_another_section_cannot_review(newsroom, reporter_draft):
    page = reporter_draft
    page.get_workflow().start(page, newsroom["reporter"])
    other = client_for(newsroom["section_editor_other_section"])
    assert refused(act(other, page, "approve"))
    assert fresh(page).current_workflow_task.name == "موافقة رئيس القسم"
    assert "مفاوضات في إسطنبول" not in other.get(reverse("wagtailadmin_home")).text


def test_breaking_news_waits_for_the_editor_in_chief(newsroom, reporter_draft):
    reporter = client_for(newsroom["reporter"])
    editor = client_for(newsroom["section_editor"])
    chief = client_for(newsroom["editor_in_chief"])
    page = reporter_draft

    edit(reporter, page, "عاجل: اتفاق في إسطنبول", is_breaking="on", **{"action-submit": "1"})
    act(editor, page, "approve")
    page = fresh(page)
    assert not page.live
    assert page.current_workflow_task.name == "موافقة رئيس التحرير"

    # The section editor's approval does not reach readers, nor can they take the chief's step.
    assert refused(act(editor, page, "approve"))
    assert "عاجل: اتفاق في إسطنبول" in chief.get(reverse("wagtailadmin_home")).text

    act(chief, page, "approve")
    page = fresh(page)
    assert page.live
    assert page.is_breaking


def test_section_editor_cannot_publish_breaking_news_directly(newsroom, draft):
    page = draft(newsroom["section_editor"], "خبر عاجل من القسم")
    response = edit(
        client_for(newsroom["section_editor"]),
        page,
        "خبر عاجل من القسم",
        is_breaking="on",
        **{"action-publish": "1"},
    )
    assert response.status_code == 200
    assert "يحتاج موافقة رئيس التحرير" in response.text
    assert not fresh(page).live


@pytest.mark.parametrize(("breaking", "published"), [(False, True), (True, False)])
def test_section_editor_bulk_publishes_only_routine_news(
    breaking, published, newsroom, draft, politics
):
    page = draft(newsroom["section_editor"], "خبر بالجملة", is_breaking=breaking)
    url = reverse("wagtail_bulk_action", args=("wagtailcore", "page", "publish"))
    response = client_for(newsroom["section_editor"]).post(
        f"{url}?id={page.pk}&childOf={politics.pk}", {"include_descendants": ""}
    )
    assert fresh(page).live is published
    if not published:
        assert refused(response)


def test_home_page_changes_go_to_the_editor_in_chief(newsroom, home):
    from sahafa.newsroom.workflow import needs_chief_approval, section_of

    assert needs_chief_approval(home)
    assert section_of(home) is None
    chief = client_for(newsroom["editor_in_chief"])
    chief.post(
        reverse("wagtailadmin_pages:edit", args=[home.pk]),
        page_data(home, title="الواجهة", **{"action-submit": "1"}),
    )
    home = fresh(home)
    assert home.workflow_in_progress
    # No section: the section step is skipped, the chief's step is waiting.
    assert home.current_workflow_task.name == "موافقة رئيس التحرير"


def test_article_featured_on_the_home_page_needs_the_chief(newsroom, reporter_draft, home):
    from sahafa.news.models import HomePageFeature
    from sahafa.newsroom.workflow import needs_chief_approval

    assert not needs_chief_approval(reporter_draft)
    HomePageFeature.objects.create(page=home, article=reporter_draft, sort_order=0)
    assert needs_chief_approval(reporter_draft)
