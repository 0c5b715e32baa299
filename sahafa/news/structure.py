"""Building the page tree: the home page, sections and published articles.

Shared by the demo loader, the importers and the tests, so that every path that
creates content publishes it the same way (through a revision, firing the publish
event) and nothing half-made is left behind.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from wagtail.models import Page, Site

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
    """Create an article under ``section``; publish it through a revision when asked.

    ``published_at`` becomes the first-published date (as for imported archives);
    the whole creation is one transaction.
    """
    with transaction.atomic():
        article = ArticlePage(
            title=title,
            slug=fields.pop("slug", None) or free_slug(section, title),
            first_published_at=published_at if publish else None,
            live=False,
            section=section,
            owner=user,
            **fields,
        )
        section.add_child(instance=article)
        if authors:
            article.authors.set(authors)
        if tags:
            article.tags.add(*tags)
        revision = article.save_revision(user=user, log_action=True)
        if publish:
            revision.publish(user=user)
            if published_at is not None:
                ArticlePage.objects.filter(pk=article.pk).update(last_published_at=published_at)
                article.last_published_at = published_at
    return article
