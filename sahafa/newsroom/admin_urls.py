"""Admin addresses the newsroom answers in place of Wagtail's own.

Included by ``sahafa/urls.py`` ahead of Wagtail's admin URLs, with the same paths
and names: Wagtail matches its own admin URLs before any ``register_admin_urls``
addition, so an override must come first at the site's level. Outside Wagtail's
include, each view is wrapped in its admin-access check by hand, as Wagtail wraps
its own.
"""

from django.urls import path
from wagtail.admin.auth import require_admin_access

from .chooser import BrowsePagesView, ChosenPagesView

urlpatterns = [
    # The page chooser's two steps that read a page by the id in the request.
    path(
        "choose-page/<int:parent_page_id>/",
        require_admin_access(BrowsePagesView.as_view()),
        name="wagtailadmin_choose_page_child",
    ),
    path(
        "choose-page/chosen-multiple/",
        require_admin_access(ChosenPagesView.as_view()),
        name="wagtailadmin_choose_page_chosen_multiple",
    ),
]
