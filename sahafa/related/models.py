"""Stored related topics: term statistics, per-article signatures, postings, ranked lists.

Everything here is derived from published articles and can be rebuilt from them
(``sahafa related --rebuild``). Readers only ever touch :class:`RelatedArticle`.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class TermStat(models.Model):
    """In how many indexed articles a term occurs (the ``df`` of BM25's idf)."""

    term = models.CharField(max_length=100, primary_key=True)
    df = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("إحصاء مصطلح")

    def __str__(self) -> str:
        return f"{self.term} ({self.df})"


class CorpusStat(models.Model):
    """A single row: how many articles are indexed and their total weighted length."""

    documents = models.PositiveIntegerField(default=0)
    total_length = models.FloatField(default=0.0)

    class Meta:
        verbose_name = _("إحصاء المدوّنة")

    def __str__(self) -> str:
        return f"{self.documents} articles"

    @classmethod
    def get(cls) -> CorpusStat:
        return cls.objects.get_or_create(pk=1)[0]


# The engine's rows outlive a deleted article until the publishing task that follows
# the delete removes them (``store.refresh``): it needs them to take the article's
# terms out of the statistics and to re-rank the lists that showed it. So no database
# cascade; readers never see such a row, as every read joins ``published()``.
def _article_key(**kwargs):
    return models.ForeignKey(
        "news.ArticlePage", on_delete=models.DO_NOTHING, db_constraint=False, **kwargs
    )


class ArticleProfile(models.Model):
    """What the engine keeps of one indexed article: enough to rank without re-reading it."""

    article = models.OneToOneField(
        "news.ArticlePage",
        primary_key=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    day = models.IntegerField()  # date.toordinal() of the publication date
    section_id = models.BigIntegerField(null=True)
    authors = models.JSONField(default=list)
    length = models.FloatField()
    # Distinct terms, space-separated: what to take back out of TermStat on edit/unpublish.
    terms = models.TextField()
    signature = models.JSONField(default=dict)
    fingerprint = models.JSONField(default=list)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("بصمة مقال")

    def __str__(self) -> str:
        return f"profile of {self.article_id}"


class Posting(models.Model):
    """One signature term of one article: the inverted index that finds candidates."""

    term = models.CharField(max_length=100)
    article = _article_key(related_name="+")
    weight = models.FloatField()
    # Copied from the profile so matching can score recency and section from the postings alone.
    day = models.IntegerField()
    section_id = models.BigIntegerField(null=True)

    class Meta:
        verbose_name = _("مدخل فهرس")
        indexes = [models.Index(fields=["term"], name="related_posting_term")]

    def __str__(self) -> str:
        return f"{self.term} → {self.article_id}"


class RelatedArticle(models.Model):
    """One entry of an article's computed related list (best first by ``rank``)."""

    source = _article_key(related_name="related_computed")
    target = _article_key(related_name="related_incoming")
    rank = models.PositiveSmallIntegerField()
    score = models.FloatField()

    class Meta:
        verbose_name = _("موضوع متعلق")
        verbose_name_plural = _("موضوعات متعلقة")
        ordering = ["source", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["source", "rank"], name="related_unique_rank"),
            models.UniqueConstraint(fields=["source", "target"], name="related_unique_target"),
        ]

    def __str__(self) -> str:
        return f"{self.source_id} → {self.target_id} (#{self.rank})"
