from django.templatetags.static import static
from django.urls import include, path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from wagtail import hooks

from . import urls


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("related/", include(urls, namespace="sahafa_related"))]


@hooks.register("insert_editor_js")
def tag_suggestions_js():
    # Labels travel as data attributes: the script is a static file (no inline JS) and
    # the strings stay in Django's translation catalogue.
    return format_html(
        '<script src="{}" data-url="{}" data-label-button="{}" data-label-tags="{}" '
        'data-label-phrases="{}" data-label-empty="{}" data-label-add="{}" defer></script>',
        static("related/tag_suggestions.js"),
        reverse("sahafa_related:suggest_tags"),
        _("اقترح وسومًا"),
        _("وسوم الموقع المناسبة:"),
        _("أسماء وعبارات بارزة:"),
        _("لا اقتراحات لهذا النص."),
        _("أضف الوسم %(name)s"),
    )
