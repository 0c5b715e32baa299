"""Article body blocks: paragraph, sub-heading, quotation, image, embed.

The body refuses a required text that sanitising would empty (a heading of only
``<b></b>``), and names an empty one an older save left behind, so the next editor
is told which block to mend instead of meeting Wagtail's bare «required» error.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.stream_block import StreamBlockValidationError
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.images.blocks import ImageChooserBlock

from .sanitize import (
    EMPTIED_MESSAGE,
    clean_text,
    emptied_by_cleaning,
    has_visible_text,
    required_block_parts,
)

# Only these hosts may be embedded, and those the operator adds (SAHAFA_EMBED_HOSTS,
# embedded at the address given); anything else is shown as a plain link, so no
# unknown iframe ever reaches a reader.
EMBED_HOSTS = {
    "www.youtube.com": "youtube",
    "youtube.com": "youtube",
    "youtu.be": "youtube",
    "www.youtube-nocookie.com": "youtube",
    "vimeo.com": "vimeo",
    "player.vimeo.com": "vimeo",
}


def embed_iframe_src(url: str) -> str | None:
    """The iframe address for an allowed video URL, or None when not embeddable."""
    parsed = urlparse(url)
    if parsed.scheme not in {"http", "https"}:
        return None
    host = parsed.netloc.lower()
    kind = EMBED_HOSTS.get(host)
    if kind is None and parsed.scheme == "https" and host in settings.SAHAFA_EMBED_HOSTS:
        # The public CSP's frame-src names these hosts (sahafa.delivery.content_policy).
        return parsed.geturl()
    if kind == "youtube":
        if parsed.netloc.lower() == "youtu.be":
            video = parsed.path.strip("/")
        elif parsed.path.startswith("/embed/"):
            video = parsed.path.split("/")[2]
        else:
            video = (parse_qs(parsed.query).get("v") or [""])[0]
        if video.replace("-", "").replace("_", "").isalnum():
            return f"https://www.youtube-nocookie.com/embed/{video}"
    if kind == "vimeo":
        video = parsed.path.strip("/").split("/")[-1]
        if video.isdigit():
            return f"https://player.vimeo.com/video/{video}"
    return None


class SafeEmbedBlock(blocks.StructBlock):
    url = blocks.URLBlock(label=_("الرابط"))
    title = blocks.CharBlock(label=_("العنوان"), required=False)

    def clean(self, value):
        value = super().clean(value)
        if urlparse(value["url"]).scheme not in {"http", "https"}:
            raise ValidationError(_("الرابط يجب أن يبدأ بـ http أو https"))
        return value

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        context["iframe_src"] = embed_iframe_src(value["url"])
        return context

    class Meta:
        icon = "media"
        label = _("تضمين")
        template = "news/blocks/embed.html"


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("نص الاقتباس"))
    attribution = blocks.CharBlock(label=_("القائل"), required=False)
    style = blocks.ChoiceBlock(
        choices=[("inline", _("اقتباس")), ("pull", _("اقتباس بارز"))],
        default="inline",
        label=_("النمط"),
    )

    class Meta:
        icon = "openquote"
        label = _("اقتباس")
        template = "news/blocks/quote.html"


class CaptionedImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("الصورة"))
    caption = blocks.CharBlock(label=_("التعليق"), required=False)
    credit = blocks.CharBlock(label=_("المصدر / التصوير"), required=False)

    class Meta:
        icon = "image"
        label = _("صورة")
        template = "news/blocks/image.html"


EMPTY_MESSAGE = _("«%(field)s» فارغ: اكتب نصه أو احذف كتلة «%(block)s».")


def _part_error(name: str, error: ValidationError) -> ValidationError:
    """``error`` where Wagtail shows it: at the child ``name`` of a StructBlock, at
    the block itself otherwise."""
    if not name:
        return error
    return StructBlockValidationError(block_errors={name: error})


def _merge(wagtail_error: ValidationError | None, ours: ValidationError) -> ValidationError:
    """Ours replaces Wagtail's error for the same part; its others are kept."""
    if isinstance(wagtail_error, StructBlockValidationError) and isinstance(
        ours, StructBlockValidationError
    ):
        return StructBlockValidationError(
            block_errors={**wagtail_error.block_errors, **ours.block_errors},
            non_block_errors=wagtail_error.non_block_errors,
        )
    return ours


class ArticleBodyBlock(blocks.StreamBlock):
    """The article body. Its ``clean`` adds the sanitiser's rule to Wagtail's checks
    (a ``clean`` here, not new block classes: the blocks' migration state stays
    Wagtail's own)."""

    paragraph = blocks.RichTextBlock(
        features=["bold", "italic", "link", "document-link"],
        label=_("فقرة"),
        template="news/blocks/paragraph.html",
    )
    heading = blocks.CharBlock(
        label=_("عنوان فرعي"), icon="title", template="news/blocks/heading.html"
    )
    quote = QuoteBlock()
    image = CaptionedImageBlock()
    embed = SafeEmbedBlock()

    def clean(self, value):
        ours = self.required_text_errors(value)
        try:
            cleaned = super().clean(value)
        except StreamBlockValidationError as exc:
            errors = dict(exc.block_errors)
            for index, error in ours.items():
                errors[index] = _merge(errors.get(index), error)
            raise StreamBlockValidationError(
                block_errors=errors, non_block_errors=exc.non_block_errors
            ) from exc
        if ours:
            raise StreamBlockValidationError(block_errors=ours)
        return cleaned

    def required_text_errors(self, value) -> dict[int, ValidationError]:
        """By block index: a required text that sanitising would empty (refused even on
        a draft, since the draft would be saved empty), or one already empty (on
        publish only; a draft may still be unfinished).

        An article saved before this rule may hold an empty heading; it is not
        dropped silently (that would change the article behind its editor's back)
        but named here, so the editor writes it or deletes the block and publishes.
        The workflow's approval and scheduled publishing, which do not re-validate the
        body, still publish it; the heading template renders nothing visible.
        """
        errors: dict[int, ValidationError] = {}
        for index, child in enumerate(value):
            for name, label, kind, text in required_block_parts(child.block, child.value):
                if emptied_by_cleaning(text, kind):
                    message, params = EMPTIED_MESSAGE, {"field": label}
                    code = "emptied_by_cleaning"
                elif (
                    kind == "text"
                    and not self.is_deferred_validation
                    and not has_visible_text(clean_text(text))
                ):
                    # Wagtail refuses it too, as «required»; this says which and what to do.
                    message, params = EMPTY_MESSAGE, {"field": label, "block": child.block.label}
                    code = "required"
                else:
                    continue
                error = _part_error(name, ValidationError(message, code, params))
                errors[index] = _merge(errors.get(index), error)
        return errors
