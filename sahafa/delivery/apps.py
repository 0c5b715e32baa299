from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeliveryConfig(AppConfig):
    name = "sahafa.delivery"
    label = "delivery"
    verbose_name = _("التوزيع")
    default_auto_field = "django.db.models.BigAutoField"
