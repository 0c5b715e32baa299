"""The newsroom's approval workflow in a real browser (issue 7): a reporter writes and
submits, the section editor returns it with a comment, the reporter fixes it and
resubmits, the section editor approves, and the article reaches readers.

Every step goes through the Arabic admin as that user would, each user in a browser
context of their own. Selectors are Wagtail's stable names and data attributes rather
than the Arabic labels, which translators may change.
"""

from __future__ import annotations

import json
import re
import secrets
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from playwright.sync_api import expect

from .conftest import screenshot

pytestmark = pytest.mark.browser

PASSWORD = "sahafa-demo"  # noqa: S105 - the demo accounts' published password
SECTION_STEP = "موافقة رئيس القسم"  # the workflow's first task (a database name, not a msgid)


@contextmanager
def fresh_page(browser) -> Iterator:
    """A page in a browser context of its own: no cookies shared with any other user."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ar")
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.set_default_navigation_timeout(90_000)
    try:
        yield page
    finally:
        context.close()


@contextmanager
def signed_in(browser, base: str, username: str) -> Iterator:
    """A fresh page logged into the admin as ``username``."""
    with fresh_page(browser) as page:
        page.goto(base + "/admin/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", PASSWORD)
        page.locator("form button[type=submit]").first.click()
        page.wait_for_url(base + "/admin/**")
        assert "/admin/login/" not in page.url, f"{username} could not sign in"
        yield page


def press_footer_action(page, selector: str) -> None:
    """Click an action of the editor's footer, opening its «more actions» menu when the
    action is not the primary button (which one is primary depends on the user's rights)."""
    # Wagtail's editor wires its menus once its scripts have loaded; on a busy
    # machine a click before that opens nothing.
    page.wait_for_load_state("networkidle")
    button = page.locator(selector)
    if not button.is_visible():
        page.locator("nav.actions--primary [data-w-dropdown-target='toggle']").click()
    button.click()


def submitted_edit_url(page) -> str:
    """After submitting from the create view, Wagtail returns to the section's listing with a
    success message whose «edit» button links to the new page."""
    link = page.locator(".messages a[href$='/edit/']").first
    return link.get_attribute("href")


def anonymous_status(browser, url: str) -> int:
    """The HTTP status a reader who never signed in gets for ``url``."""
    with fresh_page(browser) as page:
        return page.goto(url).status


def first_section(base: str) -> dict:
    """The demo puts the reporter and the section editor in the first section."""
    with urllib.request.urlopen(base + "/api/v1/sections/") as response:  # noqa: S310 - loopback
        return json.load(response)["results"][0]


def test_article_goes_from_reporter_through_section_editor_to_readers(browser, demo_server):
    base = demo_server
    section = first_section(base)
    # A fresh number keeps the slug free when the test runs again against the same site.
    title = f"اختبار المسار {secrets.randbelow(10**6)}: مجلس الحي يناقش خطة الحدائق العامة"
    first_standfirst = "ناقش مجلس الحي خطة لإنشاء حدائق."
    fixed_standfirst = "أقر مجلس الحي خطة لإنشاء ثلاث حدائق عامة قبل الصيف."
    comment = "يرجى ذكر عدد الحدائق وموعد التنفيذ في المقدمة."

    # 1. The reporter writes the article in their section and submits it.
    with signed_in(browser, base, "reporter") as page:
        page.goto(f"{base}/admin/pages/add/news/articlepage/{section['id']}/")
        assert page.locator("html").get_attribute("dir") == "rtl"
        page.fill("#id_title", title)
        page.fill("#id_standfirst", first_standfirst)
        # A reporter may not publish: submitting for approval is all the menu offers.
        assert page.locator("button[name='action-publish']").count() == 0
        press_footer_action(page, "button[name='action-submit']")
        try:
            page.wait_for_url(lambda url: "/add/" not in url)
        except Exception:
            screenshot(page, "workflow-submit-failed")  # what the reporter saw instead
            raise
        assert page.locator(".messages .success").count() == 1
        edit_path = submitted_edit_url(page)
        page_id = int(re.search(r"/pages/(\d+)/edit/", edit_path)[1])
        page.goto(f"{base}/admin/pages/{page_id}/edit/")
        # Under review the article is locked for its author, naming the step it waits on.
        assert SECTION_STEP in page.locator("body").inner_text()
        slug = page.eval_on_selector("#id_slug", "el => el.value")
        screenshot(page, "workflow-submitted")
    assert slug, "the submitted article has no slug"
    article_url = f"{section['url']}{slug}/"
    assert anonymous_status(browser, article_url) == 404, "a submitted draft must not be public"
    edit_url = f"{base}/admin/pages/{page_id}/edit/"

    # 2. The section editor finds it on the dashboard and returns it with a comment.
    with signed_in(browser, base, "section_editor") as page:
        page.goto(base + "/admin/")
        awaiting_review = page.locator("section[id^='awaiting-review']")
        awaiting_review.locator(f"td.title a[href='/admin/pages/{page_id}/edit/']").click()
        page.wait_for_url(edit_url)
        press_footer_action(page, "button[data-workflow-action-name='reject']")
        modal = page.locator(".modal")
        modal.locator("textarea[name='comment']").fill(comment)
        modal.locator("form button[type=submit]").click()
        page.wait_for_url(lambda url: url != edit_url)
        assert page.locator(".messages .success").count() == 1
    assert anonymous_status(browser, article_url) == 404, "a returned draft must not be public"

    # 3. The reporter reads the comment, fixes the standfirst and resubmits.
    with signed_in(browser, base, "reporter") as page:
        page.goto(edit_url)
        page.locator("[data-side-panel-toggle='status']").click()
        page.locator("[data-a11y-dialog-show='workflow-status-dialog']").click()
        dialog = page.locator("#workflow-status-dialog")
        expect(dialog).to_contain_text(comment)
        screenshot(page, "workflow-returned")
        page.keyboard.press("Escape")
        expect(dialog).to_be_hidden()
        page.fill("#id_standfirst", fixed_standfirst)
        press_footer_action(page, "button[name='action-submit']")
        page.wait_for_url(lambda url: url != edit_url)
        assert page.locator(".messages .success").count() == 1
    assert anonymous_status(browser, article_url) == 404, "a resubmitted draft must not be public"

    # 4. The section editor approves; a routine article skips the chief's step.
    with signed_in(browser, base, "section_editor") as page:
        page.goto(edit_url)
        assert page.eval_on_selector("#id_standfirst", "el => el.value") == fixed_standfirst
        approve = (
            "button[data-workflow-action-name='approve']:not([data-workflow-action-modal-url])"
        )
        press_footer_action(page, approve)
        page.wait_for_url(lambda url: url != edit_url)
        assert page.locator(".messages .success").count() == 1

    # 5. Readers see it in the section and on its own page, with the fixed standfirst.
    with fresh_page(browser) as page:
        page.goto(section["url"])
        # The section's own listing, not the moving ticker above it.
        link = page.locator(".card-grid .card-title a", has_text=title)
        expect(link).to_be_visible()
        link.click()
        page.wait_for_url(article_url)
        assert page.locator("h1#article-title").inner_text().strip() == title
        expect(page.locator("body")).to_contain_text(fixed_standfirst)
        assert first_standfirst not in page.content()
        screenshot(page, "workflow-published")
    assert anonymous_status(browser, article_url) == 200
