"""Which section a page belongs to, and which pages need the editor-in-chief."""

from __future__ import annotations

from sahafa.news.models import ArticlePage, HomePage, HomePageFeature, SectionPage


def section_of(page) -> SectionPage | None:
    """The section whose editors answer for ``page``: the section itself for a
    section front, the nearest section above anything else, None for the home page."""
    if page is None:
        return None
    page = getattr(page, "specific", page)
    if isinstance(page, SectionPage):
        return page
    if isinstance(page, HomePage):
        return None
    return SectionPage.objects.ancestor_of(page).order_by("-depth").first()


def needs_chief_approval(page) -> bool:
    """The home page, breaking news and articles featured on the home page go to the
    editor-in-chief. Breaking is read from the revision under review, not the live row."""
    page = getattr(page, "specific", page)
    if isinstance(page, HomePage):
        return True
    if isinstance(page, ArticlePage):
        draft = page.get_latest_revision_as_object()
        if draft.is_breaking:
            return True
        return HomePageFeature.objects.filter(article_id=page.pk).exists()
    return False
