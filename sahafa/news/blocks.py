"""Article body blocks: paragraph, sub-heading, quotation, image, embed."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock

# Only these hosts may be embedded; anything else is shown as a plain link, so no
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
    kind = EMBED_HOSTS.get(parsed.netloc.lower())
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


class ArticleBodyBlock(blocks.StreamBlock):
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
