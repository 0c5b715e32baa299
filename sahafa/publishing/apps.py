from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublishingConfig(AppConfig):
    name = "sahafa.publishing"
    label = "publishing"
    verbose_name = _("النشر")

    def ready(self) -> None:
        from . import signal_handlers

        signal_handlers.connect()
