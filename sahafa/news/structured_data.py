"""schema.org data for search engines, rendered as JSON-LD by ``news_tags``.

An article is a ``NewsArticle`` with the properties Google asks of one (headline,
image, dates, authors with their pages, the publisher with its logo) and a
``BreadcrumbList`` home → section → article; the home page is the ``WebSite``, with
the site search as its ``SearchAction``, and the ``NewsMediaOrganization``. The
organisation names its masthead page and its publishing principles and corrections
policy (each a page of its own); the masthead page is an ``AboutPage`` about the
organisation with the people of its masthead. Every address is absolute under
``SAHAFA_BASE_URL``.

Nothing here queries the database beyond what the page has already read: the
article's section, bylines and lead image come with it (``for_article_page``), its
image's renditions are prefetched by ``ArticlePage.get_context``, its tags are
``tag_list`` (shared with the tag links), and the outlet is the context's.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail.images.shortcuts import get_rendition_or_not_found

from .addresses import SITE_ICON_SIZE, absolute, site_icon_url
from .images import OPEN_GRAPH_SPEC, ROLES, filter_for

JsonLd = dict[str, Any]

# Google asks for images at least 1200 px wide, in several ratios: the link-preview
# image (1200×630) and the article's own 16:9 lead at 1200 px — both made when the
# article is published (``images.LEAD_IMAGE_SPECS``), so naming them costs nothing.
ARTICLE_IMAGE_SPECS: tuple[str, ...] = (
    OPEN_GRAPH_SPEC,
    f"{ROLES['article_lead'].resize(1200)}|format-webp",
)


def _drop_empty(data: JsonLd) -> JsonLd:
    return {key: value for key, value in data.items() if value not in (None, "", [], {})}


def image_objects(image) -> list[JsonLd]:
    """The article images Google may show, as ``ImageObject``s with their size."""
    if image is None:
        return []
    found = []
    for spec in ARTICLE_IMAGE_SPECS:
        rendition = get_rendition_or_not_found(image, filter_for(spec))
        if rendition.width:  # not Wagtail's placeholder for a missing file
            found.append(
                {
                    "@type": "ImageObject",
                    "url": absolute(rendition.url),
                    "width": rendition.width,
                    "height": rendition.height,
                }
            )
    return found


def _policy(outlet, field: str) -> str | None:
    url = outlet.policy_url(field) if outlet else None
    return absolute(url) if url else None


def publisher(outlet) -> JsonLd:
    """The outlet as a news organisation, its logo the site icon shipped in static;
    with its masthead page and the pages of the policies it has written (schema.org
    ``masthead``, ``publishingPrinciples``, ``correctionsPolicy``)."""
    return _drop_empty(
        {
            "@type": "NewsMediaOrganization",
            "name": outlet.name if outlet else None,
            "url": absolute("/"),
            "logo": {
                "@type": "ImageObject",
                "url": site_icon_url(),
                "width": SITE_ICON_SIZE,
                "height": SITE_ICON_SIZE,
            },
            "sameAs": [url for _label, url in outlet.social_links] if outlet else [],
            "masthead": absolute(reverse("news:masthead")),
            "publishingPrinciples": _policy(outlet, "publishing_principles"),
            "correctionsPolicy": _policy(outlet, "corrections_policy"),
        }
    )


def person(author) -> JsonLd:
    return _drop_empty(
        {
            "@type": "Person",
            "name": author.name,
            "url": absolute(author.get_absolute_url()),
            "jobTitle": author.job_title,
            "sameAs": [author.x_twitter] if author.x_twitter else [],
        }
    )


def news_article(article, outlet) -> JsonLd:
    """The article as ``NewsArticle``: Google's required and recommended properties.
    ``dateModified`` is its last change readers saw: the last publication, or the
    newest entry of its corrections and updates when that is later (``modified_at``)."""
    published = article.first_published_at
    modified = article.modified_at or published
    return _drop_empty(
        {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            # Google cuts a headline after 110 characters.
            "headline": article.title[:110],
            "description": article.search_description
            or article.standfirst[:300]
            or article.body_text[:300],
            "image": image_objects(article.lead_image),
            "datePublished": published.isoformat() if published else None,
            "dateModified": modified.isoformat() if modified else None,
            "author": [person(author) for author in article.authors.all()],
            "publisher": publisher(outlet),
            "articleSection": article.section.title if article.section else None,
            "keywords": [tag.name for tag in article.tag_list],
            "inLanguage": "ar",
            "mainEntityOfPage": {"@type": "WebPage", "@id": absolute(article.url)},
            "url": absolute(article.url),
        }
    )


def breadcrumbs(article) -> JsonLd:
    """Home → section → article, as the page's breadcrumb shows it."""
    trail = [(_("الرئيسية"), absolute("/"))]
    if article.section:
        trail.append((article.section.title, absolute(article.section.url)))
    trail.append((article.title, absolute(article.url)))
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": position, "name": name, "item": url}
            for position, (name, url) in enumerate(trail, start=1)
        ],
    }


def website(outlet) -> JsonLd:
    """The site, with its search as the action search engines may offer."""
    return _drop_empty(
        {
            "@context": "https://schema.org",
            "@type": "WebSite",
            "name": outlet.name if outlet else None,
            "url": absolute("/"),
            "inLanguage": "ar",
            "potentialAction": {
                "@type": "SearchAction",
                "target": {
                    "@type": "EntryPoint",
                    # The braces stay as they are: the template's placeholder.
                    "urlTemplate": absolute(reverse("search:search")) + "?q={search_term_string}",
                },
                "query-input": "required name=search_term_string",
            },
        }
    )


def organization(outlet) -> JsonLd:
    return {"@context": "https://schema.org", **publisher(outlet)}


def _masthead_person(name: str, role: str) -> JsonLd:
    return {"@type": "Person", "name": name, "jobTitle": role}


def masthead_page(outlet) -> JsonLd:
    """The masthead page as an ``AboutPage`` whose main entity is the organisation,
    with the people the masthead names.

    schema.org has no property for a chairman or an editor-in-chief: a person's
    title is their ``jobTitle`` and their tie to the organisation an ordinary
    property of it — the chairman of the board is a ``member`` of the organisation
    (its board), the editors its ``employee``s.
    """
    organisation = publisher(outlet)
    if outlet is not None:
        editors = [
            (outlet.editor_in_chief, outlet.editor_in_chief_label),
            (outlet.managing_editor, _("مدير التحرير")),
        ]
        organisation["employee"] = [_masthead_person(n, r) for n, r in editors if n]
        if outlet.chairman:
            organisation["member"] = [_masthead_person(outlet.chairman, outlet.chairman_label)]
    url = absolute(reverse("news:masthead"))
    return _drop_empty(
        {
            "@context": "https://schema.org",
            "@type": "AboutPage",
            "name": _("هيئة التحرير"),
            "url": url,
            "inLanguage": "ar",
            "mainEntity": _drop_empty(organisation),
        }
    )
