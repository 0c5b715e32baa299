"""A save from an edit form opened before a colleague's save is refused, not applied
over it: save draft, publish and submit alike (Wagtail checks only autosaves). The
editor is told who saved, when, and which fields changed, and keeps their input; the
refused save is kept as a revision of its own in the page's history, so both editors'
work survives."""

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
    assert "تغيّرت في حفظه: عنوان" in text  # the title, as its field is labelled
    assert "حُفظ مراجعةً مستقلة في سجل الصفحة" in text
    # B's input is still in the form, nothing lost.
    assert "موجز رئيس القسم الجديد" in text

    # Both revisions are kept: A's is the page's latest, B's stands beside it.
    kept = page.revisions.order_by("-pk").first()
    assert kept.pk != revision_a.pk and kept.user == newsroom["section_editor"]
    assert kept.as_object().standfirst == "موجز رئيس القسم الجديد"
    assert latest(page).as_object().title == "عنوان المراسل الأول"


def test_reloading_the_form_then_saving_works(two_editors):
    page, a, loaded_a, b, loaded_b = two_editors
    save(a, page, loaded_a, "عنوان المراسل الأول")
    save(b, page, loaded_b, "عنوان رئيس القسم")

    response = save(b, page, open_form(b, page), "عنوان رئيس القسم")
    assert response.status_code == 302
    assert latest(page).as_object().title == "عنوان رئيس القسم"


def test_the_refused_form_stays_out_of_date_so_no_autosave_can_overwrite(two_editors):
    """The form shown again names B's kept revision, not A's, as the one it was built
    from: Wagtail refuses the browser's autosave from it, and a second press of «save»
    is refused (and kept) again."""
    page, a, loaded_a, b, loaded_b = two_editors
    save(a, page, loaded_a, "عنوان المراسل الأول")
    revision_a = latest(page)
    refused = save(b, page, loaded_b, "عنوان رئيس القسم")
    shown = dict(LOADED.findall(refused.text))
    kept = page.revisions.order_by("-pk").first()
    assert shown["loaded_revision_id"] == str(kept.pk) != str(revision_a.pk)

    autosave = b.post(
        edit_url(page),
        {**article_data("عنوان رئيس القسم", slug=page.slug), **shown},
        HTTP_ACCEPT="application/json",
    )
    assert autosave.json()["error_code"] == "invalid_revision"
    again = save(b, page, shown, "عنوان رئيس القسم")
    assert again.status_code == 200
    assert latest(page).pk == revision_a.pk


def test_reviewing_the_kept_revision_then_saving_makes_it_current(two_editors):
    page, a, loaded_a, b, loaded_b = two_editors
    save(a, page, loaded_a, "عنوان المراسل الأول")
    save(b, page, loaded_b, "عنوان رئيس القسم")
    kept = page.revisions.order_by("-pk").first()

    revert = reverse("wagtailadmin_pages:revisions_revert", args=[page.pk, kept.pk])
    loaded = dict(LOADED.findall(b.get(revert).text))
    response = save(b, page, loaded, "عنوان رئيس القسم")
    assert response.status_code == 302
    assert latest(page).as_object().title == "عنوان رئيس القسم"


def test_saves_in_turn_from_fresh_forms_are_all_accepted(two_editors):
    page, a, _loaded_a, b, _loaded_b = two_editors
    for n, client in enumerate([a, b, a, b]):
        response = save(client, page, open_form(client, page), f"عنوان رقم {n}")
        assert response.status_code == 302
    assert latest(page).as_object().title == "عنوان رقم 3"


def test_the_kept_revision_shows_in_the_history_and_can_be_reverted_to(newsroom, two_editors):
    page, a, loaded_a, b, loaded_b = two_editors
    save(a, page, loaded_a, "عنوان المراسل الأول")
    save(b, page, loaded_b, "عنوان رئيس القسم")
    kept = page.revisions.order_by("-pk").first()

    history = b.get(reverse("wagtailadmin_pages:history", args=[page.pk]))
    assert history.status_code == 200
    text = html.unescape(history.text)
    assert "حُفظ تعديل متأخر مراجعةً مستقلة" in text
    revert = reverse("wagtailadmin_pages:revisions_revert", args=[page.pk, kept.pk])
    assert revert in text

    # Reverting opens the editor on B's text, and saving it then goes through.
    form = b.get(revert)
    assert form.status_code == 200
    assert "عنوان رئيس القسم" in html.unescape(form.text)


def test_an_invalid_stale_save_keeps_no_revision(two_editors):
    page, a, loaded_a, b, loaded_b = two_editors
    save(a, page, loaded_a, "عنوان المراسل الأول")
    before = page.revisions.count()
    response = save(b, page, loaded_b, "")  # no title: invalid whatever its age
    assert response.status_code == 200
    assert page.revisions.count() == before
    assert "حفظ reporter هذه الصفحة" in html.unescape(response.text)
