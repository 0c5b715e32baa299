"""Which section a page belongs to, which pages need the editor-in-chief, and when an
embargo holds back publishing (by the publish button or by the last approval)."""

from __future__ import annotations

from sahafa.news.models import ArticlePage, HomePage, HomePageFeature, SectionPage


def section_of(page) -> SectionPage | None:
    """The section whose editors answer for ``page``: the section itself for a
    section front, the nearest section above anything else, None for the home page."""
    if page is None:
        return None
    page = getattr(page, "specific", page)
    if isinstance(page, SectionPage):
        return page
    if isinstance(page, HomePage):
        return None
    return SectionPage.objects.ancestor_of(page).order_by("-depth").first()


def needs_chief_approval(page) -> bool:
    """The home page, breaking news and articles featured on the home page go to the
    editor-in-chief. Breaking is read from the revision under review, not the live row."""
    page = getattr(page, "specific", page)
    if isinstance(page, HomePage):
        return True
    if isinstance(page, ArticlePage):
        draft = page.get_latest_revision_as_object()
        if draft.is_breaking:
            return True
        return HomePageFeature.objects.filter(article_id=page.pk).exists()
    return False


def embargo_blocking_publication(page):
    """The embargo end that forbids publishing ``page`` now, or None: the model's one
    rule (``ArticlePage.embargo_holds``), asked by the publish button and the last
    approval alike; other pages have no embargo."""
    holds = getattr(page, "embargo_holds", None)
    return holds() if holds else None


def approval_publishes(task_state) -> bool:
    """Would approving ``task_state`` end its workflow (and so publish the page)?

    True when no later active task of the workflow is still to do and applies to
    the page (our tasks skip pages they do not apply to; any other task applies).
    """
    workflow_state = task_state.workflow_state
    page = workflow_state.content_object.specific
    done = set(workflow_state.successful_task_states.values_list("task_id", flat=True))
    tasks = list(workflow_state.workflow.tasks)
    position = next((i for i, t in enumerate(tasks) if t.pk == task_state.task_id), None)
    if position is None:
        return False
    for task in tasks[position + 1 :]:
        if task.pk in done:
            continue
        applies_to = getattr(task.specific, "applies_to", None)
        if applies_to is None or applies_to(page):
            return False
    return True


def embargo_holding_approval(task_state):
    """The embargo end that forbids approving ``task_state`` now, or None.

    Read from the revision the approval would publish, not the live row.
    """
    if not approval_publishes(task_state):
        return None
    page = task_state.workflow_state.content_object.specific
    return embargo_blocking_publication(page.get_latest_revision_as_object())


# The approver is sent back to the editor with this flag, which turns the editor's
# embargo warning into the refusal (the workflow action view passes no request on).
EMBARGO_HELD_PARAM = "embargo_held"


def refuse_approval_under_embargo(task_state) -> str | None:
    """Called before an approval: the editor URL to send the approver to when the
    embargo holds (nothing is approved, the task stays in progress), else None."""
    if embargo_holding_approval(task_state) is None:
        return None
    from django.urls import reverse

    page_id = task_state.workflow_state.object_id
    return f"{reverse('wagtailadmin_pages:edit', args=[page_id])}?{EMBARGO_HELD_PARAM}=1"
