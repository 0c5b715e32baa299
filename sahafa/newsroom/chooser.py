"""What Wagtail's page chooser may show a newsroom account.

The chooser (browse, search, and the one behind page-link fields and rich-text links)
lists titles, URLs and statuses. Left alone it lists every page to every admin user,
so a reporter could read another section's drafts and embargoed headlines there. A
newsroom account now sees the pages it could edit and the pages any reader can see
(live and not behind a view restriction); the editor-in-chief and administrators,
who may edit everything anyway, see everything.

The rule is a ``Q`` on fields Wagtail's ``Page.search_fields`` declares as filter
fields (``path``, ``depth``, ``live``, ``owner``), because the chooser's search view
hands the filtered queryset to the search backend, which refuses any other filter.
"""

from __future__ import annotations

from django.db.models import Q
from django.http import Http404
from wagtail.admin.views.chooser import BrowseView, ChosenMultipleView
from wagtail.models import Page
from wagtail.permission_policies.pages import PagePermissionPolicy

from .roles import ADMINISTRATOR, EDITOR_IN_CHIEF, has_role


def chooser_visibility_q(user) -> Q | None:
    """The pages ``user`` may see in the chooser, or None for "all of them".

    "Could edit" is Wagtail's own rule (``PagePermissionTester.can_edit``): "change"
    on a page gives its whole subtree; "add" alone gives only the pages the user owns
    there.
    """
    if has_role(user, EDITOR_IN_CHIEF, ADMINISTRATOR):
        return None
    pages = Page.objects.all()
    visible = pages.live_q() & ~pages.private_q()
    for perm in PagePermissionPolicy().get_cached_permissions_for_user(user):
        action = perm.permission.codename.rsplit("_", 1)[0]
        subtree = pages.descendant_of_q(perm.page, inclusive=True)
        if action == "change":
            visible |= subtree
        elif action == "add":
            visible |= subtree & Q(owner=user)
    return visible


def restrict_chooser_queryset(pages, request):
    """``construct_page_chooser_queryset``: used by both the browse and the search view."""
    visible = chooser_visibility_q(request.user)
    return pages if visible is None else pages.filter(visible)


# Two chooser views read a page by the id in the request without asking the hook:
# browsing *into* a page (``choose-page/<id>/``) shows that page's title as the
# parent row, and the «chosen» step returns title and URL for any id. Wagtail's admin
# URLs are matched before any ``register_admin_urls`` addition, so these views take
# effect because ``sahafa.newsroom.admin_urls`` routes those paths to them ahead of
# Wagtail's admin, under the same URL names.


class BrowsePagesView(BrowseView):
    """Wagtail's browse step, refusing (404) to open a page the user may not see."""

    def get(self, request, parent_page_id=None):
        visible = chooser_visibility_q(request.user)
        if (
            parent_page_id is not None
            and visible is not None
            and not Page.objects.filter(visible, pk=parent_page_id).exists()
        ):
            raise Http404
        return super().get(request, parent_page_id)


class ChosenPagesView(ChosenMultipleView):
    """Wagtail's «chosen» step, answering only for the pages the user may see."""

    def get(self, request):
        visible = chooser_visibility_q(request.user)
        if visible is not None:
            ids = [
                pk
                for pk in request.GET.getlist("id")
                if pk.isascii() and pk.isdigit() and len(pk) < 19
            ]
            allowed = Page.objects.filter(visible, pk__in=ids)
            request.GET = request.GET.copy()
            request.GET.setlist("id", [str(pk) for pk in allowed.values_list("pk", flat=True)])
        return super().get(request)
