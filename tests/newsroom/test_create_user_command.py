"""sahafa manage create_newsroom_user USERNAME --role ROLE [--section SLUG]… [--password P]"""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command


def run(*args):
    out, err = StringIO(), StringIO()
    call_command("create_newsroom_user", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def group_names(user):
    return sorted(user.groups.values_list("name", flat=True))


def test_creates_a_reporter_in_two_sections(politics, economy):
    out, _err = run(
        "huda",
        "--role",
        "reporter",
        "--section",
        "siyasa",
        "--section",
        "iqtisad",
        "--password",
        "Sirr-2026-huda",
    )
    user = get_user_model().objects.get(username="huda")
    assert group_names(user) == sorted(["مراسل", "مراسلو قسم سياسة", "مراسلو قسم اقتصاد"])
    assert user.check_password("Sirr-2026-huda")
    assert not user.is_superuser
    assert "created huda" in out and "1 account created" in out


def test_updating_changes_the_role_and_keeps_other_groups(politics):
    from django.contrib.auth.models import Group

    run("sami", "--role", "reporter", "--section", "siyasa", "--password", "Sirr-2026-sami")
    user = get_user_model().objects.get(username="sami")
    user.groups.add(Group.objects.create(name="نشرة الصباح"))
    out, _err = run("sami", "--role", "section_editor")
    assert "updated sami" in out
    # Sections are kept only within the same role; a new role starts without them.
    assert group_names(user) == sorted(["رئيس قسم", "نشرة الصباح"])
    run("sami", "--role", "section_editor", "--section", "siyasa")
    run("sami", "--role", "section_editor")
    assert "رؤساء قسم سياسة" in group_names(user)
    assert user.check_password("Sirr-2026-sami"), "an update without --password keeps it"


@pytest.mark.parametrize(
    ("role", "group"),
    [("editor_in_chief", "رئيس التحرير"), ("administrator", "مدير النظام")],
)
def test_newsroom_wide_roles(role, group, db):
    _out, err = run("boss", "--role", role)
    user = get_user_model().objects.get(username="boss")
    assert group_names(user) == [group]
    assert not user.has_usable_password()
    assert "no password" in err
    assert not user.is_superuser


def test_the_administrator_role_manages_users_without_being_superuser(db):
    run("admin2", "--role", "administrator", "--password", "Sirr-2026-admin")
    user = get_user_model().objects.get(username="admin2")
    assert user.has_perm("auth.add_user") and user.has_perm("newsroom.view_auditevent")
    assert not user.is_superuser


def test_bad_input_is_refused(politics):
    with pytest.raises(CommandError, match="no section"):
        run("x", "--role", "reporter", "--section", "no-such-section")
    with pytest.raises(CommandError, match="reporters and section editors"):
        run("x", "--role", "editor_in_chief", "--section", "siyasa")
    with pytest.raises(CommandError):
        run("x", "--role", "chairman")
    assert not get_user_model().objects.filter(username="x").exists()


def test_reporter_without_section_is_warned(db):
    _out, err = run("lone", "--role", "reporter", "--password", "Sirr-2026-lone")
    assert "no section" in err


def test_demo_accounts(politics):
    """news' demo makes the «editor» login; the newsroom's command gives it its role and
    adds a reporter and a section editor (what ``sahafa demo`` runs, in that order)."""
    from django.contrib.auth.models import Group

    from sahafa.news.demo.loader import ensure_demo_editor

    editor = ensure_demo_editor()
    assert not editor.groups.exists()
    out = StringIO()
    call_command("create_demo_accounts", "--dry-run", stdout=out)
    assert "3 would be ready" in out.getvalue()
    assert not get_user_model().objects.filter(username="reporter").exists()
    call_command("create_demo_accounts", stdout=out)
    call_command("create_demo_accounts", stdout=out)  # safe to re-run
    editor.refresh_from_db()
    assert not editor.is_superuser
    assert editor.groups.filter(name="رئيس التحرير").exists()
    User = get_user_model()
    reporter, section_editor = (
        User.objects.get(username="reporter"),
        User.objects.get(username="section_editor"),
    )
    assert reporter.check_password("sahafa-demo") and section_editor.check_password("sahafa-demo")
    assert Group.objects.get(name="مراسلو قسم سياسة").user_set.filter(pk=reporter.pk).exists()
    assert Group.objects.get(name="رؤساء قسم سياسة").user_set.filter(pk=section_editor.pk).exists()


def test_a_fresh_database_has_the_roles_and_the_workflow(db):
    from django.contrib.auth.models import Group
    from wagtail.models import Page, WorkflowPage

    names = set(Group.objects.values_list("name", flat=True))
    assert {"مراسل", "رئيس قسم", "رئيس التحرير", "مدير النظام"} <= names
    assert not {"Moderators", "Editors"} & names
    root = Page.get_first_root_node()
    assert WorkflowPage.objects.get(page=root).workflow.name == "مسار الموافقة"


def test_a_new_section_gets_its_groups(home):
    from django.contrib.auth.models import Group

    from sahafa.news.structure import ensure_section

    ensure_section("رياضة", "riyada")
    assert Group.objects.filter(name__in=["مراسلو قسم رياضة", "رؤساء قسم رياضة"]).count() == 2
