"""The addresses a section cannot take: the first segments the site already answers
under (uploaded and static files, the admin, the API, feeds, the masthead…).

A section is a child of the home page, so it is served at ``/<slug>/`` — unless a
fixed route of the site answers there first: a WordPress category named «Media»
imported as ``/media/`` would lose every one of its articles behind the uploaded
files. Read from the URL configuration itself, so a route added later is covered.
"""

from __future__ import annotations

from functools import cache

from django.conf import settings


def reserved_owner(slug: str) -> str | None:
    """What already answers under ``/<slug>/`` (a short name of the route), or None
    when a section may take the slug."""
    for url, owner in (
        (settings.MEDIA_URL, "الملفات المرفوعة"),
        (settings.STATIC_URL, "الملفات الثابتة"),
    ):
        if url.strip("/").split("/", 1)[0] == slug:
            return owner
    return _first_segments().get(slug)


@cache
def _first_segments() -> dict[str, str]:
    from django.urls import get_resolver

    return _segments(get_resolver().url_patterns)


def _segments(patterns) -> dict[str, str]:
    """The first path segment of every fixed route (Wagtail's catch-all of pages and
    routes starting with a parameter left out), each with its route."""
    from django.urls import URLResolver

    found: dict[str, str] = {}
    for pattern in patterns:
        route = str(pattern.pattern).lstrip("^")
        if isinstance(pattern, URLResolver) and not route:
            found.update(_segments(pattern.url_patterns))  # included at the root
            continue
        first = route.split("/", 1)[0]
        if first and not first.startswith(("<", "(", "?")) and "\\" not in first:
            found.setdefault(first.rstrip("$"), route)
    return found


def free_section_slug(slug: str) -> str:
    """``slug``, or the first of ``slug-2``, ``slug-3``… that no route owns."""
    candidate, n = slug, 1
    while reserved_owner(candidate):
        n += 1
        candidate = f"{slug}-{n}"
    return candidate


def reserved_message(slug: str, owner: str) -> str:
    return (
        f"العنوان /{slug}/ مستخدم في الموقع ({owner})؛ اختر معرّفًا آخر للقسم / "
        f"/{slug}/ is already the site's ({owner}): choose another slug"
    )
