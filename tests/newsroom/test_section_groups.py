"""Per-section groups are named after their section and follow its renaming, keeping
their members and permissions; a name an administrator chose is kept."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from .conftest import client_for, page_data


def group_names() -> set[str]:
    return set(Group.objects.values_list("name", flat=True))


def rename(client, section, title, action):
    return client.post(
        reverse("wagtailadmin_pages:edit", args=[section.pk]),
        page_data(section, title=title, **{action: "1"}),
    )


@pytest.fixture
def chief(newsroom):
    return client_for(newsroom["editor_in_chief"])


def test_groups_follow_the_published_rename_of_their_section(newsroom, chief, politics):
    reporters = Group.objects.get(name="مراسلو قسم سياسة")
    editors = Group.objects.get(name="رؤساء قسم سياسة")
    permissions = set(editors.page_permissions.values_list("permission__codename", "page_id"))

    # A draft of the new title is not the section's name yet.
    rename(chief, politics, "شؤون سياسية", "action-save")
    assert "مراسلو قسم سياسة" in group_names()

    rename(chief, politics, "شؤون سياسية", "action-publish")
    names = group_names()
    assert {"مراسلو قسم شؤون سياسية", "رؤساء قسم شؤون سياسية"} <= names
    assert "مراسلو قسم سياسة" not in names and "رؤساء قسم سياسة" not in names
    # The same groups: members and permissions kept, nothing duplicated.
    editors.refresh_from_db()
    reporters.refresh_from_db()
    assert editors.name == "رؤساء قسم شؤون سياسية"
    assert editors.user_set.filter(pk=newsroom["section_editor"].pk).exists()
    assert reporters.user_set.filter(pk=newsroom["reporter"].pk).exists()
    assert set(editors.page_permissions.values_list("permission__codename", "page_id")) == (
        permissions
    )
    # The group list in the admin shows the section's current name.
    listing = client_for(newsroom["administrator"]).get(reverse("wagtailusers_groups:index"))
    assert "رؤساء قسم شؤون سياسية" in listing.content.decode()
    assert "رؤساء قسم سياسة" not in listing.content.decode()


def test_a_name_chosen_by_an_administrator_is_kept(newsroom, chief, politics, economy):
    editors = Group.objects.get(name="رؤساء قسم سياسة")
    editors.name = "هيئة تحرير السياسة"
    editors.save()
    rename(chief, politics, "شؤون سياسية", "action-publish")
    assert "هيئة تحرير السياسة" in group_names()
    assert "مراسلو قسم شؤون سياسية" in group_names()
    # Other sections' groups are untouched.
    assert {"مراسلو قسم اقتصاد", "رؤساء قسم اقتصاد"} <= group_names()
