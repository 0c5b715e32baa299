from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsroomConfig(AppConfig):
    name = "sahafa.newsroom"
    label = "newsroom"
    verbose_name = _("غرفة الأخبار")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from sahafa.news.models import ArticlePage

        from . import signal_handlers
        from .forms import NewsroomArticlePageForm

        # News' article form with the newsroom's publishing rules on top. Wagtail wants
        # a class here, and news cannot import newsroom (newsroom builds on news); the
        # admin builds its form classes lazily, after ready().
        ArticlePage.base_form_class = NewsroomArticlePageForm
        signal_handlers.connect()

        from . import security

        security.connect()
