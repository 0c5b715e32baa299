from django.apps import AppConfig


class RelatedConfig(AppConfig):
    name = "sahafa.related"
    label = "related"
    default_auto_field = "django.db.models.BigAutoField"
