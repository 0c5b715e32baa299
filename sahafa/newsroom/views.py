"""Administrators' views: the audit log and merging tags."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sahafa.news import tags as news_tags
from sahafa.news.models import NewsTag
from sahafa.news.tags import tag_keys

from .models import AuditEvent
from .tags import merge_tags

AUDIT_PAGE_SIZE = 50


def require_perm(request, perm: str) -> None:
    # Checked in the view itself, not only by hiding the menu item: the URL must refuse.
    if not request.user.has_perm(perm):
        raise PermissionDenied


def audit_log(request):
    """«سجل التدقيق»: newest first, 50 a page, filtered by ?kind=."""
    require_perm(request, "newsroom.view_auditevent")
    events = AuditEvent.objects.select_related("actor", "target_user")
    kind = request.GET.get("kind", "")
    if kind in dict(AuditEvent.KINDS):
        events = events.filter(kind=kind)
    else:
        kind = ""
    page = Paginator(events, AUDIT_PAGE_SIZE).get_page(request.GET.get("p"))
    return TemplateResponse(
        request,
        "newsroom/audit_log.html",
        {
            "page_title": _("سجل التدقيق"),
            "header_icon": "list-ul",
            "events": page,
            "kinds": AuditEvent.KINDS,
            "kind": kind,
        },
    )


class MergeTagsForm(forms.Form):
    duplicate = forms.ModelChoiceField(
        NewsTag.objects.order_by("name"), label=gettext_lazy("الوسم المكرر (يُحذف)")
    )
    keep = forms.ModelChoiceField(
        NewsTag.objects.order_by("name"), label=gettext_lazy("الوسم الباقي")
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("duplicate") and cleaned.get("duplicate") == cleaned.get("keep"):
            raise forms.ValidationError(gettext_lazy("اختر وسمين مختلفين."))
        if cleaned.get("keep"):
            news_tags.check_merge_target(cleaned["keep"])  # a nameless tag keeps nothing
        return cleaned


def suggested_merges(limit: int = 50) -> list[list[NewsTag]]:
    """Groups of tags that share a matching key: the likely duplicates."""
    groups: dict[str, list[NewsTag]] = {}
    for tag in NewsTag.objects.order_by("pk"):
        for key in tag_keys(tag.name):
            groups.setdefault(key, []).append(tag)
    seen, out = set(), []
    for tags in groups.values():
        ids = tuple(t.pk for t in tags)
        if len(tags) > 1 and ids not in seen:
            seen.add(ids)
            out.append(tags)
    return out[:limit]


def merge_tags_view(request):
    require_perm(request, "newsroom.merge_tags")
    form = MergeTagsForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        duplicate, keep = form.cleaned_data["duplicate"], form.cleaned_data["keep"]
        name = duplicate.name
        moved = merge_tags(duplicate, keep, user=request.user)
        messages.success(
            request,
            _("دُمج الوسم «%(old)s» في «%(new)s» (%(count)s مقالات).")
            % {"old": name, "new": keep.name, "count": len(moved)},
        )
        return redirect(reverse("newsroom_merge_tags"))
    return TemplateResponse(
        request,
        "newsroom/merge_tags.html",
        {
            "page_title": _("دمج الوسوم"),
            "header_icon": "tag",
            "form": form,
            "suggestions": suggested_merges(),
        },
    )
