"""An embargo holds back the approval that would publish, as it holds back the publish
button: the approver is told why, nothing is approved, and the same task can be
approved once the embargo lifts."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from .conftest import article_data, client_for
from .test_workflow import act, edit, fresh

# The clock moves past the embargo: an in-process cache follows it, Redis does not.
pytestmark = pytest.mark.usefixtures("local_cache")

REFUSED = "لا يمكن النشر: الخبر محظور حتى"


@pytest.fixture
def embargo():
    return (timezone.now() + dt.timedelta(hours=2)).replace(second=0, microsecond=0)


@pytest.fixture
def submitted(newsroom, draft, embargo):
    """An embargoed article the reporter has submitted for review."""
    page = draft(newsroom["reporter"], "بيان الحكومة المرتقب", embargo_until=embargo)
    local = timezone.localtime(embargo).strftime("%Y-%m-%d %H:%M")
    edit(
        client_for(newsroom["reporter"]),
        page,
        "بيان الحكومة المرتقب",
        embargo_until=local,
        **{"action-submit": "1"},
    )
    page = fresh(page)
    assert page.workflow_in_progress and page.embargo_until == embargo
    return page


def test_last_approval_is_refused_under_embargo_and_works_after_it(newsroom, submitted, embargo):
    editor = client_for(newsroom["section_editor"])
    state_before = fresh(submitted).current_workflow_task_state

    response = act(editor, submitted, "approve")
    assert response.status_code == 302
    shown = editor.get(response["Location"]).content.decode()
    assert REFUSED in shown
    assert timezone.localtime(embargo).strftime("%H:%M") in shown

    page = fresh(submitted)
    assert not page.live and page.first_published_at is None
    # Nothing half-done: the same task of the same workflow is still waiting.
    state = page.current_workflow_task_state
    assert state.pk == state_before.pk and state.status == "in_progress"
    assert page.current_workflow_state.status == "in_progress"
    assert not page.workflow_states.get().task_states.filter(status="approved").exists()
    assert "بيان الحكومة المرتقب" in editor.get(reverse("wagtailadmin_home")).content.decode()

    with time_machine.travel(embargo + dt.timedelta(minutes=1)):
        # The embargo time passing publishes nothing: only the approval does.
        from sahafa.news.scheduling import run_due_work

        run_due_work()
        assert not fresh(page).live
        assert editor.get(f"/a/{page.pk}/").status_code == 404
        act(editor, page, "approve")
        page = fresh(page)
        assert page.live
        assert not page.workflow_in_progress


def test_approving_from_the_editor_is_refused_too(newsroom, submitted, embargo):
    editor = client_for(newsroom["section_editor"])
    local = timezone.localtime(embargo).strftime("%Y-%m-%d %H:%M")
    response = editor.post(
        reverse("wagtailadmin_pages:edit", args=[submitted.pk]),
        article_data(
            "بيان الحكومة المرتقب (مراجع)",
            slug=submitted.slug,
            embargo_until=local,
            **{"action-workflow-action": "1", "workflow-action-name": "approve"},
        ),
        follow=True,
    )
    assert REFUSED in response.content.decode()
    page = fresh(submitted)
    assert not page.live
    assert page.current_workflow_task.name == "موافقة رئيس القسم"
    # The editor's changes are kept as a draft, as with a refused publish.
    assert page.get_latest_revision_as_object().title == "بيان الحكومة المرتقب (مراجع)"


def test_approval_scheduled_at_the_embargo_is_accepted(newsroom, draft, embargo):
    """Go-live at the embargo: the approval schedules the article instead of publishing."""
    page = draft(newsroom["reporter"], "بيان مجدول")
    local = timezone.localtime(embargo).strftime("%Y-%m-%d %H:%M")
    edit(
        client_for(newsroom["reporter"]),
        page,
        "بيان مجدول",
        embargo_until=local,
        go_live_at=local,
        **{"action-submit": "1"},
    )
    editor = client_for(newsroom["section_editor"])
    response = act(editor, page, "approve")
    assert REFUSED not in editor.get(response["Location"]).content.decode()
    page = fresh(page)
    assert not page.workflow_in_progress and not page.live
    assert page.revisions.filter(approved_go_live_at=embargo).exists()


def test_only_the_approval_that_publishes_is_held(newsroom, draft, embargo):
    """Breaking news: the section step passes on to the chief; the chief's is refused."""
    page = draft(newsroom["reporter"], "عاجل: بيان محظور")
    local = timezone.localtime(embargo).strftime("%Y-%m-%d %H:%M")
    edit(
        client_for(newsroom["reporter"]),
        page,
        "عاجل: بيان محظور",
        is_breaking="on",
        embargo_until=local,
        **{"action-submit": "1"},
    )
    editor = client_for(newsroom["section_editor"])
    response = act(editor, page, "approve")
    assert REFUSED not in editor.get(response["Location"]).content.decode()
    assert fresh(page).current_workflow_task.name == "موافقة رئيس التحرير"

    chief = client_for(newsroom["editor_in_chief"])
    response = act(chief, page, "approve")
    assert REFUSED in chief.get(response["Location"]).content.decode()
    page = fresh(page)
    assert not page.live
    assert page.current_workflow_task.name == "موافقة رئيس التحرير"
