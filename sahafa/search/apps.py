from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "sahafa.search"
    label = "search"
    verbose_name = _("البحث")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.core import checks

        from .checks import check_search_backends

        checks.register(check_search_backends)
