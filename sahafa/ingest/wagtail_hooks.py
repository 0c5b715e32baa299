"""«استيراد أرشيف» in Wagtail's admin, for those who may add articles."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import views


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [
        path("ingest/upload/", views.import_upload, name="ingest_upload"),
        path("ingest/jobs/<int:pk>/", views.import_job, name="ingest_job"),
    ]


class ImportMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(views.IMPORT_PERMISSION)


@hooks.register("register_admin_menu_item")
def register_import_menu_item():
    return ImportMenuItem(
        _("استيراد أرشيف"),
        reverse("ingest_upload"),
        name="ingest-upload",
        icon_name="download",
        order=9000,
    )
