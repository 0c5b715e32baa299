"""The page editor's forms: what they produce is sanitised before anything renders it,
a save from a form that a colleague's save has overtaken is refused, and an article's
tags are checked for near-duplicates before they exist.

``ArticlePage``, ``SectionPage`` and ``HomePage`` name these as ``base_form_class``.
The newsroom extends the article form with its publishing rules
(:class:`sahafa.newsroom.forms.NewsroomArticlePageForm`).

``sahafa.news.models`` imports this module, so nothing here imports a model at
import time.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import FieldDoesNotExist
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager
from wagtail.admin.forms import WagtailAdminPageForm

from sahafa.arabic import normalize

from .sanitize import sanitize_page

KEPT_ASIDE_ACTION = "sahafa.kept_aside"


class UpToDateEditForm(WagtailAdminPageForm):
    """Refuses a save made from a form built on a revision that is no longer the latest.

    Wagtail's edit form carries the revision it was built from (hidden
    ``loaded_revision_id`` and ``loaded_revision_created_at``, or ``overwrite_revision_id``
    once the browser has autosaved), but the edit view checks them for autosave requests
    only: a «save draft», «publish» or «submit» from a form opened before a colleague's
    save silently replaced that save. The same test as Wagtail's
    (``EditView.is_out_of_date``) now applies to every save. Refused, the form is
    shown again with the editor's input.

    A refused save that is otherwise valid is kept as a revision beside the
    colleague's, not as the page's latest: it shows in the page's history (logged as
    :data:`KEPT_ASIDE_ACTION`) with «compare» and «review this version», so it
    survives a closed tab, and nothing is published, submitted or made the current
    draft from it. The form shown again still counts as out of date — otherwise the
    editor's autosave, every half second, would quietly save it over the colleague's
    work; making the kept edit current is a deliberate step from the history.

    A POST without these fields (not the admin's form) is taken as up to date, as
    Wagtail takes it. Merging edits to different fields is not attempted.
    """

    overtaken_by = None  # the colleague's revision this form was overtaken by
    kept_aside = None  # the revision this form's refused save was kept as

    def clean(self):
        cleaned = super().clean()
        self.overtaken_by = self.newer_revision()
        return cleaned

    def full_clean(self):
        super().full_clean()
        if self.overtaken_by is None:
            return
        if not self._errors:
            self.kept_aside = self.keep_aside()
        self.add_error(None, self.overtaken_message(self.overtaken_by))
        # The form shown again names, as the revision it was built from, one that is
        # not the latest (Wagtail's template reads it off the instance), so the
        # browser's autosave is refused as out of date too.
        stale_id = self.kept_aside.pk if self.kept_aside else self.loaded_revision_id()
        if stale_id is not None:
            self.instance.latest_revision_id = stale_id

    def loaded_revision_id(self) -> int | None:
        """The revision this form says it was built from, if it names one readably."""
        loaded = str(self.data.get("overwrite_revision_id") or self.data.get("loaded_revision_id"))
        return int(loaded) if loaded.isascii() and loaded.isdigit() and len(loaded) < 19 else None

    def keep_aside(self):
        """The submitted page as a revision that does not become the latest one."""
        from wagtail.log_actions import log
        from wagtail.models import Revision

        page = self.save(commit=False)
        revision = Revision.objects.create(
            content_object=page,
            base_content_type=page.get_base_content_type(),
            user=self.for_user,
            content=page.serializable_data(),
            object_str=str(page),
        )
        log(page, KEPT_ASIDE_ACTION, user=self.for_user, revision=revision, content_changed=True)
        return revision

    def newer_revision(self):
        """The page's latest revision if this form was not built on it, else None."""
        from wagtail.models import Page, Revision

        if not self.instance.pk:
            return None
        overwrite_id = self.data.get("overwrite_revision_id")
        loaded_id = self.data.get("loaded_revision_id")
        if not overwrite_id and not loaded_id:
            return None
        latest_id = (
            Page.objects.filter(pk=self.instance.pk)
            .values_list("latest_revision_id", flat=True)
            .first()
        )
        latest = Revision.objects.select_related("user").filter(pk=latest_id).first()
        if latest is None:
            return None
        if overwrite_id:
            up_to_date = overwrite_id == str(latest.pk)
        else:
            # The same id but a later time: another session's autosave rewrote it.
            up_to_date = (
                loaded_id == str(latest.pk)
                and self.data.get("loaded_revision_created_at", "") == latest.created_at.isoformat()
            )
        return None if up_to_date else latest

    def overtaken_message(self, latest) -> str:
        user = latest.user
        name = (user.get_full_name() or user.get_username()) if user else gettext("مستخدم آخر")
        params = {
            "user": name,
            "time": date_format(timezone.localtime(latest.created_at), "DATETIME_FORMAT"),
        }
        fields = self.fields_changed_since_loaded(latest)
        if self.kept_aside is not None:
            params["fields"] = gettext("، ").join(fields or [])
            message = gettext(
                "حفظ %(user)s هذه الصفحة في %(time)s بعد أن فتحتَ نموذج التحرير، فلم يحلّ "
                "تعديلك محل حفظه: حُفظ مراجعةً مستقلة في سجل الصفحة، ولم يُنشر ولم يُرسل "
                "للمراجعة. "
            )
            if fields:
                message += gettext("الحقول التي تغيّرت في حفظه: %(fields)s. ")
            message += gettext(
                "لتعتمد تعديلك افتحه من سجل الصفحة («مراجعة هذه النسخة») وأضف إليه ما "
                "تغيّر ثم احفظ، أو أعد فتح الصفحة وأعد كتابته."
            )
        elif fields is None:
            message = gettext(
                "حفظ %(user)s هذه الصفحة في %(time)s بعد أن فتحتَ نموذج التحرير، فلم يُحفظ "
                "تعديلك حتى لا يمحو حفظه. ما كتبتَه باقٍ في النموذج: راجع النسخة الأحدث "
                "في سجل المراجعات ثم احفظ من جديد، أو أعد فتح الصفحة."
            )
        else:
            params["fields"] = gettext("، ").join(fields)
            message = gettext(
                "حفظ %(user)s هذه الصفحة في %(time)s بعد أن فتحتَ نموذج التحرير، فلم يُحفظ "
                "تعديلك حتى لا يمحو حفظه. الحقول التي تغيّرت فيه: %(fields)s. ما كتبتَه باقٍ "
                "في النموذج: راجع هذه الحقول ثم احفظ من جديد، أو أعد فتح الصفحة."
            )
        return message % params

    def fields_changed_since_loaded(self, latest) -> list[str] | None:
        """Labels of this form's fields that differ between the revision the form was
        built on and ``latest``; None when that revision is gone or was rewritten."""
        from wagtail.models import Revision

        loaded = Revision.objects.filter(
            pk=self.loaded_revision_id(),
            object_id=str(self.instance.pk),
            base_content_type_id=latest.base_content_type_id,
        ).first()
        if loaded is None or loaded.pk == latest.pk:
            return None
        return [
            label
            for key, label in self.content_labels().items()
            if loaded.content.get(key) != latest.content.get(key)
        ]

    def content_labels(self) -> dict[str, str]:
        """Revision content key -> label, for what this form edits."""
        opts = self.instance._meta
        labels = {}
        for name, field in self.fields.items():
            key = name
            try:
                model_field = opts.get_field(name)
            except FieldDoesNotExist:  # a form-only field, such as confirm_new_tags
                continue
            if isinstance(model_field, TaggableManager):
                # Stored as the through model's rows, under their related name.
                relation = model_field.through._meta.get_field("content_object").remote_field
                key = relation.related_name
            labels[key] = str(field.label or name)
        for name, formset in self.formsets.items():
            if name != "comments":
                labels[name] = str(formset.model._meta.verbose_name_plural)
        return labels


class SanitisedPageForm(UpToDateEditForm):
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
        from .tags import near_duplicates, tag_name_errors  # imports the models

        cleaned = super().clean()
        tags = cleaned.get("tags")
        if tags:
            # Names that sanitising would empty are refused here, even when confirmed.
            refused = tag_name_errors(tags)
            for error in refused:
                self.add_error("tags", error)
            if refused:
                return cleaned
            # Stored names are display-normalised (NewsTag.save); compare in that form
            # so taggit finds the existing tag instead of creating a clashing one.
            names = list(dict.fromkeys(normalize(t, "display") for t in tags if t.strip()))
            cleaned["tags"] = names
            if not cleaned.get("confirm_new_tags"):
                for _new, existing in near_duplicates(names):
                    self.add_error("tags", _("هل تقصد: %(tag)s؟") % {"tag": existing})
        return cleaned
