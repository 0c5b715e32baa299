"""Who may permanently delete a page.

Wagtail lets anyone who may edit a page delete it (with "publish" as well, even a
live one), and deleting takes every revision with it: a section editor could erase a
published story and its history. Here, a page that readers have seen — live now, or
published at any time before (first or last publication recorded) — in the subtree
being deleted is deleted by the editor-in-chief or an administrator only; everyone
else unpublishes or moves it. Drafts that were never published keep Wagtail's rules
(a reporter deletes their own, a section editor those of their section).

Wagtail asks ``PagePermissionTester.can_delete`` first; this rule narrows it and is
enforced by the hooks in ``wagtail_hooks.py``: the delete view, the bulk delete, and
the listing's «more» menu.
"""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext as _

from .roles import ADMINISTRATOR, EDITOR_IN_CHIEF, has_role


def ever_published_q() -> Q:
    return Q(live=True) | Q(first_published_at__isnull=False) | Q(last_published_at__isnull=False)


def was_ever_published(page) -> bool:
    """Is ``page``, or any page under it, live or published at some time?"""
    return page.get_descendants(inclusive=True).filter(ever_published_q()).exists()


def may_delete(user, page) -> bool:
    """The newsroom's rule on top of Wagtail's ``can_delete`` (which is still asked)."""
    return has_role(user, EDITOR_IN_CHIEF, ADMINISTRATOR) or not was_ever_published(page)


def refusal_message(page) -> str:
    return _(
        "لا يمكنك حذف «%(title)s» نهائياً: نُشرت هذه الصفحة (أو صفحة تحتها) من قبل، "
        "وحذف ما نُشر وسجلّ مراجعاته لرئيس التحرير ومدير النظام وحدهما. "
        "يمكنك إلغاء نشرها أو نقلها."
    ) % {"title": page.get_admin_display_title()}
