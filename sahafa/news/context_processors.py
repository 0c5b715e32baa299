"""What every public page needs: the outlet's settings and the section menu."""

from __future__ import annotations

from django.core.cache import cache

from .models import OutletSettings, SectionPage

NAV_CACHE_KEY = "sahafa:nav:v1"


def outlet(request) -> dict:
    if request.path.startswith(("/admin/", "/django-admin/")):
        return {}
    nav = cache.get(NAV_CACHE_KEY)
    if nav is None:
        nav = [
            {"title": s.title, "url": s.url}
            for s in SectionPage.objects.live().order_by("path").only("title", "url_path")
        ]
        cache.set(NAV_CACHE_KEY, nav, 300)
    return {"outlet": OutletSettings.load(request_or_site=request), "nav_sections": nav}


def forget_nav(**kwargs) -> None:
    cache.delete(NAV_CACHE_KEY)
