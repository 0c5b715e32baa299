"""Turn Wagtail's page events and ticker/settings saves into ``content_changed``.

Every handler here runs inside the transaction that made the change, after the
change is written (``page_published``, ``page_unpublished``, ``post_page_move``,
``post_delete``, ``post_save``), and does one thing: announce it
(:func:`sahafa.news.signals.announce`). What follows — search, related topics, the
page cache — is one durable task that ``sahafa.publishing`` enqueues on hearing it.
"""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from .models import ArticlePage, Author, NewsTag, OutletSettings, SectionPage, TickerItem
from .signals import ChangeKind, announce, name_changed, remember_saved


def _specific(instance):
    return instance.specific if hasattr(instance, "specific") else instance


def _announce_page(instance) -> None:
    page = _specific(instance)
    if isinstance(page, ArticlePage):
        announce([page.pk], ChangeKind.ARTICLE)
    else:
        announce([], ChangeKind.PAGE)


def on_page_published(sender, instance, **kwargs):
    _announce_page(instance)


def on_page_unpublished(sender, instance, **kwargs):
    # Wagtail also sends page_unpublished from pre_delete, for a live page about to
    # be deleted: it unpublishes in memory only (the row is still live), and the
    # post_delete handlers below announce the deletion itself.
    if type(instance).objects.filter(pk=instance.pk, live=True).exists():
        return
    _announce_page(instance)


def on_page_moved(sender, instance, **kwargs):
    page = _specific(instance)
    if isinstance(page, ArticlePage):
        parent = kwargs.get("parent_page_after")
        if parent is not None:
            ArticlePage.objects.filter(pk=page.pk).update(section_id=parent.pk)
        announce([page.pk], ChangeKind.ARTICLE)
    else:
        announce([], ChangeKind.PAGE)


def on_article_deleted(sender, instance, **kwargs):
    announce([instance.pk], ChangeKind.ARTICLE)


def on_section_deleted(sender, instance, **kwargs):
    announce([], ChangeKind.PAGE)


def on_article_saved(sender, instance, raw=False, **kwargs):
    """Keep the admin's page search current (deferred to the end of a bulk import)."""
    if raw or remember_saved(instance.pk):
        return
    from modelsearch.tasks import insert_or_update_object_task

    insert_or_update_object_task.enqueue("news", "articlepage", str(instance.pk))


def on_article_removed(sender, instance, **kwargs):
    from wagtail.search import index

    index.remove_object(instance)


def on_view_restriction_changed(sender, instance, **kwargs):
    """A page made private or public again (Wagtail's privacy setting): its live
    articles, and the articles under it, leave or rejoin every reader path."""
    page = Page.objects.filter(pk=instance.page_id).first()
    if page is None:  # deleted with its page: the page's own deletion is announced
        return
    ids = (
        ArticlePage.objects.live().descendant_of(page, inclusive=True).values_list("pk", flat=True)
    )
    announce(list(ids), ChangeKind.ARTICLE)
    if not issubclass(page.specific_class or Page, ArticlePage):
        announce([], ChangeKind.PAGE)  # a section or home: its own listing changed too


def on_ticker_changed(sender, instance, **kwargs):
    announce([], ChangeKind.TICKER, sender=sender)


def on_settings_changed(sender, instance, **kwargs):
    announce([], ChangeKind.SETTINGS, sender=sender)


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
    send ``name_changed``, and announce its live articles, kind METADATA."""
    stored = instance.__dict__.pop("_sahafa_stored_name", None)
    field = RENAMED_FIELDS[sender]
    if created or raw or stored is None or stored == getattr(instance, field):
        return
    name_changed.send(sender=sender, instance=instance, old_name=stored)
    announce(live_article_ids(sender, instance), ChangeKind.METADATA, sender=sender)


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


def remember_named_articles(sender, instance, **kwargs):
    """Before an author or tag is deleted, note its live articles (the links go with it)."""
    instance._sahafa_named_articles = live_article_ids(sender, instance)


def on_name_deleted(sender, instance, **kwargs):
    """A deleted author or tag: its live articles lose the name."""
    ids = instance.__dict__.pop("_sahafa_named_articles", [])
    announce(ids, ChangeKind.METADATA, sender=sender)


def connect() -> None:
    for model in RENAMED_FIELDS:
        uid = f"sahafa.news.renamed.{model._meta.model_name}"
        pre_save.connect(remember_stored_name, sender=model, dispatch_uid=f"{uid}.pre")
        post_save.connect(on_renamed, sender=model, dispatch_uid=uid)
    for model in (Author, NewsTag):
        uid = f"sahafa.news.name_deleted.{model._meta.model_name}"
        pre_delete.connect(remember_named_articles, sender=model, dispatch_uid=f"{uid}.pre")
        post_delete.connect(on_name_deleted, sender=model, dispatch_uid=uid)
    page_published.connect(on_page_published, dispatch_uid="sahafa.news.published")
    page_unpublished.connect(on_page_unpublished, dispatch_uid="sahafa.news.unpublished")
    post_page_move.connect(on_page_moved, dispatch_uid="sahafa.news.moved")
    post_delete.connect(on_article_deleted, sender=ArticlePage, dispatch_uid="sahafa.news.deleted")
    post_delete.connect(on_section_deleted, sender=SectionPage, dispatch_uid="sahafa.news.sec.del")
    post_save.connect(on_article_saved, sender=ArticlePage, dispatch_uid="sahafa.news.admin_index")
    post_delete.connect(
        on_article_removed, sender=ArticlePage, dispatch_uid="sahafa.news.admin_unindex"
    )
    for signal in (post_save, post_delete):
        signal.connect(
            on_view_restriction_changed,
            sender=PageViewRestriction,
            dispatch_uid=f"sahafa.news.privacy.{signal is post_save}",
        )
    post_save.connect(on_ticker_changed, sender=TickerItem, dispatch_uid="sahafa.news.ticker")
    post_delete.connect(on_ticker_changed, sender=TickerItem, dispatch_uid="sahafa.news.ticker.del")
    post_save.connect(
        on_settings_changed, sender=OutletSettings, dispatch_uid="sahafa.news.settings"
    )
