"""Hostile payloads and a checker for "no executable markup reaches the reader".

Shared by the XSS tests; the checker parses HTML with the standard library and
reports every script, event handler, dangerous URL or foreign frame it finds.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    '<iframe src="javascript:alert(1)"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<iframe src="https://evil.example/frame"></iframe>',
    '<a href="javascript:alert(1)">انقر</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">انقر</a>',
    '<a href="java&#x09;script:alert(1)">انقر</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">انقر</a>',
    '<div style="background:url(javascript:alert(1))">نص</div>',
    '<div style="width:expression(alert(1))">نص</div>',
    "<ScRiPt>alert(1)</sCrIpT>",
    "<script>alert(1)",
    "<img src=x onerror=alert(1)",
    '"><script>alert(1)</script>',
    "'><img src=x onerror=alert(1)>",
    "</title><script>alert(1)</script>",
    "</textarea><script>alert(1)</script>",
    "<body onload=alert(1)>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<object data="javascript:alert(1)"></object>',
    '<embed src="javascript:alert(1)">',
    '<base href="javascript:alert(1)//">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<form action="javascript:alert(1)"><button>أرسل</button></form>',
    "<input autofocus onfocus=alert(1)>",
    "<details open ontoggle=alert(1)>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "\u202e<script>alert(1)</script>",
    '<!--<img src="--><img src=x onerror=alert(1)//">',
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "javascript:alert(1)",
]

ALLOWED_FRAME_HOSTS = {"www.youtube-nocookie.com", "player.vimeo.com"}
URL_ATTRIBUTES = {
    "href",
    "src",
    "action",
    "formaction",
    "data",
    "poster",
    "xlink:href",
    "background",
    "srcset",
    "content",
}
FORBIDDEN_TAGS = {"object", "embed", "base", "applet", "frame", "frameset", "math", "svg"}
BAD_SCHEME = re.compile(r"^(javascript|vbscript|data):", re.IGNORECASE)


def _squash(value: str) -> str:
    return re.sub(r"[\x00-\x20\u202a-\u202e]", "", html.unescape(value or "")).lower()


class ExecutableMarkupFinder(HTMLParser):
    """Collects every way a page could run code or frame a foreign page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self._in_json_ld = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script":
            src = attributes.get("src") or ""
            if attributes.get("type") == "application/ld+json":
                self._in_json_ld = True
            elif not src.startswith("/static/"):
                self.problems.append(f"script tag {attrs}")
        if tag in FORBIDDEN_TAGS:
            self.problems.append(f"forbidden tag <{tag}>")
        if tag == "meta" and (attributes.get("http-equiv") or "").lower() == "refresh":
            self.problems.append("meta refresh")
        if tag == "iframe":
            host = urlsplit(attributes.get("src") or "").netloc.lower()
            if host not in ALLOWED_FRAME_HOSTS or "srcdoc" in attributes:
                self.problems.append(f"iframe {attrs}")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"event handler {name} on <{tag}>")
            if name == "style" and re.search(r"expression\(|javascript:|url\(", _squash(value)):
                self.problems.append(f"style {value!r}")
            if name in URL_ATTRIBUTES and value:
                squashed = _squash(value)
                if name == "content":
                    if tag == "meta" and "url=javascript:" in squashed:
                        self.problems.append(f"meta content {value!r}")
                    continue
                if BAD_SCHEME.match(squashed) and not (
                    tag == "img" and name == "src" and squashed.startswith("data:image/")
                ):
                    self.problems.append(f"{name}={value!r} on <{tag}>")

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_json_ld = False

    def handle_data(self, data):
        if self._in_json_ld and "<" in data:
            self.problems.append("markup inside JSON-LD")


def executable_markup(markup: str) -> list[str]:
    finder = ExecutableMarkupFinder()
    finder.feed(markup)
    finder.close()
    return finder.problems


def strings_in(value, key: str = ""):
    """Every (key, string) inside a JSON value."""
    if isinstance(value, str):
        yield key, value
    elif isinstance(value, dict):
        for name, item in value.items():
            yield from strings_in(item, str(name))
    elif isinstance(value, list):
        for item in value:
            yield from strings_in(item, key)


def is_link_key(key: str) -> bool:
    key = key.lower()
    return key in {"url", "link", "href", "src", "image"} or key.endswith(("_url", "_link"))
