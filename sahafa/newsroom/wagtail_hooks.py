"""The newsroom in Wagtail's admin: audit log and tag merging for administrators,
the custom permissions in the group editor, the rule that breaking news is
published by the editor-in-chief only, what the page chooser shows
(:mod:`.chooser`) and who deletes what was published (:mod:`.deletion`)."""

from django.contrib import messages
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import deletion, views
from .chooser import restrict_chooser_queryset
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


hooks.register("construct_page_chooser_queryset", restrict_chooser_queryset)


@hooks.register("before_delete_page")
def refuse_deleting_published_pages(request, page):
    """Wagtail's delete view (its confirmation and the delete itself) runs this after
    its own ``can_delete``; the editor goes back to the page with the reason."""
    if deletion.may_delete(request.user, page):
        return None
    messages.error(request, deletion.refusal_message(page))
    return redirect("wagtailadmin_pages:edit", page.pk)


@hooks.register("before_bulk_action")
def refuse_bulk_deleting_published_pages(request, action_type, objects, action_class_instance):
    """The bulk "delete" of the page listing: refused whole if any page falls under the rule."""
    if action_type != "delete" or has_role(request.user, EDITOR_IN_CHIEF, ADMINISTRATOR):
        return None
    refused = [obj for obj in objects if not deletion.may_delete(request.user, obj)]
    if not refused:
        return None
    for page in refused:
        messages.error(request, deletion.refusal_message(page))
    return redirect(action_class_instance.next_url)


@hooks.register("construct_page_listing_buttons")
def hide_delete_of_published_pages(buttons, page, user, context=None):
    """Drop «حذف» from a listing row's «more» menu when the delete would be refused.

    Wagtail builds that menu from ``register_page_listing_more_buttons`` with no hook
    to remove an item, so the menu's buttons are filtered here, by the delete URL.
    (The page header's menu has no such hook; the delete view refuses it there.)
    """
    delete_url = reverse("wagtailadmin_pages:delete", args=[page.pk])
    for button in buttons:
        items = getattr(button, "dropdown_buttons", None)
        if not items or not any(_links_to(item, delete_url) for item in items):
            continue
        if not deletion.may_delete(user, page):
            button.dropdown_buttons = [item for item in items if not _links_to(item, delete_url)]


def _links_to(button, url: str) -> bool:
    return (getattr(button, "url", None) or "").startswith(url)
