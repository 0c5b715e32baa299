"""The public site's Content-Security-Policy, and the third parties an operator allows.

Sahafa's own pages need nothing from elsewhere, so the policy starts closed: every
source is the site itself, no inline script or style. An outlet that runs analytics,
ads or embeds from other hosts names them in settings (read from the environment by
``sahafa.settings``), and the policy opens for exactly those hosts:

- ``SAHAFA_EMBED_HOSTS``: hosts whose ``https`` addresses editors may embed as an
  iframe (beside YouTube and Vimeo, which are built in); added to ``frame-src``.
- ``SAHAFA_SCRIPT_URLS``: scripts put on every public page (an analytics or ad tag);
  their origins are added to ``script-src`` and ``connect-src``.
- ``SAHAFA_CSP_EXTRA``: further sources per directive, in the header's own syntax,
  e.g. ``img-src https://ads.example; frame-src https://ads.example``.
- ``SAHAFA_CSP_REPORT_URI``: where browsers report what the policy blocked.

Plain functions without Django: settings calls them before apps load, and a bad
value stops the start with a message naming the variable.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urlsplit

# The embeds rewritten by sahafa.news.blocks.embed_iframe_src.
BUILT_IN_FRAME_SOURCES = ("https://www.youtube-nocookie.com", "https://player.vimeo.com")

# Directives an operator may extend. default-src, frame-ancestors, base-uri and
# object-src stay closed: opening them helps no analytics or ad tag, and each is a
# way around the rest of the policy.
EXTENSIBLE = (
    "script-src",
    "style-src",
    "img-src",
    "font-src",
    "connect-src",
    "frame-src",
    "media-src",
    "form-action",
)

# A host (optionally a leading "*." for its subdomains) with an optional port.
HOST = re.compile(
    r"^(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+(:\d{1,5})?$"
)


class PolicyError(ValueError):
    """A setting that would not give a valid, safe policy; the message names it."""


def split_list(value: str) -> list[str]:
    return [part.strip() for part in value.replace("\n", ",").split(",") if part.strip()]


def https_source(value: str, setting: str) -> str:
    """``https://host[:port]`` for a host name or an https address; anything else is
    refused: a plain-http source would let anyone on the reader's network inject."""
    text = value.strip().lower()
    if "://" not in text:
        text = f"https://{text}"
    parts = urlsplit(text)
    if parts.scheme != "https" or not parts.netloc or not HOST.match(parts.netloc):
        raise PolicyError(f"{setting}: {value!r} is not an https host name or address")
    return f"https://{parts.netloc}"


def embed_hosts(value: str) -> tuple[str, ...]:
    """The host names of ``SAHAFA_EMBED_HOSTS`` (``*.`` wildcards refused: an embed
    is allowed by its exact host)."""
    hosts = []
    for item in split_list(value):
        source = https_source(item, "SAHAFA_EMBED_HOSTS")
        host = source.removeprefix("https://")
        if host.startswith("*."):
            raise PolicyError(f"SAHAFA_EMBED_HOSTS: name each host, not {item!r}")
        hosts.append(host)
    return tuple(dict.fromkeys(hosts))


def script_urls(value: str) -> tuple[str, ...]:
    """The https script addresses of ``SAHAFA_SCRIPT_URLS``."""
    urls = []
    for item in split_list(value):
        parts = urlsplit(item)
        if parts.scheme != "https" or not HOST.match(parts.netloc.lower()):
            raise PolicyError(f"SAHAFA_SCRIPT_URLS: {item!r} is not an https address")
        if any(ch in item for ch in "\"'<> "):
            raise PolicyError(f"SAHAFA_SCRIPT_URLS: {item!r} has characters no address has")
        urls.append(item)
    return tuple(urls)


def extra_sources(value: str) -> dict[str, list[str]]:
    """``SAHAFA_CSP_EXTRA`` as {directive: [sources]}; keywords such as
    'unsafe-inline', wildcards, data: and http: sources are refused."""
    extra: dict[str, list[str]] = {}
    for clause in (c.strip() for c in value.split(";")):
        if not clause:
            continue
        name, *sources = clause.split()
        name = name.lower()
        if name not in EXTENSIBLE:
            raise PolicyError(
                f"SAHAFA_CSP_EXTRA: {name!r} cannot be extended (only {', '.join(EXTENSIBLE)})"
            )
        if not sources:
            raise PolicyError(f"SAHAFA_CSP_EXTRA: {name} names no source")
        extra.setdefault(name, []).extend(
            https_source(source, "SAHAFA_CSP_EXTRA") for source in sources
        )
    return extra


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc.lower()}"


def public_directives(
    *,
    embeds: Iterable[str] = (),
    scripts: Iterable[str] = (),
    extra: dict[str, list[str]] | None = None,
    media_origin: str = "",
    report_uri: str = "",
) -> dict[str, list[str]]:
    """The directives of the public policy (django-csp's ``DIRECTIVES``)."""
    self_ = "'self'"
    directives: dict[str, list[str]] = {
        "default-src": [self_],
        "img-src": [self_, "data:"],
        "script-src": [self_],
        "style-src": [self_],
        "font-src": [self_],
        "connect-src": [self_],
        "frame-src": list(BUILT_IN_FRAME_SOURCES),
        "frame-ancestors": ["'none'"],
        "base-uri": [self_],
        "form-action": [self_],
        "object-src": ["'none'"],
    }
    directives["frame-src"] += [f"https://{host}" for host in embeds]
    for url in scripts:
        directives["script-src"].append(origin(url))
        # Analytics and ad tags report back to where they came from.
        directives["connect-src"].append(origin(url))
    if media_origin:
        # Images and media on another storage (an S3 bucket, a media host).
        directives["img-src"].append(media_origin)
        directives.setdefault("media-src", [self_]).append(media_origin)
    for name, sources in (extra or {}).items():
        directives.setdefault(name, [self_] if name != "frame-src" else []).extend(sources)
    if report_uri:
        parts = urlsplit(report_uri)
        if parts.scheme not in {"https", ""} or any(ch in report_uri for ch in "\"'<>; "):
            raise PolicyError(f"SAHAFA_CSP_REPORT_URI: {report_uri!r} is not a usable address")
        directives["report-uri"] = [report_uri]
    return {name: list(dict.fromkeys(sources)) for name, sources in directives.items()}
