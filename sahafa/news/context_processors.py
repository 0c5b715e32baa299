"""What every public page needs: the outlet's settings and the section menu."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache

from .models import HOME_BLOCKS_CACHE_KEY, OutletSettings, SectionPage

NAV_CACHE_KEY = "sahafa:nav:v1"


def outlet(request) -> dict:
    if request.path.startswith(("/admin/", "/django-admin/")):
        return {}
    nav = cache.get(NAV_CACHE_KEY)
    if nav is None:
        nav = [{"title": s.title, "url": s.url} for s in SectionPage.live_sections()]
        cache.set(NAV_CACHE_KEY, nav, 300)
    return {
        "outlet": OutletSettings.load(request_or_site=request),
        "nav_sections": nav,
        "outlet_scripts": settings.SAHAFA_SCRIPT_URLS,
    }


def forget_nav(**kwargs) -> None:
    """Forget the menu, and the home page's section blocks kept beside it: called
    after every change a reader could see (``sahafa.publishing``)."""
    cache.delete_many([NAV_CACHE_KEY, HOME_BLOCKS_CACHE_KEY])
