"""The page editor's forms: what they produce is sanitised before anything renders it,
and an article's tags are checked for near-duplicates before they exist."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm

from sahafa.arabic import normalize
from sahafa.news.models import HomePageFeature

from .roles import ADMINISTRATOR, EDITOR_IN_CHIEF, has_role
from .security.signal_handlers import sanitize_page
from .tags import near_duplicates


class SanitisedPageForm(WagtailAdminPageForm):
    """Cleans the page it builds, saved or not.

    Sanitising on save (``pre_save``) never sees two things built from this form: the
    admin preview, which renders the unsaved instance, and the draft revision, which
    Wagtail serialises before saving the page (and which «view draft» and the
    reviewers' preview render). Both go through the same cleaning here.
    """

    def save(self, commit=True):
        page = super().save(commit=commit)
        sanitize_page(type(page), page)
        return page


class ArticlePageForm(SanitisedPageForm):
    """Asks «هل تقصد: …؟» when a new tag is a spelling variant of an existing one."""

    confirm_new_tags = forms.BooleanField(
        required=False,
        label=_("إنشاء الوسوم الجديدة رغم تشابهها مع وسوم موجودة"),
        help_text=_("اتركه فارغاً ليُسأل المحرر قبل إنشاء وسم قريب من وسم موجود."),
    )

    def clean(self):
        cleaned = super().clean()
        tags = cleaned.get("tags")
        if tags:
            # Stored names are display-normalised (NewsTag.save); compare in that form
            # so taggit finds the existing tag instead of creating a clashing one.
            names = list(dict.fromkeys(normalize(t, "display") for t in tags if t.strip()))
            cleaned["tags"] = names
            if not cleaned.get("confirm_new_tags"):
                for _new, existing in near_duplicates(names):
                    self.add_error("tags", _("هل تقصد: %(tag)s؟") % {"tag": existing})
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
