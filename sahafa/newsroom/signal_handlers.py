"""Connected in NewsroomConfig.ready(): section groups follow sections; publishing,
logins and role changes go to the audit log; review steps are mailed to reviewers."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import m2m_changed, post_save
from wagtail.models import TaskState
from wagtail.signals import page_published, page_unpublished, task_submitted

from sahafa.news.models import SectionPage
from sahafa.news.signals import name_changed

from . import audit
from .mail import review_submission_email_notifier
from .roles import ensure_section_groups, rename_section_groups


def on_section_saved(sender, instance, created, raw=False, **kwargs):
    if not raw:
        ensure_section_groups(instance)


def on_section_renamed(sender, instance, old_name, **kwargs):
    """A section published under a new title: its groups follow (``news`` tells only
    of published titles; a draft save does not change the section's row)."""
    rename_section_groups(instance, old_name)


def on_published(sender, instance, revision=None, **kwargs):
    audit.page_published(instance, revision)


def on_unpublished(sender, instance, **kwargs):
    audit.page_unpublished(instance)


def on_login(sender, request, user, **kwargs):
    audit.login(user, request)


def on_logout(sender, request, user, **kwargs):
    audit.logout(user, request)


def on_login_failed(sender, credentials, request=None, **kwargs):
    User = get_user_model()
    audit.login_failed(str(credentials.get(User.USERNAME_FIELD, "")), request)


def on_groups_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """User.groups changed from either side (user.groups.add / group.user_set.add)."""
    User = get_user_model()
    if action == "pre_clear":
        # The set is gone by post_clear: remember it now.
        if reverse:
            instance._newsroom_cleared = list(instance.user_set.values_list("pk", flat=True))
        else:
            instance._newsroom_cleared = list(instance.groups.values_list("pk", flat=True))
        return
    if action == "post_clear":
        pk_set, added = set(getattr(instance, "_newsroom_cleared", [])), False
    elif action in ("post_add", "post_remove"):
        added = action == "post_add"
    else:
        return
    if not pk_set:
        return
    if reverse:  # instance is a Group, pk_set holds users
        for user in User.objects.filter(pk__in=pk_set):
            audit.groups_changed(user, [instance.pk], added)
    else:
        audit.groups_changed(instance, pk_set, added)
    # Roles are cached on the user object for the request; forget them.
    if hasattr(instance, "_newsroom_role_links"):
        del instance._newsroom_role_links


def connect() -> None:
    User = get_user_model()
    post_save.connect(on_section_saved, sender=SectionPage, dispatch_uid="sahafa.newsroom.section")
    name_changed.connect(
        on_section_renamed, sender=SectionPage, dispatch_uid="sahafa.newsroom.section.renamed"
    )
    page_published.connect(on_published, dispatch_uid="sahafa.newsroom.audit.published")
    page_unpublished.connect(on_unpublished, dispatch_uid="sahafa.newsroom.audit.unpublished")
    user_logged_in.connect(on_login, dispatch_uid="sahafa.newsroom.audit.login")
    user_logged_out.connect(on_logout, dispatch_uid="sahafa.newsroom.audit.logout")
    user_login_failed.connect(on_login_failed, dispatch_uid="sahafa.newsroom.audit.login_failed")
    task_submitted.connect(
        review_submission_email_notifier,
        sender=TaskState,
        dispatch_uid="sahafa.newsroom.mail.review_submitted",
    )
    m2m_changed.connect(
        on_groups_changed, sender=User.groups.through, dispatch_uid="sahafa.newsroom.audit.groups"
    )
