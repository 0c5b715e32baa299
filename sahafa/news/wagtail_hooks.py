from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .forms import KEPT_ASIDE_ACTION
from .models import Author, TickerItem


class AuthorViewSet(SnippetViewSet):
    model = Author
    icon = "user"
    menu_label = _("الكتّاب")
    menu_order = 210
    add_to_admin_menu = True
    list_display = ["name", "job_title", "slug"]
    search_fields = ["name"]


class TickerItemViewSet(SnippetViewSet):
    model = TickerItem
    icon = "warning"
    menu_label = _("شريط الأخبار")
    menu_order = 200
    add_to_admin_menu = True
    list_display = ["text", "is_breaking", "priority", "expires_at"]


register_snippet(AuthorViewSet)
register_snippet(TickerItemViewSet)


@hooks.register("register_log_actions")
def register_kept_aside_action(actions):
    actions.register_action(
        KEPT_ASIDE_ACTION,
        _("حُفظ تعديل متأخر مراجعةً مستقلة"),
        _("حُفظ تعديل من نموذج سبقه حفظ زميل، مراجعةً مستقلة لا تحل محل حفظه"),
    )
