"""Writing new imported articles quickly, with the same end state as ``create_article``.

``sahafa.news.structure.create_article`` goes through treebeard's ``add_child``,
Wagtail's ``full_clean`` and one ``log()`` call per log entry: about 45 queries per
article, most of them re-checking what an importer already knows (the parent
exists, the content type exists, the locale exists). An archive of tens of
thousands of items needs less. :func:`create_imported_article` writes the same
rows — the page in its tree position, its first revision, the ``wagtail.create``
(and ``wagtail.publish``) log entries — and sends the same ``page_published``
signal, in one transaction, with the validation the import actually needs (a
free slug among the siblings; the path, external id and slug are unique in the
database, so a concurrent writer makes the item fail cleanly, never corrupt).

Inside ``batched_changes()`` (an import run) a new live article is not announced
one by one with ``page_published``: its id joins the batch. The loader indexes
each batch of records for search in the batch's own transaction
(``flush_batch()``), and at the end of the run ``content_changed`` brings related
topics and the page cache up to date in bulk. Per-article indexing was half of an
import's time. Outside a batch the signal is sent as Wagtail would.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from modelcluster.models import get_all_child_m2m_relations, get_all_child_relations
from wagtail.models import Page, PageLogEntry, Revision
from wagtail.signals import page_published

from sahafa.arabic import slugify, unique_slug
from sahafa.news.models import ArticlePage, SectionPage
from sahafa.news.signals import collect_in_batch


class SectionCursor:
    """Where the next child of a section goes (treebeard materialised path).

    The section's last child is read once, then tracked in memory — instead of
    treebeard's lock-read-read for every page. If someone else adds a page to the
    section meanwhile (an editor in the admin), the unique path index refuses our
    next one: that item fails, the loader calls :meth:`forget`, and the next item
    reads the true last child again.
    """

    def __init__(self, section: SectionPage) -> None:
        self.section = section
        self.depth = section.depth + 1
        self._last: str | None = None

    def forget(self) -> None:
        self._last = None

    def next_path(self) -> str:
        if self._last is None:
            self._last = (
                Page.objects.filter(path__startswith=self.section.path, depth=self.depth)
                .order_by("-path")
                .values_list("path", flat=True)
                .first()
            ) or ""
        if not self._last:
            path = Page._get_path(self.section.path, self.depth, 1)
        else:
            path = Page(path=self._last, depth=self.depth)._inc_path()
        self._last = path
        return path


def free_child_slug(section: SectionPage, title: str) -> str:
    """The title's slug, numbered if a sibling has it — in one query.

    Archives repeat headlines («أسعار الذهب اليوم») hundreds of times; probing
    ``slug``, ``slug-2``, ``slug-3``… one query each grows with every copy, so the
    siblings' slugs sharing the stem are read at once.
    """
    base = slugify(title)
    prefix = base[:30]
    siblings = Page.objects.filter(path__startswith=section.path, depth=section.depth + 1)
    taken = set(siblings.filter(slug__startswith=prefix).values_list("slug", flat=True))

    def exists(slug: str) -> bool:
        if slug.startswith(prefix):
            return slug in taken
        return siblings.filter(slug=slug).exists()

    return unique_slug(base, exists)


_content_types: dict[str, ContentType] = {}


def _article_content_type() -> ContentType:
    # get_for_model caches too, but per-process state keeps the hot path query-free.
    if "article" not in _content_types:
        _content_types["article"] = ContentType.objects.get_for_model(ArticlePage)
    return _content_types["article"]


def create_imported_article(
    section: SectionPage,
    *,
    title: str,
    published_at: datetime | None = None,
    publish: bool = True,
    go_live_at: datetime | None = None,
    tags: list | None = None,
    authors: list | None = None,
    user=None,
    cursor: SectionCursor | None = None,
    **fields,
) -> ArticlePage:
    """Create an article under ``section`` with its first revision, published when asked.

        Same contract as :func:`sahafa.news.structure.create_article`: ``published_at``
        becomes the first-published date; a future ``go_live_at`` with ``publish`` leaves
        the page scheduled (the revision approved for that time); otherwise a published
        article is live at once and ``page_published`` is sent. ``tags`` may be tag
        names or ``NewsTag`` objects. ``cursor`` (one per section, kept by the caller
    across calls) saves reading the section's last child each time. Must run inside the caller's transaction or opens one.
    """
    scheduled = go_live_at is not None and go_live_at > timezone.now()
    live_now = publish and not scheduled
    when = published_at or timezone.now()
    with transaction.atomic():
        cursor = cursor or SectionCursor(section)
        article = ArticlePage(
            title=title,
            draft_title=title,
            slug=fields.pop("slug", None) or free_child_slug(section, title),
            live=live_now,
            has_unpublished_changes=not live_now,
            first_published_at=when if live_now else None,
            last_published_at=when if live_now else None,
            go_live_at=go_live_at,
            section=section,
            owner=user,
            locale_id=section.locale_id,
            path=cursor.next_path(),
            depth=cursor.depth,
            numchild=0,
            **fields,
        )
        if authors:
            article.authors.set(authors)
        if tags:
            article.tags.add(*tags)
        Page.objects.filter(pk=section.pk).update(numchild=F("numchild") + 1)
        article._cached_parent_obj = section  # for url_path, without a query
        article._is_site_root = False  # a new article never is; saves Wagtail's query
        # The children and m2m values as they are in memory now: after the save they
        # are exactly what is in the database, so the revision can be serialised
        # from memory instead of re-reading every relation.
        pending = {
            rel.get_accessor_name(): list(getattr(article, rel.get_accessor_name()).all())
            for rel in get_all_child_relations(article)
        }
        pending.update(
            {
                f.name: list(getattr(article, f.name).all())
                for f in get_all_child_m2m_relations(article)
            }
        )
        # Validation done above (slug) or guaranteed by the database (unique path,
        # external id); Wagtail's full_clean would re-query every foreign key.
        # log_action=None: the create entry is written below, with its revision.
        article.save(clean=False, log_action=None)
        article._cluster_related_objects = pending
        revision = Revision(
            content_object=article,
            base_content_type=article.get_base_content_type(),
            user=user,
            content=article.serializable_data(),
            object_str=title,
            approved_go_live_at=go_live_at if (publish and scheduled) else None,
        )
        revision.save()
        Page.objects.filter(pk=article.pk).update(
            latest_revision=revision,
            latest_revision_created_at=revision.created_at,
            live_revision=revision if live_now else None,
        )
        article.latest_revision = revision
        article.latest_revision_created_at = revision.created_at
        article.live_revision = revision if live_now else None
        actions = ["wagtail.create"]
        if live_now:
            actions.append("wagtail.publish")
        elif publish and scheduled:
            actions.append("wagtail.publish.scheduled")
        shared = uuid.uuid4()
        now = timezone.now()
        PageLogEntry.objects.bulk_create(
            [
                PageLogEntry(
                    content_type=_article_content_type(),
                    label=title,
                    action=action,
                    timestamp=now,
                    data=(
                        {"revision": {"id": revision.pk, "go_live_at": go_live_at.isoformat()}}
                        if action == "wagtail.publish.scheduled"
                        else {}
                    ),
                    user=user,
                    uuid=shared,
                    page=article,
                    revision=revision,
                    content_changed=True,
                )
                for action in actions
            ]
        )
        if live_now and not collect_in_batch([article.pk], "article"):
            page_published.send(sender=ArticlePage, instance=article, revision=revision)
    return article
