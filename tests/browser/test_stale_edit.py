"""Two editors saving the same article, each from a form opened before the other's
save, in real browsers: the first save stands, the second is told in Arabic who saved
what, keeps their text on screen, and finds it kept as a revision of its own in the
page's history."""

from __future__ import annotations

import json
import secrets
import urllib.request

import pytest

from .conftest import screenshot
from .test_workflow import press_footer_action, signed_in

pytestmark = pytest.mark.browser


def first_section_id(base: str) -> int:
    with urllib.request.urlopen(base + "/api/v1/sections/") as response:  # noqa: S310 - loopback
        return json.load(response)["results"][0]["id"]


def save_draft(page) -> None:
    """Press «save draft» and wait for the page the server answers with."""
    with page.expect_navigation():
        press_footer_action(page, "button.action-save:visible >> nth=0")
    page.wait_for_load_state("networkidle")


def test_a_stale_second_save_is_kept_aside_with_a_clear_message(browser, demo_server):
    mark = secrets.token_hex(3)
    with (
        signed_in(browser, demo_server, "editor") as chief,
        signed_in(browser, demo_server, "section_editor") as colleague,
    ):
        chief.goto(
            f"{demo_server}/admin/pages/add/news/articlepage/{first_section_id(demo_server)}/"
        )
        chief.fill("#id_title", f"خبر يحرره اثنان {mark}")
        chief.fill("#id_standfirst", "موجز أول كتبه رئيس التحرير.")
        save_draft(chief)
        chief.wait_for_url("**/edit/**")
        edit_url = chief.url

        colleague.goto(edit_url)  # both forms are now open on the same revision
        chief.fill("#id_title", f"عنوان رئيس التحرير {mark}")
        save_draft(chief)
        assert "errorlist" not in chief.content()

        colleague.fill("#id_standfirst", f"موجز رئيس القسم {mark}")
        save_draft(colleague)
        screenshot(colleague, "admin-stale-save")
        text = colleague.content()
        assert "فلم يحلّ تعديلك محل حفظه" in text
        assert "حُفظ مراجعةً مستقلة في سجل الصفحة" in text
        # The colleague's text is still on screen, and the chief's save still stands
        # after the colleague's browser has had time to autosave (it must not).
        assert colleague.input_value("#id_standfirst") == f"موجز رئيس القسم {mark}"
        colleague.wait_for_timeout(2_000)
        chief.reload()
        assert chief.input_value("#id_title") == f"عنوان رئيس التحرير {mark}"
        assert chief.input_value("#id_standfirst") == "موجز أول كتبه رئيس التحرير."

        colleague.goto(edit_url.replace("/edit/", "/history/"))
        screenshot(colleague, "admin-history-kept-aside")
        assert "حُفظ تعديل متأخر مراجعةً مستقلة" in colleague.content()
        # Reviewing the kept revision opens it in the editor (saving it from there is
        # tests/newsroom/test_stale_edits.py's).
        kept_row = colleague.locator("tbody tr").first
        kept_row.locator("[data-w-dropdown-target='toggle']").click()
        kept_row.locator("a[href*='/revisions/'][href$='/revert/']").click()
        colleague.wait_for_load_state("networkidle")
        assert colleague.input_value("#id_standfirst") == f"موجز رئيس القسم {mark}"
