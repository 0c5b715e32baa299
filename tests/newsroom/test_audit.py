"""The audit log records publishing, unpublishing, role changes and logins, and only
administrators can read it."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from .conftest import PASSWORD, article_data, client_for


def events(kind):
    from sahafa.newsroom.models import AuditEvent

    return AuditEvent.objects.filter(kind=kind)


def test_publish_and_unpublish_through_the_admin_are_logged_with_the_actor(newsroom, draft):
    editor = newsroom["section_editor"]
    page = draft(editor, "خبر يُنشر ثم يُسحب")
    client = client_for(editor)
    client.post(
        reverse("wagtailadmin_pages:edit", args=[page.pk]),
        article_data(page.title, slug=page.slug, **{"action-publish": "1"}),
    )
    client.post(reverse("wagtailadmin_pages:unpublish", args=[page.pk]))
    published = events("publish").filter(page_id=page.pk).get()
    unpublished = events("unpublish").filter(page_id=page.pk).get()
    assert published.actor == editor and unpublished.actor == editor
    assert published.subject == "خبر يُنشر ثم يُسحب"


def test_logins_failed_logins_and_logouts_are_logged(newsroom):
    client = Client(REMOTE_ADDR="203.0.113.9")
    login_url = reverse("wagtailadmin_login")
    client.post(login_url, {"username": "reporter", "password": "wrong-password"})
    failed = events("login_failed").get()
    assert failed.subject == "reporter"
    assert failed.actor is None
    assert "wrong-password" not in failed.detail + failed.subject

    client.post(login_url, {"username": "reporter", "password": PASSWORD})
    login = events("login").filter(actor=newsroom["reporter"]).get()
    assert login.ip_address == "203.0.113.9"

    client.post(reverse("wagtailadmin_logout"))
    assert events("logout").filter(actor=newsroom["reporter"]).exists()


def test_role_changes_in_the_admin_are_logged_with_who_made_them(newsroom):
    from django.contrib.auth.models import Group

    admin, target = newsroom["administrator"], newsroom["writer"]
    chief_group = Group.objects.get(
        newsroom_role__role="editor_in_chief", newsroom_role__section=None
    )
    groups = [*target.groups.values_list("pk", flat=True), chief_group.pk]
    response = client_for(admin).post(
        reverse("wagtailusers_users:edit", args=[target.pk]),
        {
            "username": target.username,
            "email": "writer@example.com",
            "first_name": "كاتب",
            "last_name": "الأخبار",
            "is_active": "on",
            "groups": groups,
            "password1": "",
            "password2": "",
        },
    )
    assert response.status_code == 302, response.context["form"].errors if response.context else ""
    change = events("role_change").filter(target_user=target).latest("pk")
    assert change.actor == admin
    assert "رئيس التحرير" in change.detail


def test_role_removal_and_clearing_are_logged(newsroom):
    target = newsroom["writer"]
    before = events("role_change").filter(target_user=target).count()
    target.groups.clear()
    cleared = events("role_change").filter(target_user=target)
    assert cleared.count() == before + 1
    assert cleared.latest("pk").detail.startswith("أزيل من")


def test_administrators_read_the_log_filtered_and_paginated(newsroom):
    from sahafa.newsroom.audit import record

    for n in range(60):
        record("login_failed", subject=f"محاولة {n}")
    client = client_for(newsroom["administrator"])
    url = reverse("newsroom_audit_log")
    page1 = client.get(url, {"kind": "login_failed"})
    assert page1.status_code == 200
    assert "محاولة 59" in page1.text and "محاولة 9<" not in page1.text
    assert "صفحة 1 من 2" in page1.text
    page2 = client.get(url, {"kind": "login_failed", "p": 2})
    assert "محاولة 0<" in page2.text
    only_roles = client.get(url, {"kind": "role_change"})
    assert "محاولة 1<" not in only_roles.text
    assert "writer" in only_roles.text


def test_everyone_else_is_refused_by_the_url_itself(newsroom):
    for name in ("reporter", "section_editor", "editor_in_chief"):
        response = client_for(newsroom[name]).get(reverse("newsroom_audit_log"))
        assert response.status_code in (302, 403), name
        assert "audit-login" not in response.text
    anonymous = Client().get(reverse("newsroom_audit_log"))
    assert anonymous.status_code == 302
    assert reverse("wagtailadmin_login") in anonymous["Location"]
