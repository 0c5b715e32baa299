"""Turn Wagtail's page events and ticker/settings saves into ``content_changed``."""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from wagtail.signals import page_published, page_unpublished, post_page_move

from .context_processors import forget_nav
from .models import ArticlePage, Author, NewsTag, OutletSettings, SectionPage, TickerItem
from .signals import (
    METADATA_KIND,
    collect_in_batch,
    content_changed,
    name_changed,
    remember_saved,
)
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


# The name of each model that derived data (search index, related signatures, cached
# pages) copies into its articles: renaming one must reach every live article.
RENAMED_FIELDS = {Author: "name", NewsTag: "name", SectionPage: "title"}


def remember_stored_name(sender, instance, raw=False, update_fields=None, **kwargs):
    """Before an author, tag or section is saved, note the name its row holds now
    (one query, and only when the save may write the name)."""
    field = RENAMED_FIELDS[sender]
    if raw or instance.pk is None or (update_fields is not None and field not in update_fields):
        return
    stored = sender.objects.filter(pk=instance.pk).values_list(field, flat=True).first()
    instance._sahafa_stored_name = stored


def on_renamed(sender, instance, created=False, raw=False, **kwargs):
    """A renamed author, tag or section (a section's row holds its *published* title):
    send ``name_changed`` now, and announce its live articles, kind ``metadata``, once
    the rename has committed.

    Sent directly rather than folded into a running batch, whose single end event
    receivers treat as an ``article`` change."""
    stored = instance.__dict__.pop("_sahafa_stored_name", None)
    field = RENAMED_FIELDS[sender]
    if created or raw or stored is None or stored == getattr(instance, field):
        return
    name_changed.send(sender=sender, instance=instance, old_name=stored)
    announce_metadata(sender, live_article_ids(sender, instance))


def live_article_ids(sender, instance) -> list[int]:
    """The live articles that copy ``instance``'s name (an author, tag or section)."""
    live = ArticlePage.objects.live()
    if sender is Author:
        live = live.filter(authors=instance)
    elif sender is NewsTag:
        live = live.filter(tagged_items__tag=instance)
    else:
        live = live.filter(section=instance)
    return sorted(set(live.values_list("pk", flat=True)))


def announce_metadata(sender, ids: list[int]) -> None:
    if ids:
        transaction.on_commit(
            lambda: content_changed.send(sender=sender, article_ids=ids, kind=METADATA_KIND)
        )


def on_name_deleted(sender, instance, **kwargs):
    """A deleted author or tag: its live articles lose the name once the delete commits
    (collected before the delete, while the links still exist)."""
    announce_metadata(sender, live_article_ids(sender, instance))


def connect() -> None:
    for model in RENAMED_FIELDS:
        uid = f"sahafa.news.renamed.{model._meta.model_name}"
        pre_save.connect(remember_stored_name, sender=model, dispatch_uid=f"{uid}.pre")
        post_save.connect(on_renamed, sender=model, dispatch_uid=uid)
    for model in (Author, NewsTag):
        uid = f"sahafa.news.name_deleted.{model._meta.model_name}"
        pre_delete.connect(on_name_deleted, sender=model, dispatch_uid=uid)
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
