"""Building the page tree: the home page, sections and published articles.

Shared by the demo loader, the importers, bulk jobs and the tests, so that every
path that creates content publishes it the same way — Wagtail's, through a revision
and its publish, firing the publish event — and nothing half-made is left behind.
``create_live_article`` is the second path, for speed, beside the first: bulk
imports of new articles that go live at once; it leaves every other case to
``create_article`` and is held by the same tests to the same end state.
"""

from __future__ import annotations

import logging
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from wagtail.log_actions import log
from wagtail.models import Page, Site
from wagtail.signals import page_published, published

from sahafa.arabic import slugify, unique_slug

from .addresses import site_address
from .models import ArticlePage, HomePage, SectionPage
from .reserved import free_section_slug

logger = logging.getLogger("sahafa.news")

#: Attempts at adding one page to the tree when its path is taken meanwhile.
TREE_WRITE_ATTEMPTS = 5


def _path_collision(exc: IntegrityError | ValidationError) -> bool:
    """The page's tree path is taken: seen by Wagtail's ``full_clean`` when the other
    page is already committed (a ValidationError on ``path``), by the database's unique
    index when it commits meanwhile (SQLite: "UNIQUE constraint failed:
    wagtailcore_page.path"; PostgreSQL: '… unique constraint "wagtailcore_page_path_key"')."""
    if isinstance(exc, ValidationError):
        return hasattr(exc, "error_dict") and "path" in exc.error_dict
    return "path" in str(exc)


def add_to_tree(parent: Page, instance: Page) -> Page:
    """``parent.add_child(instance=instance)``, safe beside other writers under the
    same parent (two imports at once, an import and an editor).

    Treebeard computes the new page's path from the parent's last child, under a
    lock on the parent row (``select_for_update``: it serialises tree writes per
    parent on PostgreSQL; SQLite serialises all writes). A writer that still reads a
    stale last child — no row lock on the database, a path read before the other's
    commit — computes a path that is taken, and its insert fails on the unique path.
    Each attempt is a savepoint, so such a failure costs nothing else of the
    caller's transaction; it is retried with the parent read afresh.
    """
    for attempt in range(1, TREE_WRITE_ATTEMPTS + 1):
        try:
            with transaction.atomic():
                return parent.add_child(instance=instance)
        except (IntegrityError, ValidationError) as exc:
            if attempt == TREE_WRITE_ATTEMPTS or not _path_collision(exc):
                raise
            logger.info("page path taken under %s, retrying (%s): %s", parent.pk, attempt, exc)
            # Rolled back with the savepoint: the parent's child count (which
            # treebeard also raised in memory) and the page's place in the tree.
            parent.refresh_from_db(fields=["path", "depth", "numchild"])
            instance.pk = instance.id = None
            instance.path, instance.depth = "", None
            instance._state.adding = True
    raise AssertionError("unreachable")  # the loop returns or raises


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
        # The site answers at SAHAFA_BASE_URL, not at Wagtail's migration default
        # (localhost:80): the admin's "view live" links and Wagtail's full URLs then
        # name the address readers use.
        hostname, port = site_address()
        if site:
            site.root_page = home
            site.site_name = title
            site.hostname, site.port = hostname, port
            site.save()
        else:
            Site.objects.create(hostname=hostname, port=port, root_page=home, is_default_site=True)
        if old_root is not None and old_root.specific_class is Page and old_root.depth == 2:
            old_root.delete()  # Wagtail's "Welcome" placeholder
    return home


def ensure_section(title: str, slug: str | None = None, intro: str = "") -> SectionPage:
    home = ensure_home()
    # A title's own slug that a route of the site owns (an archive's «Media»
    # category) is numbered; a slug given by the caller is theirs to choose.
    slug = slug or free_section_slug(slugify(title))
    existing = SectionPage.objects.child_of(home).filter(slug=slug).first()
    if existing is None:
        existing = SectionPage.objects.child_of(home).filter(title=title).first()
    if existing is not None:
        return existing
    section = SectionPage(title=title, slug=slug, intro=intro)
    try:
        with transaction.atomic():
            add_to_tree(home, section)
    except ValidationError:
        # Another writer (a second import) made this section a moment ago: the slug
        # is taken by it. Use theirs; anything else is a real error.
        existing = SectionPage.objects.child_of(home).filter(slug=slug).first()
        if existing is None:
            raise
        return existing
    section.save_revision().publish()
    return section


def free_slug(parent: Page, title: str) -> str:
    """The title's slug, numbered if a sibling has it (``-2``, ``-3``…) — in one query.

    Archives repeat headlines («أسعار الذهب اليوم») hundreds of times; probing
    ``slug``, ``slug-2``, ``slug-3``… one query each would grow with every copy, so
    the siblings' slugs sharing the stem are read at once. Wagtail checks the slug
    again when the page is saved, so a sibling added meanwhile fails the save
    rather than duplicating a URL.
    """
    base = slugify(title)
    prefix = base[:30]
    siblings = parent.get_children()
    taken = set(siblings.filter(slug__startswith=prefix).values_list("slug", flat=True))

    def exists(slug: str) -> bool:
        if slug.startswith(prefix):
            return slug in taken
        return siblings.filter(slug=slug).exists()

    return unique_slug(base, exists)


def _new_article(section, title, *, user, tags, authors, fields, **state) -> ArticlePage:
    """The unsaved article both creation paths add to the tree (``state``: live and dates)."""
    article = ArticlePage(
        title=title,
        slug=fields.pop("slug", None) or free_slug(section, title),
        owner=user,
        # The section's, as Wagtail would read it from the parent (one query less).
        locale_id=section.locale_id,
        section=section,
        **state,
        **fields,
    )
    if authors:
        article.authors.set(authors)
    if tags:
        article.tags.add(*tags)
    return article


def create_article(
    section: SectionPage,
    *,
    title: str,
    published_at: datetime | None = None,
    publish: bool = True,
    tags: list | None = None,
    authors: list | None = None,
    user=None,
    **fields,
) -> ArticlePage:
    """Create an article under ``section`` with its first revision, published when asked.

    The one way Sahafa creates an article — the demo, the importers, bulk jobs and
    the tests all come here — and it is Wagtail's own, through its public API, in
    the order of the admin's create view: the page is added to the tree as a draft
    (``add_child``: its position, ``wagtail.create`` log entry), its first revision
    saved (``wagtail.edit``) and, with ``publish``, that revision published
    (``revision.publish()``: live revision, ``wagtail.publish`` log entry,
    ``page_published`` — which ``news`` turns into ``content_changed``, collected
    by a running ``batched_changes()``). A future ``go_live_at`` leaves the article
    scheduled the Wagtail way (the revision approved for that time, a
    ``wagtail.publish.schedule`` entry); the worker's scheduled publishing makes it
    live then. An article under embargo without a go-live time at or after the
    embargo's end is kept a draft, as the admin keeps it (the model's
    ``embargo_holds()``, the one embargo rule).

    ``published_at`` is the archive's date for an item published elsewhere long ago:
    it becomes the first (and last) published date instead of the moment of the
    import. ``tags`` are tag names or ``NewsTag`` objects, ``authors`` ``Author``
    objects; ``fields`` are any other ``ArticlePage`` fields. ``user`` is recorded
    as owner and on the revision and log entries; whether they may create and
    publish here is the caller's decision (the admin's permissions, the import
    permission, the demo), so Wagtail's publish-permission check is not repeated.

    What is skipped, through Wagtail's documented flags only: the revision is saved
    with ``clean=False`` because the publish that follows validates the page in
    full (``full_clean`` on save), and a draft was already checked by the tree save
    (title, slug); inside ``batched_changes()`` Wagtail's reference index is updated
    per batch, not per page. The whole creation is one transaction (a savepoint
    inside the caller's).
    """
    with transaction.atomic():
        # A draft first, as the admin's create view saves it: the tree save then
        # validates only what a draft needs; the publish validates it all.
        article = _new_article(
            section, title, user=user, tags=tags, authors=authors, fields=fields, live=False
        )
        publish = publish and article.embargo_holds() is None
        live_now = publish and not _scheduled(article.go_live_at, timezone.now())
        if live_now:
            article.first_published_at = published_at
        add_to_tree(section, article)
        revision = article.save_revision(user=user, log_action=True, clean=False)
        if publish:
            revision.publish(user=user, skip_permission_checks=True)
            if live_now and published_at is not None:
                # Wagtail stamps the last publication with the moment of this call; an
                # archive item was last published at its own date (readers would see
                # «updated today» on a story from 2019, and feeds would list it as new).
                ArticlePage.objects.filter(pk=article.pk).update(last_published_at=published_at)
        article.refresh_from_db()
    return article


def _scheduled(moment: datetime | None, now: datetime) -> bool:
    return moment is not None and moment > now


def create_live_article(
    section: SectionPage,
    *,
    title: str,
    published_at: datetime | None = None,
    publish: bool = True,
    tags: list | None = None,
    authors: list | None = None,
    user=None,
    **fields,
) -> ArticlePage:
    """``create_article`` for bulk imports of new articles live at once: the same
    arguments, the same end state, about half the work.

    Only a new article that goes live now is made here; anything else — a draft
    (``publish=False``), a future ``go_live_at`` (Wagtail's scheduling), an embargo
    that holds (kept a draft) — is handed to ``create_article`` unchanged.

    The article is written live in one tree save (``add_child``, which validates it
    in full, ``full_clean``, live as it is, and logs ``wagtail.create``), its first
    revision saved from it (``save_revision``: ``wagtail.edit``), and the publish's
    results written directly: the live revision and no unpublished changes (one
    UPDATE), ``wagtail.publish`` in the history (``log``), ``published`` and
    ``page_published`` sent as Wagtail sends them — which ``news`` turns into
    ``content_changed``, collected by a running ``batched_changes()``.

    What it skips of Wagtail's publish (``revision.publish()``, its
    ``PublishPageRevisionAction``), and why that is safe for a new article going
    live now:

    - rebuilding the page from the revision (``revision.as_object()``: reading the
      page back and deserialising its content, tags and authors) — the revision was
      made from this very instance a moment before, so it is the same page;
    - the second full save with its ``full_clean`` (and the re-save of its tags and
      authors) — the tree save already wrote and validated the page as live;
    - clearing other revisions' ``approved_go_live_at`` and looking up the previous
      revision for a rename entry — a new page has no other revision;
    - re-saving comment positions, cancelling a workflow in progress, updating
      aliases — a page created a moment ago has no comments, no workflow state and
      no aliases;
    - Wagtail's publish-permission check — as in ``create_article``, the caller
      decides who may create and publish here.

    Like ``create_article``, the whole creation is one transaction (a savepoint
    inside the caller's). Public Wagtail API only.
    """
    now = timezone.now()
    if (
        not publish
        or _scheduled(fields.get("go_live_at"), now)
        or _scheduled(fields.get("embargo_until"), now)
    ):
        # Drafts, scheduled articles and embargoes (held or scheduled at their end)
        # take the one full path, where Wagtail's scheduling and the embargo rule are.
        return create_article(
            section,
            title=title,
            published_at=published_at,
            publish=publish,
            tags=tags,
            authors=authors,
            user=user,
            **fields,
        )
    when = published_at or now
    with transaction.atomic():
        article = _new_article(
            section,
            title,
            user=user,
            tags=tags,
            authors=authors,
            fields=fields,
            live=True,
            has_unpublished_changes=False,
            first_published_at=when,
            # The archive's date, as ``create_article`` leaves it (not «updated today»).
            last_published_at=when,
        )
        add_to_tree(section, article)
        # clean=False: the tree save has just validated this page in full.
        revision = article.save_revision(user=user, log_action=True, clean=False)
        article.live_revision = revision
        article.has_unpublished_changes = False
        ArticlePage.objects.filter(pk=article.pk).update(
            live_revision=revision, has_unpublished_changes=False
        )
        log(
            instance=article,
            action="wagtail.publish",
            user=user,
            revision=revision,
            content_changed=True,
        )
        published.send(sender=ArticlePage, instance=article, revision=revision)
        page_published.send(sender=ArticlePage, instance=article, revision=revision)
    return article
