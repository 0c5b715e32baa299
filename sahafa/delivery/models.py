"""What delivery keeps in the database: the readers' counted views (الأكثر قراءة).

Two tables, both written by :mod:`sahafa.delivery.most_read`:

- :class:`PendingView`: one row per counted view, as the beacon writes it (the
  database backend): a plain INSERT, the cheapest write that is safe under any
  concurrency on SQLite (WAL) and PostgreSQL alike. No foreign key: the beacon has
  already checked the article, and the worker's fold drops rows of articles gone
  since.
- :class:`ArticleViewCount`: views per article per hour, folded from the pending
  views (or from Redis) by the worker, and kept for eight days; the lists for the
  last 24 hours and 7 days are sums over them.

Nothing identifying is stored: no address, no User-Agent, no cookie.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class PendingView(models.Model):
    article_id = models.PositiveBigIntegerField(_("المقال"))
    hour = models.DateTimeField(_("الساعة"))  # of the view, minutes cut off

    class Meta:
        verbose_name = _("قراءة لم تُجمع بعد")
        verbose_name_plural = _("قراءات لم تُجمع بعد")

    def __str__(self) -> str:
        return f"{self.article_id} @ {self.hour:%Y-%m-%d %H:00}"


class ArticleViewCount(models.Model):
    article = models.ForeignKey(
        "news.ArticlePage", on_delete=models.CASCADE, related_name="+", verbose_name=_("المقال")
    )
    hour = models.DateTimeField(_("الساعة"))
    views = models.PositiveIntegerField(_("القراءات"), default=0)

    class Meta:
        verbose_name = _("قراءات مقال في ساعة")
        verbose_name_plural = _("قراءات المقالات بالساعة")
        constraints = [
            models.UniqueConstraint(fields=["article", "hour"], name="delivery_views_article_hour")
        ]
        indexes = [models.Index(fields=["hour"], name="delivery_views_hour")]

    def __str__(self) -> str:
        return f"{self.article_id} @ {self.hour:%Y-%m-%d %H:00}: {self.views}"
