"""Wagtail hooks of the security layer, registered from ``connect()``.

They live here, not in ``newsroom/wagtail_hooks.py``, so that the whole security
layer is one package; ``hooks.register`` works the same at ``ready()`` time.

- the embargo: a warning on every opening of an embargoed article in the editor;
  publishing refused (kept as a draft) unless go-live is at or after the embargo,
  and so is the approval that would publish it (the workflow stays where it was);
  the rule itself is the model's (``ArticlePage.embargo_holds``), which no path
  can get around;
- two-factor sign-in pages under /admin/two-factor/;
- the scheduler's log actions, and a dashboard panel listing late runs.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.urls import include, path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.ui.components import Component

from sahafa.news import scheduling
from sahafa.newsroom.workflow import EMBARGO_HELD_PARAM, embargo_blocking_publication

from . import two_factor

LATE_PANEL_DAYS = 7


def _embargo_of(page):
    until = getattr(page, "embargo_until", None)
    return until if until and until > timezone.now() else None


def _local(value) -> str:
    return date_format(timezone.localtime(value), "DATETIME_FORMAT")


def embargo_message(until) -> str:
    return _(
        "هذا المقال محظور النشر حتى %(until)s: لا يُنشر قبل هذا الوقت، ولا يُنشر إلا "
        "بجدولة «موعد النشر» عنده أو بعده."
    ) % {"until": _local(until)}


def approval_refused_message(until) -> str:
    return _(
        "لا يمكن النشر: الخبر محظور حتى %(until)s. لم تُسجَّل الموافقة وبقي الخبر في "
        "مسار الموافقة؛ وافق عليه بعد انتهاء الحظر، أو حدّد «موعد النشر» عند انتهائه أو بعده."
    ) % {"until": _local(until)}


def warn_embargo_on_open(request, page):
    """``before_edit_page``: every editor who opens an embargoed article sees it; an
    approver sent back by a refused approval (see ``workflow.refuse_approval_under_embargo``)
    reads why. On a POST approving from the editor, remember the task under review."""
    if request.method == "POST":
        if request.POST.get("workflow-action-name") == "approve":
            state = page.current_workflow_task_state
            request.sahafa_task_state_id = state.pk if state else None
        return
    until = _embargo_of(page.specific)
    if until and request.GET.get(EMBARGO_HELD_PARAM):
        messages.error(request, approval_refused_message(until))
    elif until:
        messages.warning(request, embargo_message(until))


def report_approval_refused_in_editor(request, page):
    """``after_edit_page``: «approve» from the editor saves the edits, then Wagtail ignores
    the task's answer; the task still in progress after the approval means it was refused."""
    state_id = getattr(request, "sahafa_task_state_id", None)
    if state_id is None:
        return
    state = page.current_workflow_task_state
    until = embargo_blocking_publication(page.get_latest_revision_as_object())
    if state is not None and state.pk == state_id and until is not None:
        messages.error(request, approval_refused_message(until))


def refuse_publish_under_embargo(request, page):
    """``before_publish_page``: the revision is saved; publishing it is refused while
    the embargo holds, unless its go-live time is at or after the embargo."""
    until = embargo_blocking_publication(page)
    if until is None:
        return None
    messages.error(
        request,
        _(
            "لم يُنشر المقال: هو محظور النشر حتى %(until)s. حُفظت التعديلات مسودةً؛ "
            "لنشره تلقائياً حدّد «موعد النشر» في تبويب النشر عند انتهاء الحظر أو بعده."
        )
        % {"until": _local(until)},
    )
    return HttpResponseRedirect(reverse("wagtailadmin_pages:edit", args=[page.pk]))


def register_two_factor_urls():
    return [path("", include(two_factor.admin_urls()))]


def register_scheduler_log_actions(actions):
    actions.register_action(
        scheduling.LATE_ACTION,
        gettext_lazy("تأخّر تنفيذ موعد مجدول"),
        gettext_lazy("نُفّذ موعد مجدول متأخراً"),
    )


KIND_LABELS = {
    "publish": gettext_lazy("نشر مجدول"),
    "unpublish": gettext_lazy("إلغاء نشر مجدول"),
}


class LateSchedulePanel(Component):
    """Dashboard panel: scheduled work of the last days that ran late."""

    name = "sahafa_late_schedule"
    order = 50

    def __init__(self, entries):
        self.entries = entries

    def render_html(self, parent_context=None) -> str:
        rows = format_html_join(
            "",
            '<li><a href="{}">{}</a> — {}: {} {} ({} {})</li>',
            (
                (
                    reverse("wagtailadmin_pages:edit", args=[e.page_id]),
                    e.label,
                    KIND_LABELS.get((e.data or {}).get("kind"), ""),
                    _("كان موعده"),
                    (e.data or {}).get("due_at", ""),
                    _("تأخّر بالثواني:"),
                    (e.data or {}).get("seconds_late", ""),
                )
                for e in self.entries
            ),
        )
        return format_html(
            '<section class="panel w-panel" data-sahafa-late-schedule>'
            '<h2 class="w-panel__heading">{}</h2>'
            '<p class="help-block help-warning">{}</p><ul>{}</ul></section>',
            _("مواعيد مجدولة نُفّذت متأخرة"),
            _("تأخّر المشغّل عن هذه المواعيد (توقّف الخادم أو المشغّل)، فنُفّذت فور عودته."),
            rows,
        )


def add_late_schedule_panel(request, panels):
    from wagtail.models import PageLogEntry

    since = timezone.now() - timedelta(days=LATE_PANEL_DAYS)
    entries = list(
        PageLogEntry.objects.filter(action=scheduling.LATE_ACTION, timestamp__gte=since).order_by(
            "-timestamp"
        )[:20]
    )
    if entries:
        panels.append(LateSchedulePanel(entries))


_registered = False


def register() -> None:
    global _registered
    if _registered:
        return
    _registered = True
    hooks.register("before_edit_page", warn_embargo_on_open)
    hooks.register("before_publish_page", refuse_publish_under_embargo)
    hooks.register("after_edit_page", report_approval_refused_in_editor)
    hooks.register("register_admin_urls", register_two_factor_urls)
    hooks.register("register_log_actions", register_scheduler_log_actions)
    hooks.register("construct_homepage_panels", add_late_schedule_panel)
