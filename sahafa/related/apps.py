from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RelatedConfig(AppConfig):
    name = "sahafa.related"
    label = "related"
    verbose_name = _("موضوعات متعلقة")
    default_auto_field = "django.db.models.BigAutoField"
