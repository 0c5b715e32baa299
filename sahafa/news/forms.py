"""The page editor's forms: what they produce is sanitised before anything renders it,
and an article's tags are checked for near-duplicates before they exist.

``ArticlePage``, ``SectionPage`` and ``HomePage`` name these as ``base_form_class``.
The newsroom extends the article form with its publishing rules
(:class:`sahafa.newsroom.forms.NewsroomArticlePageForm`).

``sahafa.news.models`` imports this module, so nothing here imports a model at
import time.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm

from sahafa.arabic import normalize

from .sanitize import sanitize_page


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
        from .tags import near_duplicates  # imports the models

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
        return cleaned
