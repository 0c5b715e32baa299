from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsConfig(AppConfig):
    name = "sahafa.news"
    label = "news"
    verbose_name = _("الأخبار")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import images, sanitize, signal_handlers

        sanitize.connect()
        signal_handlers.connect()
        # Wagtail's Site row names the host of SAHAFA_BASE_URL after every migrate.
        from django.db.models.signals import post_migrate

        from .site_row import on_post_migrate

        post_migrate.connect(on_post_migrate, sender=self, dispatch_uid="sahafa.news.site_row")
        # Every process (web, worker, the import command) decodes images: uploads,
        # renditions, an archive's media folder. Pillow is held to the site's pixel
        # limit at start-up, so none of them decodes an image bomb.
        images.limit_image_decoder()
