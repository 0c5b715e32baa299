"""Workflow e-mail for the newsroom's own review steps.

Wagtail mails the submitter when their page is approved or returned with a comment,
but its "submitted for review" mail goes to the groups of a GroupApprovalTask only.
Our steps pick their reviewers by the page, so this notifier, on Wagtail's
``task_submitted`` signal, mails the section editors of *that* section (or the
editors-in-chief for the chief's step) with Wagtail's own templates and translations.
Accounts without an e-mail address, inactive ones, those who turned the
notification off in their profile, and the person who acted are left out.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from wagtail.admin.mail import GroupApprovalTaskStateSubmissionEmailNotifier, Notifier

from .models import ChiefApprovalTask, SectionApprovalTask
from .roles import EDITOR_IN_CHIEF, SECTION_EDITOR
from .workflow import section_of


def reviewers(task, page):
    """The users whose review ``task`` waits for on ``page``."""
    users = get_user_model().objects.all()
    if isinstance(task, SectionApprovalTask):
        section = section_of(page)
        if section is None:
            return users.none()
        return users.filter(
            groups__newsroom_role__role=SECTION_EDITOR, groups__newsroom_role__section=section
        )
    return users.filter(
        groups__newsroom_role__role=EDITOR_IN_CHIEF, groups__newsroom_role__section__isnull=True
    )


class ReviewTaskSubmissionEmailNotifier(GroupApprovalTaskStateSubmissionEmailNotifier):
    """«submitted for review» to the reviewers of a section or chief step."""

    def can_handle(self, instance, **kwargs):
        return Notifier.can_handle(self, instance, **kwargs) and isinstance(
            instance.task.specific, SectionApprovalTask | ChiefApprovalTask
        )

    def get_recipient_users(self, task_state, **kwargs):
        page = task_state.workflow_state.content_object.specific
        recipients = reviewers(task_state.task.specific, page).distinct()
        if (user := kwargs.get("user")) is not None:
            recipients = recipients.exclude(pk=user.pk)
        return recipients


review_submission_email_notifier = ReviewTaskSubmissionEmailNotifier()
