"""Keeping tags free of near-duplicates and of empty names: matching keys, the «هل
تقصد» check, the names refused, merging.

The page editor's form (:mod:`sahafa.news.forms`) asks before a near-duplicate is
created; :func:`merge_tags` folds one that exists into another. The newsroom adds
who may merge, and the audit record (:func:`sahafa.newsroom.tags.merge_tags`).

A name that sanitising would empty (``<script>alert(9)</script>``, ``<b></b>``) never
becomes a tag: :func:`tag_name_errors` says so for a form, and the tag's
``pre_save`` gate refuses it on any other path (:func:`sahafa.news.sanitize.clean_tag_name`).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Revision

from sahafa.arabic import normalize

from .models import ArticlePageTagRelationship, NewsTag
from .sanitize import clean_tag_name, has_visible_text
from .signals import ChangeKind, announce

TAG_REFUSED_MESSAGE = _(
    "لا يمكن إنشاء وسم من «%(tag)s»: لا يبقى منه نص بعد حذف الوسوم (HTML) والرموز غير "
    "المسموح بها منه. اكتب اسم الوسم نصاً عادياً."
)
MERGE_INTO_EMPTY_MESSAGE = _("لا يُدمج وسم في وسم بلا اسم: اختر وسماً باقياً له اسم.")

ARTICLE_PREFIX = "ال"


def strip_article(word: str) -> str:
    if word.startswith(ARTICLE_PREFIX) and len(word) - len(ARTICLE_PREFIX) >= 2:
        return word[len(ARTICLE_PREFIX) :]
    return word


def tag_keys(name: str) -> set[str]:
    """The keys under which two tag names count as the same tag.

    Match-normalised (hamza, alef, yeh and taa-marbuta forms, diacritics, case), then
    spaces dropped — once as written and once with ال removed from each word — so
    «الأمم المتحدة» meets «أمم متحدة» and «عبد الله» meets «عبدالله».
    """
    words = normalize(name, "match").split()
    if not words:
        return set()
    return {"".join(words), "".join(strip_article(w) for w in words)}


def refused_tag_names(names: Iterable[str]) -> list[str]:
    """The names (as given, in order) that cannot become a tag: sanitising or display
    normalisation leaves nothing of them. Blank names are not listed: callers drop them."""
    refused = []
    for name in names:
        if not has_visible_text(name):
            continue
        try:
            clean_tag_name(name)
        except ValidationError:
            refused.append(name)
    return refused


def tag_name_errors(names: Iterable[str]) -> list[ValidationError]:
    """One validation error per refused name (:func:`refused_tag_names`), for a form's
    tag field. The name is shown as text (escaped), its markup visible to the editor."""
    return [
        ValidationError(TAG_REFUSED_MESSAGE, code="emptied_by_cleaning", params={"tag": name})
        for name in refused_tag_names(names)
    ]


def existing_tags(names: list[str]) -> dict[str, NewsTag]:
    """Tags whose name is exactly one of ``names`` (case-insensitively, as taggit looks them up)."""
    if not names:
        return {}
    query = Q()
    for name in names:
        query |= Q(name__iexact=name)
    return {tag.name.casefold(): tag for tag in NewsTag.objects.filter(query)}


def key_index() -> dict[str, NewsTag]:
    """Every tag under each of its keys. One pass over the tag names: it runs only when
    an editor submits a tag that does not exist yet."""
    index: dict[str, NewsTag] = {}
    for tag in NewsTag.objects.only("pk", "name", "slug").order_by("pk"):
        for key in tag_keys(tag.name):
            index.setdefault(key, tag)
    return index


def near_duplicates(names: list[str]) -> list[tuple[str, str]]:
    """(new name, existing or earlier name) for each name in ``names`` that is not yet a
    tag but matches one (or matches an earlier name in the same list)."""
    exact = existing_tags(names)
    new_names = [n for n in names if n.casefold() not in exact]
    if not new_names:
        return []
    index = {key: tag.name for key, tag in key_index().items()}
    for name in names:
        if name.casefold() in exact:
            for key in tag_keys(name):
                index.setdefault(key, name)
    found = []
    for name in new_names:
        match = next((index[k] for k in sorted(tag_keys(name)) if k in index), None)
        if match is not None and match != name:
            found.append((name, match))
        for key in tag_keys(name):
            index.setdefault(key, name)
    return found


def check_merge_target(keep: NewsTag) -> None:
    """``ValidationError`` when ``keep`` may not receive a merge: a nameless tag (left
    by a save before names were refused) is merged away, never into — its articles
    would keep a tag with no link text. A form choosing the tags calls it too."""
    if not has_visible_text(keep.name):
        raise ValidationError(MERGE_INTO_EMPTY_MESSAGE, code="merge_into_empty")


def tag_path(tag: NewsTag) -> str:
    return tag.get_absolute_url()


@transaction.atomic
def merge_tags(duplicate: NewsTag, keep: NewsTag) -> list[int]:
    """Move every article from ``duplicate`` to ``keep``, delete ``duplicate`` and leave a
    permanent redirect from its address to ``keep``'s. Returns the affected article ids.

    Stored revisions are rewritten as well, so that rolling an article back never
    brings a deleted tag back to life.
    """
    if duplicate.pk == keep.pk:
        raise ValueError("a tag cannot be merged into itself")
    check_merge_target(keep)
    links = ArticlePageTagRelationship.objects.filter(tag=duplicate)
    article_ids = sorted(set(links.values_list("content_object_id", flat=True)))
    both = ArticlePageTagRelationship.objects.filter(
        tag=keep, content_object_id__in=article_ids
    ).values_list("content_object_id", flat=True)
    links.filter(content_object_id__in=list(both)).delete()
    links.update(tag=keep)
    rewrite_revisions(article_ids, duplicate.pk, keep.pk)

    old_path, new_path = tag_path(duplicate), tag_path(keep)
    # Earlier merges into the duplicate now point straight at the kept tag.
    Redirect.objects.filter(redirect_link=old_path).update(redirect_link=new_path)
    Redirect.objects.update_or_create(
        old_path=Redirect.normalise_path(old_path),
        site=None,
        defaults={"redirect_link": new_path, "is_permanent": True, "redirect_page": None},
    )
    # The links moved above by a bulk update, so deleting the duplicate announces no
    # article (it has none left): announce them here. Their tag names changed, so
    # search re-reads them.
    duplicate.delete()
    announce(article_ids, ChangeKind.METADATA, sender=NewsTag)
    return article_ids


def rewrite_revisions(article_ids: list[int], old_id: int, new_id: int) -> None:
    revisions = Revision.page_revisions.filter(object_id__in=[str(pk) for pk in article_ids])
    for revision in revisions.iterator():
        items = revision.content.get("tagged_items")
        if not items or not any(item.get("tag") == old_id for item in items):
            continue
        kept, seen = [], set()
        for item in items:
            tag_id = new_id if item.get("tag") == old_id else item.get("tag")
            if tag_id in seen:
                continue
            seen.add(tag_id)
            kept.append({**item, "tag": tag_id})
        revision.content["tagged_items"] = kept
        revision.save(update_fields=["content"])
