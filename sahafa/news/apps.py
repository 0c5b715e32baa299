from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsConfig(AppConfig):
    name = "sahafa.news"
    label = "news"
    verbose_name = _("الأخبار")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import sanitize, signal_handlers

        sanitize.connect()
        signal_handlers.connect()
