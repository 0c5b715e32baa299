"""Wagtail's redirects, answered only towards pages a reader may see.

:class:`RedirectMiddleware` stands in for ``wagtail.contrib.redirects``' own (in
``MIDDLEWARE``, at the same place) and differs from it in two ways:

- A redirect to a page is answered only while the page is live and under no view
  restriction (the rule of ``ArticlePage.objects.published()``): the old address of
  a draft, a scheduled or embargoed article, an unpublished or a private one is not
  found (404), where Wagtail would send the reader to a page that then refuses
  them. The redirect is kept, so it answers again the moment the page is published:
  nothing needs to hear of publishing.
- WordPress's plain addresses on the home page (``/?p=101``, ``/?page_id=7``,
  ``/?attachment_id=55``) are looked up before the home page is served: Wagtail
  looks for a redirect only when the page answers 404, and the home page answers
  every query. With such a parameter the answer is the redirect, or a 404 — never
  the home page, which would be a "soft 404" for search engines and, cached per
  parameter value, an open door to filling the page cache.
"""

from __future__ import annotations

from urllib.parse import urlencode, urlparse

from django import http
from wagtail.contrib.redirects.middleware import RedirectMiddleware as WagtailRedirectMiddleware
from wagtail.contrib.redirects.middleware import get_redirect
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page

from .querysets import under_view_restriction

#: The query parameters of WordPress's plain links, answered on the home page.
LEGACY_PARAMS = ("p", "page_id", "attachment_id")


def legacy_path(request) -> str | None:
    """``/?p=101`` for a request to the home page with one of :data:`LEGACY_PARAMS`
    (the first of them, its first value; other parameters such as ``utm_source`` are
    left out), else None."""
    if request.path_info != "/" or not request.GET:
        return None
    for name in LEGACY_PARAMS:
        values = request.GET.getlist(name)
        if values:
            return Redirect.normalise_path("/?" + urlencode({name: values[0]}))
    return None


def readable(page_id: int) -> bool:
    """Whether any reader may see the page: live, and under no view restriction."""
    return Page.objects.filter(pk=page_id, live=True).exclude(under_view_restriction()).exists()


def redirect_response(redirect: Redirect | None) -> http.HttpResponse | None:
    """The 301/302 for ``redirect``, or None when there is none to follow (no
    redirect, no target, or a target page no reader may see)."""
    if redirect is None:
        return None
    if redirect.redirect_page_id is not None and not readable(redirect.redirect_page_id):
        return None
    link = redirect.link
    if link is None:
        return None
    if redirect.is_permanent:
        return http.HttpResponsePermanentRedirect(link)
    return http.HttpResponseRedirect(link)


class RedirectMiddleware(WagtailRedirectMiddleware):
    def process_request(self, request):
        path = legacy_path(request)
        if path is None:
            return None
        response = redirect_response(get_redirect(request, path))
        if response is None:
            raise http.Http404("no page at this old address")
        return response

    def process_response(self, request, response):
        # As Wagtail's: only a page not found looks for a redirect, the full path
        # first, then the path without its query.
        if response.status_code != 404 or legacy_path(request) is not None:
            return response
        path = Redirect.normalise_path(request.get_full_path(), decode_unicode=False)
        redirect = get_redirect(request, path)
        if redirect is None:
            path_without_query = urlparse(path).path
            if path_without_query == path:
                return response
            redirect = get_redirect(request, path_without_query)
        return redirect_response(redirect) or response
