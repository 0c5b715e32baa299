"""A save from an edit form opened before a colleague's save is refused, not applied
over it: save draft, publish and submit alike (Wagtail checks only autosaves). The
editor is told who saved, when, and which fields changed, and keeps their input."""

from __future__ import annotations

import html
import re

import pytest
from django.urls import reverse

from .conftest import article_data, client_for

LOADED = re.compile(r'name="(loaded_revision_id|loaded_revision_created_at)" value="([^"]*)"')


def edit_url(page) -> str:
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def open_form(client, page) -> dict:
    """GET the editor; the hidden fields it carries about the revision it was built from."""
    response = client.get(edit_url(page))
    assert response.status_code == 200
    return dict(LOADED.findall(response.text))


def save(client, page, loaded: dict, title: str, **fields):
    return client.post(edit_url(page), {**article_data(title, slug=page.slug, **fields), **loaded})


def latest(page):
    return type(page).objects.get(pk=page.pk).get_latest_revision()


@pytest.fixture
def two_editors(newsroom, draft):
    """The article, its reporter (A) and its section editor (B), both with the form open."""
    page = draft(newsroom["reporter"], "خبر يحرره اثنان")
    a, b = client_for(newsroom["reporter"]), client_for(newsroom["section_editor"])
    return page, a, open_form(a, page), b, open_form(b, page)


def test_the_edit_form_carries_the_revision_it_was_built_from(two_editors):
    page, _a, loaded, _b, _loaded_b = two_editors
    assert loaded["loaded_revision_id"] == str(page.latest_revision_id)
    assert loaded["loaded_revision_created_at"]


@pytest.mark.parametrize("action", [None, "action-publish", "action-submit"])
def test_stale_save_is_refused_and_names_who_saved_what(action, newsroom, two_editors):
    page, a, loaded_a, b, loaded_b = two_editors
    saved = save(a, page, loaded_a, "عنوان المراسل الأول")
    assert saved.status_code == 302
    revision_a = latest(page)
    assert revision_a.user == newsroom["reporter"]

    extra = {action: "1"} if action else {}
    response = save(
        b, page, loaded_b, "خبر يحرره اثنان", standfirst="موجز رئيس القسم الجديد", **extra
    )

    assert response.status_code == 200  # the form again, not a redirect to success
    assert latest(page).pk == revision_a.pk
    page.refresh_from_db()
    assert not page.live and not page.workflow_in_progress
    text = html.unescape(response.text)
    assert "حفظ reporter هذه الصفحة" in text
    assert "تغيّرت فيه: عنوان" in text  # the title, as its field is labelled
    # B's input is still in the form, nothing lost.
    assert "موجز رئيس القسم الجديد" in text


def test_reloading_the_form_then_saving_works(two_editors):
    page, a, loaded_a, b, loaded_b = two_editors
    save(a, page, loaded_a, "عنوان المراسل الأول")
    save(b, page, loaded_b, "عنوان رئيس القسم")

    response = save(b, page, open_form(b, page), "عنوان رئيس القسم")
    assert response.status_code == 302
    assert latest(page).as_object().title == "عنوان رئيس القسم"


def test_the_refused_form_is_up_to_date_so_a_deliberate_second_save_goes_through(two_editors):
    """After reading what changed, B may save over it on purpose: the re-rendered form
    carries A's revision."""
    page, a, loaded_a, b, loaded_b = two_editors
    save(a, page, loaded_a, "عنوان المراسل الأول")
    refused = save(b, page, loaded_b, "عنوان رئيس القسم")
    assert dict(LOADED.findall(refused.text))["loaded_revision_id"] == str(latest(page).pk)


def test_saves_in_turn_from_fresh_forms_are_all_accepted(two_editors):
    page, a, _loaded_a, b, _loaded_b = two_editors
    for n, client in enumerate([a, b, a, b]):
        response = save(client, page, open_form(client, page), f"عنوان رقم {n}")
        assert response.status_code == 302
    assert latest(page).as_object().title == "عنوان رقم 3"
