"""The newsroom's own records: which group is which role (and for which section),
the two approval steps of the workflow, and the audit log."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.models import Task, TaskState

from .roles import ADMINISTRATOR, EDITOR_IN_CHIEF, ROLE_CHOICES


class RoleGroup(models.Model):
    """Ties a Django group to a newsroom role code, and to a section for per-section groups.

    Groups are what Wagtail enforces; this row is the stable meaning of a group, so an
    administrator may rename «مراسلو قسم سياسة» without breaking the command or the workflow.
    """

    group = models.OneToOneField(
        Group, verbose_name=_("المجموعة"), on_delete=models.CASCADE, related_name="newsroom_role"
    )
    role = models.CharField(_("الدور"), max_length=20, choices=ROLE_CHOICES)
    section = models.ForeignKey(
        "news.SectionPage",
        verbose_name=_("القسم"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="role_groups",
    )

    class Meta:
        verbose_name = _("مجموعة دور")
        verbose_name_plural = _("مجموعات الأدوار")
        constraints = [
            models.UniqueConstraint(
                fields=["role", "section"], name="newsroom_one_group_per_role_section"
            ),
            models.UniqueConstraint(
                fields=["role"],
                condition=models.Q(section__isnull=True),
                name="newsroom_one_group_per_role",
            ),
        ]

    def __str__(self) -> str:
        return self.group.name


class SectionApprovalTask(Task):
    """«موافقة رئيس القسم»: the head of the article's section approves or returns it.

    Unlike Wagtail's GroupApprovalTask, the reviewers depend on the page: only the
    section editors of *that* section (and the editor-in-chief and administrators, who
    approve anywhere) may act. Pages outside any section (the home page) skip this step.
    """

    class Meta:
        verbose_name = _("موافقة رئيس القسم")
        verbose_name_plural = _("موافقات رؤساء الأقسام")

    def applies_to(self, page) -> bool:
        from .workflow import section_of

        return section_of(page) is not None

    def user_can_review(self, page, user) -> bool:
        from .roles import edits_section

        return edits_section(user, _section_or_none(page))

    # Wagtail's Task API ------------------------------------------------------------

    def start(self, workflow_state, user=None):
        page = workflow_state.content_object.specific
        if not self.applies_to(page):
            return skip(self, workflow_state)
        return super().start(workflow_state, user=user)

    def user_can_access_editor(self, obj, user):
        return self.user_can_review(obj, user)

    def locked_for_user(self, obj, user):
        # The author may not keep changing what is under review.
        return not self.user_can_review(obj, user)

    def get_actions(self, obj, user):
        if self.user_can_review(obj, user):
            return review_actions()
        return []

    def on_action(self, task_state, user, action_name, **kwargs):
        return refuse_or_act(super(), task_state, user, action_name, **kwargs)

    def get_task_states_user_can_moderate(self, user, **kwargs):
        states = self.task_states.filter(status=TaskState.STATUS_IN_PROGRESS).select_related(
            "workflow_state"
        )
        ids = [s.pk for s in states if self.user_can_review(s.workflow_state.content_object, user)]
        return TaskState.objects.filter(pk__in=ids)

    @classmethod
    def get_description(cls):
        return _("رئيس قسم المقال (أو رئيس التحرير) يوافق عليه أو يعيده بتعليق.")


class ChiefApprovalTask(Task):
    """«موافقة رئيس التحرير»: needed only for the home page and for breaking news.

    Any other page skips the step (its TaskState is recorded as skipped), so one
    workflow serves the whole tree and reporters never wait for the chief on routine copy.
    """

    class Meta:
        verbose_name = _("موافقة رئيس التحرير")
        verbose_name_plural = _("موافقات رئيس التحرير")

    def applies_to(self, page) -> bool:
        from .workflow import needs_chief_approval

        return needs_chief_approval(page)

    def user_can_review(self, user) -> bool:
        from .roles import has_role

        return has_role(user, EDITOR_IN_CHIEF, ADMINISTRATOR)

    def start(self, workflow_state, user=None):
        page = workflow_state.content_object.specific
        if not self.applies_to(page):
            return skip(self, workflow_state)
        return super().start(workflow_state, user=user)

    def user_can_access_editor(self, obj, user):
        return self.user_can_review(user)

    def locked_for_user(self, obj, user):
        return not self.user_can_review(user)

    def get_actions(self, obj, user):
        return review_actions() if self.user_can_review(user) else []

    def on_action(self, task_state, user, action_name, **kwargs):
        return refuse_or_act(super(), task_state, user, action_name, **kwargs)

    def get_task_states_user_can_moderate(self, user, **kwargs):
        if self.user_can_review(user):
            return self.task_states.filter(status=TaskState.STATUS_IN_PROGRESS)
        return TaskState.objects.none()

    @classmethod
    def get_description(cls):
        return _("رئيس التحرير يوافق على الصفحة الرئيسية والأخبار العاجلة؛ تتخطاها بقية المواد.")


def _section_or_none(page):
    from .workflow import section_of

    return section_of(page)


def review_actions():
    return [
        ("reject", _("إعادة مع طلب تعديلات"), True),
        ("approve", _("موافقة"), False),
        ("approve", _("موافقة مع تعليق"), True),
    ]


def refuse_or_act(task, task_state, user, action_name, **kwargs):
    """Wagtail's ``on_action``, except that an approval which would publish an article
    under embargo is refused before anything changes: the task stays in progress, to
    be approved once the embargo lifts. Returns the URL Wagtail redirects to, if any."""
    from .workflow import refuse_approval_under_embargo

    if action_name == "approve":
        refused_url = refuse_approval_under_embargo(task_state)
        if refused_url:
            return refused_url
    return task.on_action(task_state, user, action_name, **kwargs)


def skip(task: Task, workflow_state) -> TaskState:
    """Record the task as skipped for this revision; Wagtail's WorkflowState.update()
    then moves straight on to the next task (skipped counts as successful)."""
    from django.utils import timezone

    state = task.get_task_state_class()(workflow_state=workflow_state)
    state.status = TaskState.STATUS_SKIPPED
    state.revision = workflow_state.content_object.get_latest_revision()
    state.task = task
    state.finished_at = timezone.now()
    state.save()
    return state


class AuditEvent(models.Model):
    """One line of the audit log: publishing, unpublishing, role changes, logins."""

    PUBLISH = "publish"
    UNPUBLISH = "unpublish"
    ROLE_CHANGE = "role_change"
    LOGIN = "login"
    LOGOUT = "logout"
    LOGIN_FAILED = "login_failed"
    TAG_MERGE = "tag_merge"
    KINDS = [
        (PUBLISH, _("نشر")),
        (UNPUBLISH, _("إلغاء نشر")),
        (ROLE_CHANGE, _("تغيير دور")),
        (LOGIN, _("دخول")),
        (LOGOUT, _("خروج")),
        (LOGIN_FAILED, _("محاولة دخول فاشلة")),
        (TAG_MERGE, _("دمج وسوم")),
    ]

    kind = models.CharField(_("النوع"), max_length=20, choices=KINDS, db_index=True)
    created_at = models.DateTimeField(_("الوقت"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("الفاعل"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Kept as text as well: the log must still read right after a user or page is deleted.
    actor_name = models.CharField(_("اسم الفاعل"), max_length=150, blank=True)
    target_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("المستخدم المعني"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("الصفحة"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    subject = models.CharField(_("الموضوع"), max_length=300, blank=True)
    detail = models.TextField(_("التفاصيل"), blank=True)
    ip_address = models.GenericIPAddressField(_("عنوان IP"), null=True, blank=True)

    class Meta:
        verbose_name = _("حدث تدقيق")
        verbose_name_plural = _("سجل التدقيق")
        ordering = ["-created_at", "-pk"]
        permissions = [("merge_tags", _("دمج الوسوم"))]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.subject}"
