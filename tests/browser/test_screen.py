"""The reader's screen at phone, tablet and desktop widths, light and dark: nothing
wider than the screen, the lead image first, the site's own Arabic font and icons,
a dark theme that follows the system, and a ticker that leaves background tabs quiet."""

from __future__ import annotations

import io
import json
from urllib.parse import urljoin

import pytest
from PIL import Image

from .conftest import ARTIFACTS

pytestmark = pytest.mark.browser

# What is wider than the viewport (outside a clipping box such as the ticker's window),
# to say which element made the page scroll sideways.
OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const clipped = (el) => {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      if (getComputedStyle(p).overflowX !== "visible") return true;
    }
    return false;
  };
  const culprits = [...document.querySelectorAll("body *")].filter((el) => {
    const r = el.getBoundingClientRect();
    return r.width && (r.right > width + 1 || r.left < -1) && !clipped(el);
  }).slice(0, 5).map((el) => el.tagName.toLowerCase() + "." + el.className);
  return { scrollWidth: document.documentElement.scrollWidth, width, culprits };
}"""

# The page's largest paint, as Chromium reports it.
LARGEST_PAINT = """() => new Promise((resolve) => {
  new PerformanceObserver((list) => {
    const last = list.getEntries().at(-1);
    resolve(last && last.element ? last.element.outerHTML : null);
  }).observe({ type: "largest-contentful-paint", buffered: true });
})"""


def luminance(css_colour: str) -> float:
    """Relative luminance (WCAG) of an ``rgb(…)`` computed colour."""
    channels = [
        int(float(c)) / 255 for c in css_colour[css_colour.index("(") + 1 : -1].split(",")[:3]
    ]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("width", [320, 390, 768])
def test_no_page_scrolls_sideways(browser, demo_server, warm_site, width):
    context = browser.new_context(viewport={"width": width, "height": 800}, locale="ar")
    page = context.new_page()
    page.set_default_timeout(60_000)
    wide = {}
    for kind, path in warm_site.items():
        page.goto(demo_server + path)
        page.evaluate("document.fonts.ready")
        measured = page.evaluate(OVERFLOW)
        if measured["scrollWidth"] > measured["width"]:
            wide[kind] = measured
    context.close()
    assert not wide, f"wider than {width}px: {wide}"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_home_and_article_read_well_in_both_themes(browser, demo_server, warm_site, scheme):
    """Screenshots for a person to look at (test-artifacts/screen-*.png), and what
    can be checked of them: right to left, the header whole on a phone, body text
    that contrasts with its page, the theme the reader's system asks for."""
    for width in (390, 1280):
        context = browser.new_context(
            viewport={"width": width, "height": 844 if width < 800 else 900},
            color_scheme=scheme,
            locale="ar",
        )
        page = context.new_page()
        page.set_default_timeout(60_000)
        for kind in ("home", "article"):
            page.goto(demo_server + warm_site[kind])
            page.evaluate("document.fonts.ready")
            lead = page.locator(".card-lead img, .lead-figure img").first
            lead.wait_for()
            page.wait_for_function(
                "(img) => img.complete && img.naturalWidth > 0", arg=lead.element_handle()
            )
            page.screenshot(path=str(ARTIFACTS / f"screen-{kind}-{width}-{scheme}.png"))
            assert page.locator("html").get_attribute("dir") == "rtl"
            # Nothing of the header is off screen: the brand, the search field and its button.
            for selector in (".brand-name", "#site-search", ".search-form button"):
                box = page.locator(selector).bounding_box()
                assert box["x"] >= 0 and box["x"] + box["width"] <= width + 0.5, (selector, box)
            colours = page.evaluate(
                """() => { const s = (el) => getComputedStyle(el);
                   return { page: s(document.body).backgroundColor, text: s(document.body).color,
                            title: s(document.querySelector("h1:not(.visually-hidden), .card-title a")).color }; }"""
            )
            dark_page = luminance(colours["page"]) < 0.05
            assert dark_page == (scheme == "dark"), colours
            assert contrast(colours["page"], colours["text"]) >= 7, colours
            assert contrast(colours["page"], colours["title"]) >= 4.5, colours
        context.close()


@pytest.mark.parametrize(
    "kind,selector", [("home", ".card-lead img"), ("article", ".lead-figure img")]
)
def test_lead_image_comes_first_and_the_rest_waits(page, demo_server, warm_site, kind, selector):
    page.goto(demo_server + warm_site[kind])
    lead = page.locator(selector)
    assert lead.get_attribute("fetchpriority") == "high"
    assert lead.get_attribute("loading") is None
    page.wait_for_function(
        "(img) => img.complete && img.naturalWidth > 0", arg=lead.element_handle()
    )
    chosen = lead.evaluate("img => img.currentSrc")
    assert chosen.endswith((".avif", ".webp")), chosen  # a <picture> source, not the fallback
    # The head's preload names the file the picture chose, and the browser used it.
    preload = page.locator("head link[rel=preload][as=image]").get_attribute("imagesrcset")
    assert chosen.replace(demo_server, "") in preload
    initiator = page.evaluate("(url) => performance.getEntriesByName(url)[0].initiatorType", chosen)
    assert initiator == "link"
    assert page.evaluate(LARGEST_PAINT).startswith("<img")
    others = page.locator(f"main img:not({selector})")
    for i in range(others.count()):
        img = others.nth(i)
        assert img.get_attribute("loading") == "lazy"
    every = page.locator("img")
    for i in range(every.count()):
        img = every.nth(i)
        assert img.get_attribute("width") and img.get_attribute("height"), img.evaluate(
            "e => e.outerHTML"
        )


def test_site_font_icons_and_manifest(page, demo_server):
    page.goto(demo_server + "/")
    page.evaluate("document.fonts.ready")
    loaded = page.evaluate(
        """() => [...document.fonts].filter((f) => f.family.includes("Sahafa Naskh") && f.status === "loaded").length"""
    )
    assert loaded >= 1  # the Arabic face, at least: every page is Arabic text
    family = page.locator(".card-title").first.evaluate("e => getComputedStyle(e).fontFamily")
    assert family.startswith('"Sahafa Naskh"')
    fonts = page.evaluate(
        """() => performance.getEntriesByType("resource").filter((e) => e.name.endsWith(".woff2"))
              .map((e) => [e.name, e.encodedBodySize])"""
    )
    assert fonts and all("/static/news/fonts/" in url for url, _ in fonts)
    assert sum(size for _, size in fonts) < 100_000, fonts  # small: two subset files

    def fetch(href: str):
        response = page.request.get(urljoin(page.url, href))
        assert response.status == 200, href
        return response

    assert (
        fetch(page.locator("link[rel=icon][type='image/svg+xml']").get_attribute("href"))
        .headers["content-type"]
        .startswith("image/svg+xml")
    )
    fetch(page.locator("link[rel=icon][sizes]").get_attribute("href"))
    touch = fetch(page.locator("link[rel=apple-touch-icon]").get_attribute("href"))
    assert Image.open(io.BytesIO(touch.body())).size == (180, 180)

    manifest_url = urljoin(page.url, page.locator("link[rel=manifest]").get_attribute("href"))
    manifest = json.loads(fetch(manifest_url).text())
    assert manifest["lang"] == "ar" and manifest["dir"] == "rtl"
    assert any("\u0600" <= ch <= "\u06ff" for ch in manifest["name"])
    sizes = set()
    for icon in manifest["icons"]:
        body = fetch(urljoin(manifest_url, icon["src"])).body()
        if icon["type"] == "image/png":
            width, height = Image.open(io.BytesIO(body)).size
            assert icon["sizes"] == f"{width}x{height}"
            sizes.add(width)
    assert {192, 512} <= sizes


# A headless browser never hides a tab, so the test drives the Page Visibility API
# that site.js listens to: the state it reads and the event it hears.
CONTROLLABLE_VISIBILITY = """(() => {
  let state = "visible";
  Object.defineProperty(Document.prototype, "visibilityState", { configurable: true, get: () => state });
  Object.defineProperty(Document.prototype, "hidden", { configurable: true, get: () => state === "hidden" });
  window.__setVisibility = (next) => { state = next; document.dispatchEvent(new Event("visibilitychange")); };
})();"""


START = 1_800_000_000  # any fixed instant (seconds since the epoch)


def test_ticker_polls_every_8_seconds_only_while_the_tab_is_visible(browser, demo_server):
    context = browser.new_context()
    page = context.new_page()
    page.add_init_script(CONTROLLABLE_VISIBILITY)
    # The page's clock stands still except when the test moves it.
    page.clock.install(time=START)
    page.clock.pause_at(START + 1)
    asked = []
    # The script's fetches (a background revalidation of the browser's cache is not one).
    page.on(
        "request",
        lambda r: (
            asked.append(r.url)
            if "/fragments/ticker.json" in r.url and r.resource_type == "fetch"
            else None
        ),
    )

    def polls_become(expected: int) -> None:
        for _ in range(50):
            if len(asked) >= expected:
                break
            page.wait_for_timeout(100)
        page.wait_for_timeout(300)  # and no more than that
        assert len(asked) == expected

    page.goto(demo_server + "/")
    polls_become(0)
    page.clock.run_for(2_500)
    polls_become(1)
    page.clock.run_for(8_000)
    polls_become(2)
    page.evaluate("window.__setVisibility('hidden')")
    page.clock.run_for(60_000)  # a minute in the background: not one request
    polls_become(2)
    page.evaluate("window.__setVisibility('visible')")
    polls_become(3)  # back in front: at once, without waiting for the next tick
    page.clock.run_for(8_000)
    polls_become(4)
    context.close()
