"""The permission matrix: every role × every action, through Wagtail's admin endpoints.

Each action is performed as a user would (an HTTP request to the admin), and its
effect is then read from the database: a denied action must leave no trace, not
merely be missing from a menu. Reporters and section editors are assigned to the
politics section; the "other section" actors are assigned to economy and act on
politics content.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from .conftest import ACTORS, PASSWORD, article_data, client_for, outlet_settings_data, page_data

R, RO, SE, SEO, EIC, ADM = ACTORS  # actor names, in ACTORS order

# action -> the actors allowed to do it (everyone else must be refused).
MATRIX: dict[str, set[str]] = {
    "create": {R, SE, EIC, ADM},
    "edit_own": {R, SE, EIC, ADM},
    "edit_others": {SE, EIC, ADM},
    "submit": {R, SE, EIC, ADM},
    "approve": {SE, EIC, ADM},
    "publish": {SE, EIC, ADM},
    "unpublish": {SE, EIC, ADM},
    "schedule": {SE, EIC, ADM},
    "publish_breaking": {EIC, ADM},
    "edit_section_front": {SE, EIC, ADM},
    "edit_home_page": {EIC, ADM},
    "edit_masthead": {EIC, ADM},
    "manage_ticker": {EIC, ADM},
    "manage_redirects": {EIC, ADM},
    "delete_own_draft": {R, SE, EIC, ADM},
    "delete_published": {EIC, ADM},
    "delete_once_published": {EIC, ADM},
    "manage_users": {ADM},
    "view_audit_log": {ADM},
    "merge_tags": {ADM},
}

CASES = [
    (actor, action, actor in allowed) for action, allowed in MATRIX.items() for actor in ACTORS
]


def edit_url(page) -> str:
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def latest_draft(page):
    """The page as its newest revision has it (re-read: the object in hand is stale)."""
    return type(page).objects.get(pk=page.pk).get_latest_revision_as_object()


def latest_title(page) -> str:
    return latest_draft(page).title


# --- the actions: each returns (response, whether the effect happened) ---------------


def do_create(client, user, ctx):
    from sahafa.news.models import ArticlePage

    url = reverse("wagtailadmin_pages:add", args=("news", "articlepage", ctx["politics"].pk))
    response = client.post(url, article_data("خبر أنشأه المستخدم"))
    return response, ArticlePage.objects.filter(title="خبر أنشأه المستخدم").exists()


def do_edit_own(client, user, ctx):
    page = ctx["draft"](user, "مسودتي")
    response = client.post(edit_url(page), article_data("مسودتي بعد التعديل", slug=page.slug))
    return response, latest_title(page) == "مسودتي بعد التعديل"


def do_edit_others(client, user, ctx):
    page = ctx["draft"](ctx["users"]["writer"], "مسودة زميل")
    response = client.post(edit_url(page), article_data("مسودة زميل معدّلة", slug=page.slug))
    return response, latest_title(page) == "مسودة زميل معدّلة"


def do_submit(client, user, ctx):
    page = ctx["draft"](user, "خبر للمراجعة")
    response = client.post(
        edit_url(page), article_data("خبر للمراجعة", slug=page.slug, **{"action-submit": "1"})
    )
    page.refresh_from_db()
    return response, page.workflow_in_progress


def do_approve(client, user, ctx):
    page = ctx["draft"](ctx["users"]["writer"], "خبر بانتظار رئيس القسم")
    workflow = page.get_workflow()
    workflow.start(page, ctx["users"]["writer"])
    state = page.current_workflow_task_state
    url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", state.pk])
    response = client.post(url, {"comment": ""})
    state.refresh_from_db()
    return response, state.status == "approved"


def do_publish(client, user, ctx):
    page = ctx["draft"](user, "خبر للنشر")
    response = client.post(
        edit_url(page), article_data("خبر للنشر", slug=page.slug, **{"action-publish": "1"})
    )
    page.refresh_from_db()
    return response, page.live


def do_unpublish(client, user, ctx):
    page = ctx["draft"](user, "خبر منشور", publish=True)
    url = reverse("wagtailadmin_pages:unpublish", args=[page.pk])
    response = client.post(url)
    page.refresh_from_db()
    return response, not page.live


def do_schedule(client, user, ctx):
    page = ctx["draft"](user, "خبر مجدول")
    go_live = (timezone.localtime() + timedelta(days=2)).strftime("%Y-%m-%d %H:%M")
    response = client.post(
        edit_url(page),
        article_data("خبر مجدول", slug=page.slug, go_live_at=go_live, **{"action-publish": "1"}),
    )
    page.refresh_from_db()
    return response, page.scheduled_revision is not None and not page.live


def do_publish_breaking(client, user, ctx):
    page = ctx["draft"](user, "عاجل: خبر")
    response = client.post(
        edit_url(page),
        article_data("عاجل: خبر", slug=page.slug, is_breaking="on", **{"action-publish": "1"}),
    )
    page.refresh_from_db()
    return response, page.live


def delete(client, page):
    """Wagtail's delete, as its confirmation form posts it; did the page go?"""
    from wagtail.models import Page

    response = client.post(reverse("wagtailadmin_pages:delete", args=[page.pk]))
    return response, not Page.objects.filter(pk=page.pk).exists()


def do_delete_own_draft(client, user, ctx):
    return delete(client, ctx["draft"](user, "مسودة للحذف"))


def do_delete_published(client, user, ctx):
    # Their own live article: even the owner, with publish rights, may not erase it.
    return delete(client, ctx["draft"](user, "خبر منشور للحذف", publish=True))


def do_delete_once_published(client, user, ctx):
    # Published, then taken down: readers saw it, so its revisions are kept.
    from wagtail.actions.unpublish_page import UnpublishPageAction

    page = ctx["draft"](user, "خبر سُحب من النشر", publish=True)
    UnpublishPageAction(page, user=ctx["users"]["administrator"]).execute()
    page.refresh_from_db()
    assert not page.live and page.first_published_at is not None
    return delete(client, page)


def do_edit_section_front(client, user, ctx):
    section = ctx["politics"]
    response = client.post(edit_url(section), page_data(section, intro="واجهة قسم السياسة الجديدة"))
    return response, latest_draft(section).intro == "واجهة قسم السياسة الجديدة"


def do_edit_home_page(client, user, ctx):
    home = ctx["home"]
    response = client.post(edit_url(home), page_data(home, title="الواجهة المعدلة"))
    return response, latest_title(home) == "الواجهة المعدلة"


def do_edit_masthead(client, user, ctx):
    from sahafa.news.models import OutletSettings

    settings = OutletSettings.load()
    url = reverse("wagtailsettings:edit", args=["news", "outletsettings", settings.pk])
    response = client.post(url, outlet_settings_data(chairman="رئيس مجلس جديد"))
    return response, OutletSettings.load().chairman == "رئيس مجلس جديد"


def do_manage_ticker(client, user, ctx):
    from sahafa.news.models import TickerItem

    url = reverse("wagtailsnippets_news_tickeritem:add")
    response = client.post(url, {"text": "عاجل في الشريط", "priority": "5", "is_breaking": "on"})
    return response, TickerItem.objects.filter(text="عاجل في الشريط").exists()


def do_manage_redirects(client, user, ctx):
    from wagtail.contrib.redirects.models import Redirect

    response = client.post(
        reverse("wagtailredirects:add"),
        {
            "old_path": "/old/archive-101/",
            "is_permanent": "on",
            "redirect_link": "https://news.example/",
        },
    )
    return response, Redirect.objects.filter(old_path="/old/archive-101").exists()


def do_manage_users(client, user, ctx):
    url = reverse("wagtailusers_users:add")
    response = client.post(
        url,
        {
            "username": "newcomer",
            "email": "newcomer@example.com",
            "first_name": "وافد",
            "last_name": "جديد",
            "password1": "Kalima-Jadida-2026",
            "password2": "Kalima-Jadida-2026",
        },
    )
    return response, get_user_model().objects.filter(username="newcomer").exists()


def do_view_audit_log(client, user, ctx):
    response = client.get(reverse("newsroom_audit_log"))
    return response, response.status_code == 200 and "سجل التدقيق" in response.text


def do_merge_tags(client, user, ctx):
    from sahafa.news.models import NewsTag

    old = NewsTag.objects.create(name="ايران")
    keep = NewsTag.objects.create(name="إيران رسمي")
    response = client.post(reverse("newsroom_merge_tags"), {"duplicate": old.pk, "keep": keep.pk})
    return response, not NewsTag.objects.filter(pk=old.pk).exists()


ACTIONS = {name: globals()[f"do_{name}"] for name in MATRIX}


@pytest.mark.parametrize(
    ("actor", "action", "allowed"), CASES, ids=[f"{a}-{b}" for a, b, _ in CASES]
)
def test_permission_matrix(actor, action, allowed, newsroom, home, politics, draft):
    user = newsroom[actor]
    client = client_for(user)
    ctx = {"users": newsroom, "home": home, "politics": politics, "draft": draft}
    response, happened = ACTIONS[action](client, user, ctx)
    assert happened is allowed, (actor, action, response.status_code, response.get("Location"))
    if not allowed:
        # Refused by the endpoint itself (403), or bounced back to a form/error page —
        # never a redirect to a success page with the change made.
        assert response.status_code in (200, 302, 403)


def test_matrix_covers_every_role_and_the_required_actions():
    required = {
        "create", "edit_own", "edit_others", "submit", "approve", "publish",
        "unpublish", "schedule", "delete_own_draft", "delete_published",
        "manage_ticker", "manage_users", "view_audit_log",
    }  # fmt: skip
    assert required <= set(MATRIX)
    roles = {role for role, _section in ACTORS.values()}
    assert roles == {"reporter", "section_editor", "editor_in_chief", "administrator"}


def test_users_without_a_role_cannot_enter_the_admin(db):
    user = get_user_model().objects.create_user("outsider", password=PASSWORD)
    response = client_for(user).get(reverse("wagtailadmin_home"))
    assert response.status_code == 302
    assert reverse("wagtailadmin_login") in response["Location"]


def test_no_role_is_a_superuser(newsroom):
    assert not any(u.is_superuser for u in newsroom.values())


@pytest.mark.parametrize("actor", [R, SE, EIC])
def test_audit_log_menu_item_is_shown_to_administrators_only(actor, newsroom):
    response = client_for(newsroom[actor]).get(reverse("wagtailadmin_home"))
    assert reverse("newsroom_audit_log") not in response.text
    response = client_for(newsroom[ADM]).get(reverse("wagtailadmin_home"))
    assert reverse("newsroom_audit_log") in response.text
