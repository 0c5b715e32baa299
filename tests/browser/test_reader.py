"""The reader's main path in a real browser: home → ticker headline → article →
related topic; ticker controls; Arabic 404."""

import pytest

from .conftest import screenshot

pytestmark = pytest.mark.browser


def test_home_shows_identity_masthead_and_ticker(page, demo_server):
    page.goto(demo_server + "/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("html").get_attribute("lang") == "ar"
    brand = page.locator(".brand-name").inner_text()
    assert brand.strip()
    masthead = page.locator("header .masthead").inner_text()
    assert "رئيس مجلس الإدارة" in masthead and "رئيس التحرير" in masthead
    assert page.locator(".ticker .ticker-item").count() >= 5
    assert page.locator(".section-block").count() >= 3
    screenshot(page, "home")


def test_ticker_headline_opens_article_with_image_subheadings_and_related(page, demo_server):
    page.goto(demo_server + "/")
    page.locator(".ticker-toggle").click()  # a reader pauses the moving line to click it
    # The demo's own stories (the editor test may have added an image-less one).
    link = page.locator(".ticker .ticker-item a").filter(has_not_text="اختبار المتصفح").first
    title = link.inner_text().strip()
    link.click()
    page.wait_for_load_state()
    assert page.locator("h1#article-title").inner_text().strip().endswith(title[-20:])
    figure = page.locator("figure.lead-figure")
    assert figure.locator("img").get_attribute("alt")
    assert figure.locator("figcaption").inner_text().strip()
    assert page.locator(".article-body h2.subheading").count() >= 1
    assert page.locator(".article-body blockquote").count() >= 1
    related = page.locator("section.related .card-title a")
    assert related.count() >= 1
    screenshot(page, "article")
    target = related.first.get_attribute("href")
    response = page.goto(demo_server + target)
    assert response.status == 200
    assert page.locator("h1#article-title").inner_text().strip()


def test_share_address_redirects_to_the_article(page, demo_server):
    page.goto(demo_server + "/")
    page.locator(".top-stories .card-title a").first.click()
    page.wait_for_load_state()
    canonical = page.url
    short = page.locator("a.share-short").get_attribute("href")
    assert short.startswith("/a/")
    page.goto(demo_server + short)
    assert page.url == canonical


def test_ticker_can_be_paused_and_respects_reduced_motion(browser, demo_server):
    context = browser.new_context(reduced_motion="reduce")
    page = context.new_page()
    page.goto(demo_server + "/")
    animation = page.eval_on_selector(".ticker-track", "el => getComputedStyle(el).animationName")
    assert animation == "none"
    context.close()

    context = browser.new_context()
    page = context.new_page()
    page.goto(demo_server + "/")
    toggle = page.locator(".ticker-toggle")
    assert toggle.get_attribute("aria-pressed") == "false"
    toggle.click()
    assert toggle.get_attribute("aria-pressed") == "true"
    state = page.eval_on_selector(".ticker-track", "el => getComputedStyle(el).animationPlayState")
    assert state == "paused"
    context.close()


def test_unknown_address_gives_arabic_404(page, demo_server):
    response = page.goto(demo_server + "/لا-توجد-صفحة/")
    assert response.status == 404
    assert "الصفحة غير موجودة" in page.locator("h1").inner_text()


def test_public_pages_meet_the_csp_without_errors(page, demo_server):
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.goto(demo_server + "/")
    page.wait_for_timeout(500)
    assert not [e for e in errors if "Content Security Policy" in e]


def test_search_from_the_header_finds_stories_whatever_the_prefix(page, demo_server):
    page.goto(demo_server + "/")
    page.fill("#site-search", "وبالمفاوضات")
    page.locator(".search-form button[type=submit]").click()
    page.wait_for_load_state()
    assert "/search/" in page.url
    assert page.locator("meta[name=robots]").get_attribute("content").startswith("noindex")
    results = page.locator(".search-results li")
    assert results.count() >= 1
    assert page.locator(".search-results mark").count() >= 1
    screenshot(page, "search")
    results.first.locator(".card-title a").click()
    page.wait_for_load_state()
    assert page.locator("h1#article-title").inner_text().strip()
