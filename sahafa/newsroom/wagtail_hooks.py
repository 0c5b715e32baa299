"""The newsroom in Wagtail's admin: audit log and tag merging for administrators,
the custom permissions in the group editor, and the rule that breaking news is
published by the editor-in-chief only."""

from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import views
from .roles import ADMINISTRATOR, EDITOR_IN_CHIEF, has_role
from .workflow import needs_chief_approval


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [
        path("newsroom/audit/", views.audit_log, name="newsroom_audit_log"),
        path("newsroom/tags/merge/", views.merge_tags_view, name="newsroom_merge_tags"),
    ]


class PermissionMenuItem(MenuItem):
    """A menu item shown only to holders of one permission (the view checks it too)."""

    def __init__(self, *args, permission: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.permission = permission

    def is_shown(self, request):
        return request.user.has_perm(self.permission)


@hooks.register("register_admin_menu_item")
def register_audit_menu_item():
    return PermissionMenuItem(
        _("سجل التدقيق"),
        reverse("newsroom_audit_log"),
        name="newsroom-audit-log",
        icon_name="list-ul",
        order=10000,
        permission="newsroom.view_auditevent",
    )


@hooks.register("register_settings_menu_item")
def register_merge_tags_menu_item():
    return PermissionMenuItem(
        _("دمج الوسوم"),
        reverse("newsroom_merge_tags"),
        name="newsroom-merge-tags",
        icon_name="tag",
        order=900,
        permission="newsroom.merge_tags",
    )


@hooks.register("register_permissions")
def register_permissions():
    return Permission.objects.filter(
        content_type__app_label="newsroom", codename__in=["view_auditevent", "merge_tags"]
    )


@hooks.register("before_bulk_action")
def refuse_bulk_publishing_breaking_news(request, action_type, objects, action_class_instance):
    """The bulk "publish" action must not bypass the chief's approval either."""
    if action_type != "publish" or has_role(request.user, EDITOR_IN_CHIEF, ADMINISTRATOR):
        return None
    if any(needs_chief_approval(obj) for obj in objects):
        raise PermissionDenied
    return None
