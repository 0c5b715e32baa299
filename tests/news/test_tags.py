"""Tags without near-duplicates: the matching keys, the «هل تقصد» check and merging,
as news does them (the editor and the merge view: tests/newsroom/test_tags.py)."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("إيران", "ايران"),  # hamza
        ("الأمم المتحدة", "أمم متحدة"),  # ال
        ("الأمم المتحدة", "الامم المتحده"),  # hamza and taa marbuta
        ("عبد الله", "عبدالله"),  # spacing
        ("كرة القدم", "كرة  القدم"),  # doubled space
    ],
)
def test_spelling_variants_share_a_key(a, b):
    from sahafa.news.tags import tag_keys

    assert tag_keys(a) & tag_keys(b)


@pytest.mark.parametrize(
    ("a", "b"), [("إيران", "العراق"), ("الاقتصاد", "اقتصاد مصر"), ("سوريا", "روسيا")]
)
def test_different_tags_do_not_match(a, b):
    from sahafa.news.tags import tag_keys

    assert not tag_keys(a) & tag_keys(b)


def test_near_duplicates_name_the_existing_tag_or_an_earlier_new_one(db):
    from sahafa.news.models import NewsTag
    from sahafa.news.tags import near_duplicates

    NewsTag.objects.create(name="الأمم المتحدة")
    NewsTag.objects.create(name="إيران")
    assert near_duplicates(["إيران", "طاقة"]) == []
    assert near_duplicates(["أمم متحدة"]) == [("أمم متحدة", "الأمم المتحدة")]
    assert near_duplicates(["عبد الله", "عبدالله"]) == [("عبدالله", "عبد الله")]


def test_merge_moves_the_articles_and_leaves_a_redirect(make_article):
    from wagtail.contrib.redirects.models import Redirect

    from sahafa.news.models import ArticlePage, NewsTag
    from sahafa.news.tags import merge_tags

    one = make_article("خبر أول", tags=["ايران"])
    two = make_article("خبر ثان", tags=["ايران", "إيران"])
    old, keep = NewsTag.objects.get(name="ايران"), NewsTag.objects.get(name="إيران")
    old_path = old.get_absolute_url()

    assert merge_tags(old, keep) == sorted([one.pk, two.pk])
    assert not NewsTag.objects.filter(pk=old.pk).exists()
    assert set(ArticlePage.objects.tagged(keep).values_list("pk", flat=True)) == {one.pk, two.pk}
    redirect = Redirect.objects.get(old_path=Redirect.normalise_path(old_path))
    assert redirect.redirect_link == keep.get_absolute_url() and redirect.is_permanent
    with pytest.raises(ValueError):
        merge_tags(keep, keep)


def test_names_that_sanitising_would_empty_are_refused():
    from sahafa.news.tags import refused_tag_names, tag_name_errors

    names = ["إيران", "<script>alert(9)</script>", "", "<b></b>", "وسم <i>مائل</i>", "ـــ"]
    assert refused_tag_names(names) == ["<script>alert(9)</script>", "<b></b>", "ـــ"]
    errors = tag_name_errors(names)
    assert len(errors) == 3
    message = errors[0].messages[0]
    assert "لا يمكن إنشاء وسم من «<script>alert(9)</script>»" in message


def test_a_nameless_tag_is_merged_away_never_into(make_article):
    """A tag left nameless by a save before names were refused: the merge that
    removes it works; keeping it is refused and changes nothing."""
    from django.core.exceptions import ValidationError

    from sahafa.news.models import ArticlePage, NewsTag
    from sahafa.news.tags import merge_tags

    article = make_article("خبر", tags=["وسم مؤقت", "إيران"])
    nameless, named = NewsTag.objects.get(name="وسم مؤقت"), NewsTag.objects.get(name="إيران")
    NewsTag.objects.filter(pk=nameless.pk).update(name="")
    nameless.refresh_from_db()

    with pytest.raises(ValidationError):
        merge_tags(named, nameless)
    assert NewsTag.objects.filter(pk=named.pk).exists()

    assert merge_tags(nameless, named) == [article.pk]
    assert [t.name for t in ArticlePage.objects.get(pk=article.pk).tags.all()] == ["إيران"]
