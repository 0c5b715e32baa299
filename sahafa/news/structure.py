"""Building the page tree: the home page, sections and published articles.

Shared by the demo loader, the importers and the tests, so that every path that
creates content publishes it the same way (through a revision, firing the publish
event) and nothing half-made is left behind.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log
from wagtail.models import Page, Revision, Site
from wagtail.signals import page_published

from sahafa.arabic import slugify, unique_slug

from .models import ArticlePage, HomePage, SectionPage


def ensure_home(title: str = "الرئيسية") -> HomePage:
    """The one home page, made the default site's root (replacing Wagtail's welcome page)."""
    home = HomePage.objects.first()
    if home is not None:
        return home
    with transaction.atomic():
        root = Page.get_first_root_node()
        home = root.add_child(instance=HomePage(title=title, slug="sahafa-home", live=True))
        site = Site.objects.filter(is_default_site=True).first()
        old_root = site.root_page if site else None
        if site:
            site.root_page = home
            site.site_name = title
            site.save()
        else:
            Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True)
        if old_root is not None and old_root.specific_class is Page and old_root.depth == 2:
            old_root.delete()  # Wagtail's "Welcome" placeholder
    return home


def ensure_section(title: str, slug: str | None = None, intro: str = "") -> SectionPage:
    home = ensure_home()
    slug = slug or slugify(title)
    existing = SectionPage.objects.child_of(home).filter(slug=slug).first()
    if existing is None:
        existing = SectionPage.objects.child_of(home).filter(title=title).first()
    if existing is not None:
        return existing
    section = SectionPage(title=title, slug=slug, intro=intro)
    home.add_child(instance=section)
    section.save_revision().publish()
    return section


def free_slug(parent: Page, title: str) -> str:
    siblings = parent.get_children()
    return unique_slug(slugify(title), lambda s: siblings.filter(slug=s).exists())


def create_article(
    section: SectionPage,
    *,
    title: str,
    published_at: datetime | None = None,
    publish: bool = True,
    tags: list[str] | None = None,
    authors: list | None = None,
    user=None,
    **fields,
) -> ArticlePage:
    """Create an article under ``section`` with its first revision, published when asked.

    ``published_at`` becomes the first-published date (as for imported archives).
    A new page is written live in one step — the same end state as Wagtail's publish
    action (live revision, log entries, ``page_published``) at a third of the
    queries, which matters for archive imports; a future ``go_live_at`` goes through
    Wagtail's own scheduling instead. The whole creation is one transaction.
    """
    go_live_at = fields.get("go_live_at")
    scheduled = go_live_at is not None and go_live_at > timezone.now()
    live_now = publish and not scheduled
    when = published_at or timezone.now()
    with transaction.atomic():
        article = ArticlePage(
            title=title,
            draft_title=title,
            slug=fields.pop("slug", None) or free_slug(section, title),
            live=live_now,
            has_unpublished_changes=not live_now,
            first_published_at=when if live_now else None,
            last_published_at=when if live_now else None,
            section=section,
            owner=user,
            **fields,
        )
        if authors:
            article.authors.set(authors)
        if tags:
            article.tags.add(*tags)
        section.add_child(instance=article)
        revision = Revision.objects.create(
            content_object=article,
            base_content_type=article.get_base_content_type(),
            user=user,
            content=article.serializable_data(),
            object_str=str(article),
            approved_go_live_at=go_live_at if (publish and scheduled) else None,
        )
        Page.objects.filter(pk=article.pk).update(
            latest_revision=revision,
            latest_revision_created_at=revision.created_at,
            live_revision=revision if live_now else None,
        )
        article.latest_revision = revision
        article.latest_revision_created_at = revision.created_at
        article.live_revision = revision if live_now else None
        log(
            instance=article,
            action="wagtail.create",
            user=user,
            revision=revision,
            content_changed=True,
        )
        if live_now:
            log(
                instance=article,
                action="wagtail.publish",
                user=user,
                revision=revision,
                content_changed=True,
            )
            page_published.send(sender=ArticlePage, instance=article, revision=revision)
    return article
