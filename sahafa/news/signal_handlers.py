"""Turn Wagtail's page events and ticker/settings saves into ``content_changed``."""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_delete
from wagtail.signals import page_published, page_unpublished, post_page_move

from .context_processors import forget_nav
from .models import ArticlePage, OutletSettings, SectionPage, TickerItem
from .signals import collect_in_batch, content_changed, remember_saved
from .ticker import forget_ticker


def announce(article_ids: list[int], kind: str) -> None:
    """Send ``content_changed`` once the surrounding transaction has committed
    (or, inside ``batched_changes()``, once at the end of the batch)."""
    ids = list(article_ids)
    if collect_in_batch(ids, kind):
        return
    transaction.on_commit(
        lambda: content_changed.send(sender=ArticlePage, article_ids=ids, kind=kind)
    )


def on_page_event(sender, instance, **kwargs):
    page = instance.specific if hasattr(instance, "specific") else instance
    if isinstance(page, ArticlePage):
        announce([page.pk], "article")
    elif isinstance(page, SectionPage):
        announce([], "section")
    else:
        announce([], "page")


def on_page_moved(sender, instance, **kwargs):
    page = instance.specific
    if isinstance(page, ArticlePage):
        parent = kwargs.get("parent_page_after")
        if parent is not None:
            ArticlePage.objects.filter(pk=page.pk).update(section_id=parent.pk)
        announce([page.pk], "article")


def on_article_deleted(sender, instance, **kwargs):
    announce([instance.pk], "article")


def on_article_saved(sender, instance, raw=False, **kwargs):
    """Keep the admin's page search current (deferred to the end of a bulk import)."""
    if raw or remember_saved(instance.pk):
        return
    from modelsearch.tasks import insert_or_update_object_task

    insert_or_update_object_task.enqueue("news", "articlepage", str(instance.pk))


def on_article_removed(sender, instance, **kwargs):
    from wagtail.search import index

    index.remove_object(instance)


def on_ticker_changed(sender, instance, **kwargs):
    announce([], "ticker")


def on_settings_changed(sender, instance, **kwargs):
    announce([], "settings")


def connect() -> None:
    page_published.connect(on_page_event, dispatch_uid="sahafa.news.published")
    page_unpublished.connect(on_page_event, dispatch_uid="sahafa.news.unpublished")
    post_page_move.connect(on_page_moved, dispatch_uid="sahafa.news.moved")
    pre_delete.connect(on_article_deleted, sender=ArticlePage, dispatch_uid="sahafa.news.deleted")
    post_save.connect(on_article_saved, sender=ArticlePage, dispatch_uid="sahafa.news.admin_index")
    post_delete.connect(
        on_article_removed, sender=ArticlePage, dispatch_uid="sahafa.news.admin_unindex"
    )
    post_save.connect(on_ticker_changed, sender=TickerItem, dispatch_uid="sahafa.news.ticker")
    post_delete.connect(on_ticker_changed, sender=TickerItem, dispatch_uid="sahafa.news.ticker.del")
    post_save.connect(
        on_settings_changed, sender=OutletSettings, dispatch_uid="sahafa.news.settings"
    )
    content_changed.connect(forget_ticker, dispatch_uid="sahafa.news.ticker.forget")
    content_changed.connect(forget_nav, dispatch_uid="sahafa.news.nav.forget")
