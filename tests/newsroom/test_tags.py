"""Tags without duplicates in the newsroom's editor: «هل تقصد: …؟» before a
near-duplicate is created; merging by administrators leaves a redirect from the old
tag's address. (The matching keys themselves: tests/news/test_tags.py.)"""

from __future__ import annotations

import pytest
from django.urls import reverse

from .conftest import article_data, client_for


def post_tags(client, page, tags, **fields):
    """Tags as the admin's tag widget sends them: comma-separated, multi-word ones quoted."""
    return client.post(
        reverse("wagtailadmin_pages:edit", args=[page.pk]),
        article_data(page.title, slug=page.slug, tags=tags, **fields),
    )


def draft_tags(page) -> list[str]:
    draft = type(page).objects.get(pk=page.pk).get_latest_revision_as_object()
    return sorted(t.name for t in draft.tags.all())


def test_near_duplicate_tag_asks_did_you_mean(newsroom, draft):
    from sahafa.news.models import NewsTag

    NewsTag.objects.create(name="الأمم المتحدة")
    page = draft(newsroom["reporter"], "اجتماع في نيويورك")
    response = post_tags(client_for(newsroom["reporter"]), page, '"أمم متحدة"')
    assert response.status_code == 200
    assert "هل تقصد: الأمم المتحدة؟" in response.text
    assert not NewsTag.objects.filter(name="أمم متحدة").exists()


def test_confirming_creates_the_new_tag(newsroom, draft):
    from sahafa.news.models import NewsTag

    NewsTag.objects.create(name="الأمم المتحدة")
    page = draft(newsroom["reporter"], "اجتماع في نيويورك")
    response = post_tags(
        client_for(newsroom["reporter"]), page, '"أمم متحدة"', confirm_new_tags="on"
    )
    assert response.status_code == 302
    assert NewsTag.objects.filter(name="أمم متحدة").exists()


def test_existing_and_unrelated_tags_pass(newsroom, draft):
    from sahafa.news.models import NewsTag

    NewsTag.objects.create(name="إيران")
    page = draft(newsroom["reporter"], "خبر")
    response = post_tags(client_for(newsroom["reporter"]), page, "إيران, طاقة")
    assert response.status_code == 302
    assert draft_tags(page) == ["إيران", "طاقة"]
    assert NewsTag.objects.count() == 2


def test_display_variant_of_an_existing_tag_reuses_it(newsroom, draft):
    """A tatweel is no new tag: the name is display-normalised and the existing tag is used."""
    from sahafa.news.models import NewsTag

    NewsTag.objects.create(name="إيران")
    page = draft(newsroom["reporter"], "خبر")
    response = post_tags(client_for(newsroom["reporter"]), page, "إيـــران")
    assert response.status_code == 302
    assert draft_tags(page) == ["إيران"]
    assert NewsTag.objects.count() == 1


def test_two_new_variants_in_one_submission_are_questioned(newsroom, draft):
    page = draft(newsroom["reporter"], "خبر")
    response = post_tags(client_for(newsroom["reporter"]), page, "عبد الله, عبدالله")
    assert response.status_code == 200
    assert "هل تقصد: عبد الله؟" in response.text


def test_merge_moves_articles_and_redirects_the_old_address(newsroom, make_article, client):
    from wagtail.contrib.redirects.models import Redirect

    from sahafa.news.models import ArticlePage, NewsTag

    one = make_article("خبر أول", tags=["ايران"])
    two = make_article("خبر ثان", tags=["ايران", "إيران"])
    make_article("خبر ثالث", tags=["إيران"])
    old, keep = NewsTag.objects.get(name="ايران"), NewsTag.objects.get(name="إيران")
    old_url, old_slug = old.get_absolute_url(), old.slug

    admin = client_for(newsroom["administrator"])
    page = admin.get(reverse("newsroom_merge_tags"))
    assert "ايران" in page.text  # offered as a likely duplicate
    response = admin.post(reverse("newsroom_merge_tags"), {"duplicate": old.pk, "keep": keep.pk})
    assert response.status_code == 302

    assert not NewsTag.objects.filter(slug=old_slug).exists()
    assert set(ArticlePage.objects.tagged(keep).values_list("pk", flat=True)) >= {one.pk, two.pk}
    assert [t.name for t in two.tags.all()] == ["إيران"]
    assert Redirect.objects.filter(redirect_link=keep.get_absolute_url()).exists()
    # Readers following the old address land on the kept tag.
    followed = client.get(old_url)
    assert followed.status_code == 301
    assert followed["Location"] == keep.get_absolute_url()
    # Rolling back an article never resurrects the deleted tag.
    restored = ArticlePage.objects.get(pk=one.pk).get_latest_revision_as_object()
    assert [t.name for t in restored.tags.all()] == ["إيران"]


def test_merge_is_refused_to_non_administrators(newsroom):
    from sahafa.news.models import NewsTag

    old, keep = NewsTag.objects.create(name="ايران"), NewsTag.objects.create(name="إيران")
    response = client_for(newsroom["editor_in_chief"]).post(
        reverse("newsroom_merge_tags"), {"duplicate": old.pk, "keep": keep.pk}
    )
    assert response.status_code in (302, 403)
    assert NewsTag.objects.filter(pk=old.pk).exists()


# Issue 12: a name sanitising would empty is refused where it is typed (the article
# form's tag field), with a message, before the tag's save-time gate would raise.


@pytest.mark.parametrize("confirm", [{}, {"confirm_new_tags": "on"}])
def test_a_tag_of_only_markup_is_refused_in_the_editor(newsroom, draft, confirm):
    from sahafa.news.models import NewsTag

    page = draft(newsroom["reporter"], "خبر موسوم")
    revisions = page.revisions.count()
    response = post_tags(
        client_for(newsroom["reporter"]), page, "<script>alert(9)</script>, طاقة", **confirm
    )
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["tags"])
    assert "لا يمكن إنشاء وسم من «<script>alert(9)</script>»" in errors
    assert not NewsTag.objects.exists()  # neither the empty one nor its neighbour
    assert page.revisions.count() == revisions


def test_merging_into_a_nameless_tag_is_refused_and_recorded_nowhere(newsroom, make_article):
    from django.core.exceptions import ValidationError

    from sahafa.news.models import NewsTag
    from sahafa.newsroom.models import AuditEvent
    from sahafa.newsroom.tags import merge_tags

    make_article("خبر", tags=["وسم مؤقت", "إيران"])
    nameless, named = NewsTag.objects.get(name="وسم مؤقت"), NewsTag.objects.get(name="إيران")
    NewsTag.objects.filter(pk=nameless.pk).update(name="")  # as a save before the fix left it
    nameless.refresh_from_db()
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationError):
        merge_tags(named, nameless, user=newsroom["administrator"])
    assert NewsTag.objects.filter(pk=named.pk).exists()
    assert AuditEvent.objects.count() == events
