"""Writing the audit log: one function per kind of event, called by signal handlers."""

from __future__ import annotations

import logging

from django.contrib.auth.models import Group
from wagtail.log_actions import get_active_log_context

from .models import AuditEvent

logger = logging.getLogger("sahafa.newsroom")


def client_ip(request) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def current_actor():
    """The user acting in the current admin request (Wagtail's log context), if any."""
    user = get_active_log_context().user
    return user if user is not None and getattr(user, "pk", None) else None


def display_name(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def record(kind: str, *, actor=None, subject: str = "", request=None, **fields) -> AuditEvent:
    event = AuditEvent.objects.create(
        kind=kind,
        actor=actor,
        actor_name=display_name(actor),
        subject=subject[:300],
        ip_address=client_ip(request),
        **fields,
    )
    logger.info("audit %s by %s: %s", kind, event.actor_name or "-", subject)
    return event


def page_published(page, revision=None) -> None:
    actor = current_actor() or (revision.user if revision is not None else None)
    record(AuditEvent.PUBLISH, actor=actor, page=page, subject=page.title)


def page_unpublished(page) -> None:
    record(AuditEvent.UNPUBLISH, actor=current_actor(), page=page, subject=page.title)


def login(user, request) -> None:
    record(
        AuditEvent.LOGIN, actor=user, target_user=user, subject=user.get_username(), request=request
    )


def logout(user, request) -> None:
    if user is not None:
        record(
            AuditEvent.LOGOUT,
            actor=user,
            target_user=user,
            subject=user.get_username(),
            request=request,
        )


def login_failed(username: str, request) -> None:
    # Only the name tried is kept; never the password.
    record(AuditEvent.LOGIN_FAILED, subject=username or "", request=request)


def groups_changed(user, group_ids, added: bool) -> None:
    names = sorted(Group.objects.filter(pk__in=group_ids).values_list("name", flat=True))
    if not names:
        return
    verb = "أضيف إلى" if added else "أزيل من"
    record(
        AuditEvent.ROLE_CHANGE,
        actor=current_actor(),
        target_user=user,
        subject=user.get_username(),
        detail=f"{verb}: {'، '.join(names)}",
    )
