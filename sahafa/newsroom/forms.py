"""The article editor with the newsroom's publishing rules on top of news' form
(sanitising, the «هل تقصد» tag check): set as ``ArticlePage.base_form_class`` in
``NewsroomConfig.ready()``."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from sahafa.news.forms import ArticlePageForm
from sahafa.news.models import HomePageFeature

from .roles import ADMINISTRATOR, EDITOR_IN_CHIEF, has_role


class NewsroomArticlePageForm(ArticlePageForm):
    def clean(self):
        cleaned = super().clean()
        self.check_chief_approval(cleaned)
        return cleaned

    def check_chief_approval(self, cleaned) -> None:
        """Breaking news and front-page stories reach readers through the editor-in-chief:
        anyone else's "publish" (or schedule) is refused and they submit for review."""
        if "action-publish" not in self.data or self.for_user is None:
            return
        if has_role(self.for_user, EDITOR_IN_CHIEF, ADMINISTRATOR):
            return
        featured = (
            bool(self.instance.pk)
            and HomePageFeature.objects.filter(article_id=self.instance.pk).exists()
        )
        if cleaned.get("is_breaking") or featured:
            self.add_error(
                "is_breaking" if cleaned.get("is_breaking") else None,
                _(
                    "نشر الأخبار العاجلة وقصص الواجهة يحتاج موافقة رئيس التحرير: أرسل المقال للمراجعة."
                ),
            )
