"""Template helpers for Arabic dates, bidi isolation, images and the ticker."""

from __future__ import annotations

import re

from django import template
from django.forms.utils import flatatt
from django.utils import timezone
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from wagtail.images.shortcuts import get_rendition_or_not_found

from sahafa.arabic import format_date, relative_time, to_arabic_digits

from ..images import OPEN_GRAPH_SPEC, picture_renditions
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


@register.simple_tag(takes_context=True)
def article_json_ld(context, article) -> SafeString:
    """The article's JSON-LD block; <, > and & are escaped so data cannot close the script."""
    import json

    payload = json.dumps(
        article.structured_data(context.get("request")), ensure_ascii=False
    ).translate(_JSON_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{payload}</script>')  # noqa: S308


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
    """The link-preview image of an article: its absolute address and size."""
    if not image:
        return None
    rendition = get_rendition_or_not_found(image, OPEN_GRAPH_SPEC)
    request = context.get("request")
    url = request.build_absolute_uri(rendition.url) if request else rendition.url
    return {"url": url, "width": rendition.width, "height": rendition.height}


@register.inclusion_tag("news/includes/ticker.html", takes_context=True)
def ticker(context):
    outlet = context.get("outlet")
    count = outlet.ticker_headline_count if outlet else 10
    return {"lines": ticker_lines(count)}
