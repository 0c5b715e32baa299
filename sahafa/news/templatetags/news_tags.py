"""Template helpers for Arabic dates, bidi isolation, images, the ticker, and the
head: canonical address, link-preview cards and JSON-LD."""

from __future__ import annotations

import json
import re

from django import template
from django.conf import settings
from django.forms.utils import flatatt
from django.utils import timezone, translation
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from wagtail.images.shortcuts import get_rendition_or_not_found
from wagtail.models import Page

from sahafa.arabic import format_date, relative_time, to_arabic_digits

from .. import structured_data
from ..addresses import SITE_ICON_SIZE, absolute, site_icon_url
from ..images import OPEN_GRAPH_SPEC, filter_for, picture_renditions
from ..ticker import ticker_lines

register = template.Library()

# A run of Latin letters or digits (with the punctuation that binds them, as in
# "COP 28" or "3.5%") inside Arabic text; isolating it keeps its order intact.
LATIN_RUN = re.compile(r"[A-Za-z0-9][A-Za-z0-9 .,'&_/:%+\-]*[A-Za-z0-9%]|[A-Za-z0-9]")


@register.filter(is_safe=True)
def bidi(text) -> SafeString:
    """Escape ``text`` and wrap Latin names and numbers in ``<bdi>``."""
    if not text:
        return mark_safe("")  # noqa: S308 - empty string
    text = str(text)
    out, last = [], 0
    for match in LATIN_RUN.finditer(text):
        out.append(escape(text[last : match.start()]))
        out.append(f"<bdi>{escape(match.group())}</bdi>")
        last = match.end()
    out.append(escape(text[last:]))
    return mark_safe("".join(out))  # noqa: S308 - every piece escaped above


_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def json_ld_script(data: dict) -> SafeString:
    """A JSON-LD ``<script>``; <, > and & are escaped so data cannot close the script."""
    payload = json.dumps(data, ensure_ascii=False).translate(_JSON_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{payload}</script>')  # noqa: S308


@register.simple_tag(takes_context=True)
def article_json_ld(context, article) -> SafeString:
    """The article's ``NewsArticle`` and its ``BreadcrumbList``, one script each."""
    outlet = context.get("outlet")
    return json_ld_script(structured_data.news_article(article, outlet)) + json_ld_script(
        structured_data.breadcrumbs(article)
    )


@register.simple_tag(takes_context=True)
def website_json_ld(context) -> SafeString:
    """The home page's ``WebSite`` (with the site search) and ``NewsMediaOrganization``."""
    outlet = context.get("outlet")
    return json_ld_script(structured_data.website(outlet)) + json_ld_script(
        structured_data.organization(outlet)
    )


@register.simple_tag(takes_context=True)
def masthead_json_ld(context) -> SafeString:
    """The masthead page's ``AboutPage``, about the outlet and its masthead."""
    return json_ld_script(structured_data.masthead_page(context.get("outlet")))


@register.simple_tag(takes_context=True)
def canonical_url(context) -> str:
    """The page's own address under SAHAFA_BASE_URL: a Wagtail page's URL, else the
    request's path; a listing's later pages keep their ``?page=``, as each is its
    own canonical page."""
    page = context.get("page")
    request = context.get("request")
    path = page.get_url(request) if isinstance(page, Page) else None
    if not path:
        path = request.path if request else "/"
    number = request.GET.get("page", "") if request else ""
    # isdecimal, not isdigit: int() refuses "²", which isdigit accepts.
    if number.isdecimal() and len(number) <= 18 and int(number) > 1:
        path = f"{path}?page={int(number)}"
    return absolute(path)


def _subject(context) -> tuple[str, str]:
    """The title and description of what the page is about: its Wagtail page (the
    home page stands for the outlet), or the author or tag of those views."""
    page = context.get("page")
    if isinstance(page, Page):
        if page.depth <= 2:  # the site's root, the home page
            return "", page.search_description
        return page.seo_title or page.title, page.search_description
    author, tag = context.get("author"), context.get("tag")
    if author is not None and hasattr(author, "bio"):
        return author.name, author.job_title or author.bio[:200]
    if tag is not None and hasattr(tag, "slug"):
        return tag.name, ""
    return "", ""


def _og_locale() -> str:
    # Open Graph wants language_TERRITORY; for a bare language, its own territory
    # (ar → ar_AR, as Facebook lists Arabic).
    locale = translation.to_locale(translation.get_language() or settings.LANGUAGE_CODE)
    return locale if "_" in locale else f"{locale}_{locale.upper()}"


def _x_handle(url: str) -> str:
    handle = url.rstrip("/").rsplit("/", 1)[-1] if url else ""
    return f"@{handle.lstrip('@')}" if handle else ""


@register.inclusion_tag("news/includes/social_meta.html", takes_context=True)
def social_meta(context, title: str = "", description: str = "", image=None, kind: str = "website"):
    """Open Graph and X (Twitter) card tags of the page.

    ``image`` is a Wagtail image: its link-preview rendition, absolute and with its
    size, makes a large card; without one the card is a summary with the site icon.
    Title and description default to what the page is about (:func:`_subject`).
    """
    outlet = context.get("outlet")
    site_name = outlet.name if outlet else ""
    default_title, default_description = _subject(context)
    title = title or default_title or site_name
    description = description or default_description or (outlet.tagline if outlet else "")
    preview = open_graph_image(context, image) if image else None
    if preview is None:
        preview = {"url": site_icon_url(), "width": SITE_ICON_SIZE, "height": SITE_ICON_SIZE}
        card = "summary"
    else:
        card = "summary_large_image"
    return {
        "kind": kind,
        "title": title,
        "description": description,
        "url": canonical_url(context),
        "site_name": site_name,
        "locale": _og_locale(),
        "image": preview,
        "image_alt": title if card == "summary_large_image" else site_name,
        "card": card,
        "x_site": _x_handle(outlet.x_twitter) if outlet else "",
    }


def _outlet_conventions(context) -> tuple[str, str, bool]:
    outlet = context.get("outlet")
    if outlet is None:
        return "arabic", "egyptian", True
    return outlet.digits, outlet.month_names, outlet.show_hijri


@register.simple_tag(takes_context=True)
def arabic_date(context, value, calendar: str = "gregorian", with_time: bool = False) -> str:
    if not value:
        return ""
    digits, months, _hijri = _outlet_conventions(context)
    value = timezone.localtime(value) if timezone.is_aware(value) else value
    return format_date(
        value, calendar=calendar, digits=digits, month_names=months, with_time=with_time
    )


@register.inclusion_tag("news/includes/dateline.html", takes_context=True)
def dateline(context, value, updated=None):
    """A <time> element with the Gregorian date, and the Hijri date where enabled."""
    digits, months, show_hijri = _outlet_conventions(context)
    if not value:
        return {"value": None}
    local = timezone.localtime(value)
    return {
        "value": value,
        "gregorian": format_date(
            local, calendar="gregorian", digits=digits, month_names=months, with_time=True
        ),
        "hijri": format_date(local, calendar="hijri", digits=digits) if show_hijri else "",
        "updated": updated,
        "updated_text": relative_time(updated, digits=digits) if updated else "",
    }


@register.simple_tag(takes_context=True)
def digits(context, value) -> str:
    outlet_digits, _months, _hijri = _outlet_conventions(context)
    text = str(value)
    return to_arabic_digits(text) if outlet_digits == "arabic" else text


@register.simple_tag
def responsive_image(
    image, role: str, alt: str = "", eager: bool = False, css_class: str = ""
) -> SafeString:
    """A ``<picture>`` of ``image`` as one of the roles of ``sahafa.news.images``.

    ``{% responsive_image article.lead_image "card" %}``. An image is below the fold
    unless said otherwise, so it loads lazily and decodes off the main thread.
    ``eager=True`` is for the one image a reader sees first, the page's largest
    paint: fetched at once at high priority (and named in the head by
    ``preload_image`` so the fetch starts before the stylesheet is read).
    """
    if not image:
        return mark_safe("")  # noqa: S308 - empty string
    picture = picture_renditions(image, role)
    sources = format_html_join(
        "",
        '<source type="{}" srcset="{}" sizes="{}">',
        ((mime, srcset, picture.role.sizes) for mime, srcset in picture.sources),
    )
    fallback = picture.fallback
    attrs: dict[str, object] = {
        "src": fallback.url,
        # The layout box is known before the file arrives: no shift when it does.
        "width": fallback.width,
        "height": fallback.height,
        "alt": alt,
    }
    if css_class:
        attrs["class"] = css_class
    if eager:
        attrs["fetchpriority"] = "high"
    else:
        attrs.update(loading="lazy", decoding="async")
    return format_html("<picture>{}<img{}></picture>", sources, flatatt(attrs))


@register.simple_tag
def preload_image(image, role: str) -> SafeString:
    """A ``<link rel=preload>`` for the eager image of a page, for the head.

    It names the first format of the ``<picture>`` with its ``type``, so a browser
    that cannot decode it skips the preload instead of fetching a file it won't use,
    and the same srcset and sizes, so it fetches exactly the candidate the picture
    will pick.
    """
    if not image:
        return mark_safe("")  # noqa: S308 - empty string
    picture = picture_renditions(image, role)
    if not picture.sources:
        return mark_safe("")  # noqa: S308 - empty string
    mime, srcset = picture.sources[0]
    return format_html(
        '<link rel="preload" as="image" type="{}" imagesrcset="{}" imagesizes="{}"'
        ' fetchpriority="high">',
        mime,
        srcset,
        picture.role.sizes,
    )


@register.simple_tag(takes_context=True)
def open_graph_image(context, image) -> dict[str, object] | None:
    """The link-preview image of an article: its absolute address and size (None
    when there is no image, or its file is missing)."""
    if not image:
        return None
    rendition = get_rendition_or_not_found(image, filter_for(OPEN_GRAPH_SPEC))
    if not rendition.width:  # Wagtail's placeholder for a missing source file
        return None
    return {"url": absolute(rendition.url), "width": rendition.width, "height": rendition.height}


@register.inclusion_tag("news/includes/ticker.html", takes_context=True)
def ticker(context):
    outlet = context.get("outlet")
    count = outlet.ticker_headline_count if outlet else 10
    return {"lines": ticker_lines(count)}
