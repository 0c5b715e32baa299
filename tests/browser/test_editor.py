"""The editor's main path: log into the Arabic admin, write and publish an article,
see it on the home page and in its section."""

import json
import urllib.request

import pytest

from .conftest import screenshot

pytestmark = pytest.mark.browser


def login(page, base: str, username: str = "editor", password: str = "sahafa-demo") -> None:
    page.goto(base + "/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.locator("form button[type=submit]").first.click()
    page.wait_for_url(base + "/admin/**")


def test_editor_publishes_an_article_that_readers_see(page, demo_server):
    with urllib.request.urlopen(demo_server + "/api/v1/sections/") as response:  # noqa: S310 - loopback
        section = json.load(response)["results"][0]
    login(page, demo_server)
    assert page.locator("html").get_attribute("dir") == "rtl"
    screenshot(page, "admin-dashboard")

    page.goto(f"{demo_server}/admin/pages/add/news/articlepage/{section['id']}/")
    title = "اختبار المتصفح: افتتاح مكتبة عامة جديدة في الحي القديم"
    page.fill("#id_title", title)
    page.fill("#id_standfirst", "افتتحت البلدية مكتبة عامة تضم آلاف الكتب.")
    screenshot(page, "admin-editor")
    publish = page.locator("button[name='action-publish']")
    if not publish.is_visible():
        page.locator("[data-w-dropdown-target='toggle']").last.click()
    publish.click()
    page.wait_for_url("**/admin/pages/**")
    assert "errorlist" not in page.content()

    page.goto(demo_server + "/")
    assert title in page.content()
    page.goto(section["url"])
    assert title in page.content()
