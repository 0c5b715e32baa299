from django.apps import apps
from django.conf import settings
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from sahafa import api
from sahafa.publishing import health

# The newsroom answers a few admin addresses in Wagtail's place (ahead of its URLs).
newsroom_admin = (
    [path("admin/", include("sahafa.newsroom.admin_urls"))]
    if apps.is_installed("sahafa.newsroom")
    else []
)

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    *newsroom_admin,
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("", include("sahafa.news.urls")),
    path("", include("sahafa.search.urls")),
    # The read API: the content and search routers composed at the top floor.
    path(api.API_PREFIX, api.urls()),
    path("", include("sahafa.delivery.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
else:
    from django.views.static import serve

    # Uploaded media from the app itself when no web server sits in front
    # (the one-machine default); a deployment with nginx/CDN serves /media/ directly.
    urlpatterns += [
        path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT}),
    ]

urlpatterns += [path("", include(wagtail_urls))]

handler400 = "sahafa.news.errors.bad_request"
handler404 = "sahafa.news.errors.page_not_found"
handler500 = "sahafa.news.errors.server_error"
