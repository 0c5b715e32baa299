"""Sanitising never empties a required value: all-markup input is refused when it is
entered, with an Arabic message naming the field or block, and nothing is saved.

Security review, issue 12: a heading of only markup (``<b></b>``,
``<img src=x onerror=alert(1)>``) was saved empty and then failed the next editor's
publish; a tag ``<script>alert(9)</script>`` became a tag with no name. The tag typed
in the admin's tag field: tests/newsroom/test_tags.py.
"""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from wagtail.test.utils.form_data import rich_text, streamfield

from sahafa.news.blocks import ArticleBodyBlock
from sahafa.news.sanitize import (
    clean_tag_name,
    clean_text,
    emptied_block_parts,
    emptied_by_cleaning,
)
from tests.newsroom.conftest import PASSWORD, article_data, client_for, page_data

MARKUP_ONLY = ["<b></b>", "<img src=x onerror=alert(1)>", "<script>alert(9)</script>", "&lt;b&gt;"]
EMPTIED = "لا يبقى منه نص بعد حذف الوسوم"


# -- the helpers, pure (no database) ----------------------------------------------


@pytest.mark.parametrize("value", [*MARKUP_ONLY, " <b> </b> ", "\u202e<i></i>\u200f"])
def test_a_value_of_only_markup_is_emptied_by_cleaning(value):
    assert emptied_by_cleaning(value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [("عنوان <b>فرعي</b>", "عنوان فرعي"), ("<script>x</script>خبر", "خبر"), ("", ""), ("  ", "  ")],
)
def test_a_value_with_text_is_cleaned_and_an_empty_one_left_to_the_required_check(value, expected):
    """Only a value that *had* text and loses it all is "emptied"; "" stays the
    field's own «required» business."""
    assert clean_text(value) == expected
    assert not emptied_by_cleaning(value)


@pytest.mark.parametrize("name", [*MARKUP_ONLY, "ـــ", "<b>ـ</b>"])
def test_a_tag_name_that_cleaning_or_normalising_empties_is_refused(name):
    with pytest.raises(ValidationError):
        clean_tag_name(name)


def test_a_tag_name_keeps_its_text():
    assert clean_tag_name("<b>الأمم</b> المتحدة") == "الأمم المتحدة"


def test_the_body_names_which_required_part_of_a_block_would_be_emptied():
    body = ArticleBodyBlock()
    child = body.child_blocks
    assert emptied_block_parts(child["heading"], "<b></b>") == [("", "عنوان فرعي")]
    assert emptied_block_parts(child["heading"], "عنوان") == []
    quote = {"text": "<img src=x onerror=alert(1)>", "attribution": "<b></b>"}
    # The attribution is optional: emptying it harms no one.
    assert emptied_block_parts(child["quote"], quote) == [("text", "نص الاقتباس")]
    assert emptied_block_parts(child["paragraph"], "<p><script>alert(1)</script></p>") == [
        ("", "فقرة")
    ]
    assert emptied_block_parts(child["paragraph"], "<p><b>نص</b></p>") == []
    image = {"image": None, "caption": "<b></b>", "credit": ""}
    assert emptied_block_parts(child["image"], image) == []


# -- through the admin, as an editor ----------------------------------------------


@pytest.fixture
def editors(politics):
    """The editor-in-chief (publishes) and an administrator (sections, authors)."""
    from sahafa.newsroom.accounts import save_newsroom_user

    return {
        role: save_newsroom_user(role, role, [], PASSWORD).user
        for role in ("editor_in_chief", "administrator")
    }


@pytest.fixture
def draft(politics, editors):
    from sahafa.news.structure import create_article

    def make(title):
        return create_article(politics, title=title, user=editors["editor_in_chief"], publish=False)

    return make


def edit(client, page, **fields):
    return client.post(
        reverse("wagtailadmin_pages:edit", args=[page.pk]),
        article_data(page.title, slug=page.slug, **fields),
    )


def body_errors(response) -> str:
    """The body field's errors, as Wagtail hands them to its block editor."""
    return str(response.context["form"].errors.as_data().get("body", [""])[0].as_json_data())


def stored_headings(page) -> list[str]:
    from wagtail.models import Revision

    return [
        block["value"]
        for revision in Revision.page_revisions.filter(object_id=str(page.pk))
        for block in revision.as_object().body.raw_data
        if block["type"] == "heading"
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("heading", ["<b></b>", "<img src=x onerror=alert(1)>"])
@pytest.mark.parametrize("action", [{}, {"action-publish": "1"}])
def test_a_markup_only_heading_is_refused_in_the_editor(editors, draft, heading, action):
    """Saving a draft (where Wagtail defers «required») and publishing alike: the
    heading would be saved empty, so it is refused and nothing new is stored."""
    page = draft("خبر بعنوان فرعي")
    revisions = page.revisions.count()
    body = streamfield([("heading", heading)])
    response = edit(client_for(editors["editor_in_chief"]), page, body=body, **action)
    assert response.status_code == 200
    assert "عنوان فرعي" in body_errors(response) and EMPTIED in body_errors(response)
    assert page.revisions.count() == revisions
    assert "" not in stored_headings(page)
    page.refresh_from_db()
    assert not page.live


@pytest.mark.django_db
def test_a_markup_only_quote_is_refused_at_its_text(editors, draft):
    page = draft("خبر باقتباس")
    revisions = page.revisions.count()
    quote = {"text": "<svg onload=alert(1)>", "attribution": "", "style": "inline"}
    response = edit(
        client_for(editors["editor_in_chief"]), page, body=streamfield([("quote", quote)])
    )
    assert response.status_code == 200
    assert "نص الاقتباس" in body_errors(response) and EMPTIED in body_errors(response)
    assert page.revisions.count() == revisions


@pytest.mark.django_db
def test_a_markup_only_title_is_refused_at_the_field(editors, draft):
    page = draft("خبر بعنوان")
    revisions = page.revisions.count()
    data = article_data("<b></b>", slug=page.slug)
    response = client_for(editors["editor_in_chief"]).post(
        reverse("wagtailadmin_pages:edit", args=[page.pk]), data
    )
    assert response.status_code == 200
    assert EMPTIED in " ".join(response.context["form"].errors["title"])
    assert page.revisions.count() == revisions
    page.refresh_from_db()
    assert page.title == "خبر بعنوان"


@pytest.mark.django_db
def test_a_markup_only_section_name_is_refused(editors, politics):
    response = client_for(editors["administrator"]).post(
        reverse("wagtailadmin_pages:edit", args=[politics.pk]),
        page_data(politics, title="<img src=x onerror=alert(1)>"),
    )
    assert response.status_code == 200
    assert EMPTIED in " ".join(response.context["form"].errors["title"])
    politics.refresh_from_db()
    assert politics.title == "سياسة"


@pytest.mark.django_db
def test_a_markup_only_author_name_is_refused_in_the_snippet_editor(editors):
    from sahafa.news.models import Author

    response = client_for(editors["administrator"]).post(
        reverse("wagtailsnippets_news_author:add"),
        {"name": "<script>alert(9)</script>", "slug": "", "job_title": "", "bio": ""},
    )
    assert response.status_code == 200
    assert EMPTIED in " ".join(response.context["form"].errors["name"])
    assert not Author.objects.exists()


# -- every other path: the pre_save gates -----------------------------------------


@pytest.mark.django_db
def test_code_that_saves_all_markup_is_refused_and_writes_nothing(politics):
    """The importers, the demo loader and a shell save without a form: the gate
    raises instead of saving the emptied value (the importer reports the record as
    failed with the message)."""
    from sahafa.news.models import ArticlePage, Author, NewsTag, TickerItem
    from sahafa.news.structure import create_article

    with pytest.raises(ValidationError):
        Author.objects.create(name="<b></b>")
    with pytest.raises(ValidationError):
        TickerItem.objects.create(text="<img src=x onerror=alert(1)>")
    with pytest.raises(ValidationError):
        NewsTag.objects.create(name="<script>alert(9)</script>")
    with pytest.raises(ValidationError):
        create_article(politics, title="خبر", body=[("heading", "<b></b>")])
    with pytest.raises(ValidationError):
        create_article(politics, title="خبر موسوم", tags=["<script>alert(9)</script>"])
    with pytest.raises(ValidationError):
        create_article(politics, title="<b></b>")
    assert not Author.objects.exists()
    assert not TickerItem.objects.exists()
    assert not NewsTag.objects.exists()
    assert not ArticlePage.objects.exists()


# -- an article saved empty before this rule --------------------------------------


@pytest.fixture
def emptied_article(politics, editors):
    """An article whose heading an earlier save emptied (as stored before the fix)."""
    from sahafa.news.models import ArticlePage
    from sahafa.news.structure import create_article

    page = create_article(
        politics,
        title="خبر قديم",
        body=[("paragraph", "<p>فقرة</p>"), ("heading", "عنوان")],
        user=editors["editor_in_chief"],
        publish=False,
    )
    raw = list(page.body.get_prep_value())
    raw[1]["value"] = ""
    ArticlePage.objects.filter(pk=page.pk).update(body=json.dumps(raw))
    revision = page.get_latest_revision()
    revision.content["body"] = json.dumps(raw)
    revision.save(update_fields=["content"])
    return ArticlePage.objects.get(pk=page.pk)


@pytest.mark.django_db
def test_publishing_an_article_with_an_emptied_heading_names_the_block(editors, emptied_article):
    """Decided: the next editor is told which block is empty and what to do (write
    it or delete it); the block is not dropped behind their back. A draft may still
    be saved (Wagtail defers «required» there); deleting the block, it publishes."""
    client = client_for(editors["editor_in_chief"])
    assert (
        client.get(reverse("wagtailadmin_pages:edit", args=[emptied_article.pk])).status_code == 200
    )
    stored = [("paragraph", rich_text("<p>فقرة</p>")), ("heading", "")]
    assert edit(client, emptied_article, body=streamfield(stored)).status_code == 302
    response = edit(client, emptied_article, body=streamfield(stored), **{"action-publish": "1"})
    assert response.status_code == 200
    errors = body_errors(response)
    assert "«عنوان فرعي» فارغ" in errors and "احذف" in errors
    emptied_article.refresh_from_db()
    assert not emptied_article.live
    # The workflow's approval and scheduled publishing publish the stored revision
    # without re-validating its body: they still can.
    emptied_article.get_latest_revision().publish()
    emptied_article.refresh_from_db()
    assert emptied_article.live

    response = edit(
        client, emptied_article, body=streamfield(stored[:1]), **{"action-publish": "1"}
    )
    assert response.status_code == 302
    emptied_article.refresh_from_db()
    assert [b.block_type for b in emptied_article.body] == ["paragraph"]
