from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeliveryConfig(AppConfig):
    name = "sahafa.delivery"
    label = "delivery"
    verbose_name = _("التوزيع")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from sahafa.news.signals import content_changed

        from .page_cache import bump_generation

        content_changed.connect(bump_generation, dispatch_uid="sahafa.delivery.page_cache")
