"""Lists follow the content: publish, edit, unpublish, delete; drafts never listed."""

from __future__ import annotations

from sahafa.news.models import ArticlePage
from sahafa.related.models import RelatedArticle

from .conftest import FOOTBALL, FOOTBALL_FOLLOWUP, TALKS, TALKS_FOLLOWUP


def stored(article) -> list[int]:
    return list(
        RelatedArticle.objects.filter(source_id=article.pk)
        .order_by("rank")
        .values_list("target_id", flat=True)
    )


def shown(article) -> list[int]:
    return [a.pk for a in ArticlePage.objects.get(pk=article.pk).related_articles()]


def test_publishing_puts_the_story_first_in_both_lists(publish, economy):
    talks = publish(TALKS)
    football = publish(FOOTBALL, section=economy)
    followup = publish(TALKS_FOLLOWUP)
    assert shown(talks)[0] == followup.pk
    assert shown(followup)[0] == talks.pk
    assert football.pk not in shown(talks)


def test_topic_follows_the_text(publish):
    talks = publish(TALKS)
    football = publish(FOOTBALL)
    football_followup = publish(FOOTBALL_FOLLOWUP)
    followup = publish(TALKS_FOLLOWUP)
    assert shown(football)[0] == football_followup.pk
    assert shown(talks)[0] == followup.pk


def test_edit_moves_an_article_between_lists(publish, changes):
    talks = publish(TALKS)
    football = publish(FOOTBALL)
    other = publish(FOOTBALL_FOLLOWUP)
    assert other.pk not in stored(talks)
    assert stored(football)[0] == other.pk
    # The editor rewrites the article into a follow-up of the talks story.
    page = ArticlePage.objects.get(pk=other.pk)
    page.title, body = TALKS_FOLLOWUP
    page.body = [("paragraph", f"<p>{p}</p>") for p in body.split("\n")]
    with changes():
        page.save_revision().publish()
    assert shown(talks)[0] == other.pk  # entered the talks list
    assert other.pk not in stored(football)  # and left the football one


def test_unpublish_removes_it_from_every_list(publish, changes):
    talks = publish(TALKS)
    followup = publish(TALKS_FOLLOWUP)
    assert followup.pk in stored(talks)
    with changes():
        ArticlePage.objects.get(pk=followup.pk).unpublish()
    assert followup.pk not in stored(talks)
    assert followup.pk not in shown(talks)
    assert not RelatedArticle.objects.filter(source_id=followup.pk).exists()
    # Re-publishing brings it back.
    with changes():
        ArticlePage.objects.get(pk=followup.pk).save_revision().publish()
    assert shown(talks)[0] == followup.pk


def test_drafts_are_never_listed(publish):
    talks = publish(TALKS)
    draft = publish(TALKS_FOLLOWUP, publish=False)
    assert draft.pk not in stored(talks)
    assert not RelatedArticle.objects.filter(target_id=draft.pk).exists()


def test_unpublished_without_the_event_is_still_hidden_from_readers(publish):
    """The read path filters through published(): a stale stored row cannot leak."""
    talks = publish(TALKS)
    followup = publish(TALKS_FOLLOWUP)
    ArticlePage.objects.filter(pk=followup.pk).update(live=False)  # no event fired
    assert followup.pk in stored(talks)
    assert followup.pk not in shown(talks)


def test_delete_reranks_the_lists_that_showed_it(publish, changes):
    talks = publish(TALKS)
    followup = publish(TALKS_FOLLOWUP)
    publish(FOOTBALL)
    assert stored(talks)[0] == followup.pk
    with changes():
        ArticlePage.objects.get(pk=followup.pk).delete()
    assert followup.pk not in stored(talks)
    assert not RelatedArticle.objects.filter(target_id=followup.pk).exists()


def test_reader_request_reads_stored_lists_only(publish, django_assert_max_num_queries):
    talks = publish(TALKS)
    publish(TALKS_FOLLOWUP)
    page = ArticlePage.objects.get(pk=talks.pk)
    from sahafa.related.providers import stored as provider

    with django_assert_max_num_queries(4):  # one for the list, prefetches for the cards
        result = provider(page, 6, set())
    assert [a.title for a in result] == [TALKS_FOLLOWUP[0]]
