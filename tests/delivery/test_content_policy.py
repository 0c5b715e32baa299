"""The public Content-Security-Policy and the third parties an operator allows."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import TestCase

from sahafa.delivery import content_policy
from sahafa.delivery.content_policy import PolicyError

REPO = Path(__file__).resolve().parents[2]


def directives(header: str) -> dict[str, list[str]]:
    parts = (p.split() for p in header.split(";") if p.strip())
    return {name: sources for name, *sources in parts}


# --- the pure core ----------------------------------------------------------------


def test_closed_policy_names_only_the_site_and_built_in_players():
    policy = content_policy.public_directives()
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["frame-src"] == list(content_policy.BUILT_IN_FRAME_SOURCES)
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    assert "report-uri" not in policy


def test_operator_hosts_open_exactly_their_directives():
    policy = content_policy.public_directives(
        embeds=content_policy.embed_hosts("maps.example.org, https://video.example.net"),
        scripts=content_policy.script_urls("https://stats.example.com/tag.js?id=7"),
        extra=content_policy.extra_sources(
            "img-src ads.example.com; frame-src https://ads.example.com"
        ),
        media_origin="https://media.example.org",
        report_uri="https://report.example.org/csp",
    )
    assert policy["frame-src"][-3:] == [
        "https://maps.example.org",
        "https://video.example.net",
        "https://ads.example.com",
    ]
    assert policy["script-src"] == ["'self'", "https://stats.example.com"]
    assert policy["connect-src"] == ["'self'", "https://stats.example.com"]
    assert policy["img-src"] == [
        "'self'",
        "data:",
        "https://media.example.org",
        "https://ads.example.com",
    ]
    assert policy["media-src"] == ["'self'", "https://media.example.org"]
    assert policy["report-uri"] == ["https://report.example.org/csp"]
    assert policy["default-src"] == ["'self'"]


@pytest.mark.parametrize(
    ("function", "value", "named"),
    [
        (content_policy.embed_hosts, "http://maps.example.org", "SAHAFA_EMBED_HOSTS"),
        (content_policy.embed_hosts, "*.example.org", "SAHAFA_EMBED_HOSTS"),
        (content_policy.embed_hosts, "not a host", "SAHAFA_EMBED_HOSTS"),
        (content_policy.script_urls, "http://stats.example.com/t.js", "SAHAFA_SCRIPT_URLS"),
        (content_policy.script_urls, "//stats.example.com/t.js", "SAHAFA_SCRIPT_URLS"),
        (
            content_policy.script_urls,
            'https://stats.example.com/t.js"onload="x',
            "SAHAFA_SCRIPT_URLS",
        ),
        (content_policy.extra_sources, "script-src 'unsafe-inline'", "SAHAFA_CSP_EXTRA"),
        (content_policy.extra_sources, "default-src https://x.example", "SAHAFA_CSP_EXTRA"),
        (content_policy.extra_sources, "frame-ancestors https://x.example", "SAHAFA_CSP_EXTRA"),
        (content_policy.extra_sources, "img-src *", "SAHAFA_CSP_EXTRA"),
        (content_policy.extra_sources, "img-src data:", "SAHAFA_CSP_EXTRA"),
        (content_policy.extra_sources, "img-src", "SAHAFA_CSP_EXTRA"),
    ],
)
def test_unsafe_values_are_refused_naming_the_setting(function, value, named):
    with pytest.raises(PolicyError, match=named):
        function(value)


def test_report_uri_must_be_an_address():
    with pytest.raises(PolicyError, match="SAHAFA_CSP_REPORT_URI"):
        content_policy.public_directives(report_uri="https://x.example/r; script-src *")


def test_a_bad_value_stops_the_start_naming_the_variable(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("SAHAFA_")}
    env.update(SAHAFA_HOME=str(tmp_path), SAHAFA_SCRIPT_URLS="http://stats.example.com/t.js")
    result = subprocess.run(
        [sys.executable, "-m", "sahafa.cli", "manage", "check"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "SAHAFA_SCRIPT_URLS" in result.stderr
    assert "is not an https address" in result.stderr


# --- what a reader's browser receives ------------------------------------------------


@pytest.fixture
def operator_policy(settings):
    """The settings an operator's environment would give."""
    settings.SAHAFA_EMBED_HOSTS = content_policy.embed_hosts("maps.example.org")
    settings.SAHAFA_SCRIPT_URLS = content_policy.script_urls(
        "https://stats.example.com/tag.js?site=sahafa"
    )
    settings.CONTENT_SECURITY_POLICY = {
        **settings.CONTENT_SECURITY_POLICY,
        "DIRECTIVES": content_policy.public_directives(
            embeds=settings.SAHAFA_EMBED_HOSTS, scripts=settings.SAHAFA_SCRIPT_URLS
        ),
    }


def _article_with_embeds(politics):
    from sahafa.news.structure import create_article

    body = [
        ("paragraph", "<p>خريطة مواقع الاقتراع في المدينة.</p>"),
        ("embed", {"url": "https://maps.example.org/view?id=42", "title": "خريطة"}),
        ("embed", {"url": "https://elsewhere.example.com/frame", "title": "مضمّن آخر"}),
    ]
    with TestCase.captureOnCommitCallbacks(execute=True):
        return create_article(politics, title="خريطة الاقتراع", body=body, publish=True)


@pytest.mark.django_db
def test_operator_script_and_embed_reach_the_reader_within_the_policy(
    client, outlet, politics, operator_policy
):
    article = _article_with_embeds(politics)
    response = client.get(article.url)
    assert response.status_code == 200
    html = response.content.decode()
    policy = directives(response["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'", "https://stats.example.com"]
    assert "https://maps.example.org" in policy["frame-src"]
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    # The analytics tag, loaded without blocking the page.
    assert '<script src="https://stats.example.com/tag.js?site=sahafa" async' in html
    # The operator's embed is an iframe at the address the editor gave; an embed from
    # a host nobody allowed stays a plain link.
    assert '<iframe src="https://maps.example.org/view?id=42"' in html
    assert "elsewhere.example.com/frame" in html
    assert '<iframe src="https://elsewhere.example.com' not in html


@pytest.mark.django_db
def test_without_operator_settings_no_third_party_reaches_the_page(client, outlet, politics):
    article = _article_with_embeds(politics)
    response = client.get(article.url)
    html = response.content.decode()
    policy = directives(response["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'"]
    assert "https://maps.example.org" not in policy["frame-src"]
    assert "stats.example.com" not in html
    assert '<iframe src="https://maps.example.org' not in html


@pytest.mark.django_db
def test_the_admin_is_outside_the_public_policy(admin_client):
    response = admin_client.get("/admin/")
    assert response.status_code == 200
    assert "Content-Security-Policy" not in response
