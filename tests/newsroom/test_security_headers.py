"""Response headers of the public site and the admin, and Django's deployment check."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from .xss_corpus import executable_markup

pytestmark = pytest.mark.django_db

REPO = Path(__file__).resolve().parents[2]


def directives(csp: str) -> dict[str, str]:
    return {part.split()[0]: part for part in (p.strip() for p in csp.split(";")) if part}


def test_public_pages_meet_a_strict_csp_without_inline_scripts(client, outlet, make_article):
    article = make_article("خبر للاختبار", body="فقرة.", tags=["وسم"])
    for url in [
        "/",
        article.url,
        article.section.url,
        article.tags.first().get_absolute_url(),
        "/search/?q=خبر",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        csp = directives(response["Content-Security-Policy"])
        assert csp["script-src"] == "script-src 'self'"
        assert "unsafe-inline" not in response["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
        html = response.content.decode()
        # Every script is an external file of ours (or JSON-LD data); no handlers.
        assert not executable_markup(html), (url, executable_markup(html))
        for tag in re.findall(r"<script\b[^>]*>", html):
            assert 'src="/static/' in tag or 'type="application/ld+json"' in tag, tag
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
        assert response["X-Frame-Options"] == "DENY"
        assert "Strict-Transport-Security" not in response  # plain HTTP here


def test_hsts_over_https(client, outlet, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    response = client.get("/", secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")


def test_admin_and_previews_are_never_indexed_nor_cached(
    client, reader, outlet, make_article, django_user_model
):
    article = make_article("خبر")
    user = django_user_model.objects.create_superuser("chief", "c@example.com", "pass-12345678")
    client.force_login(user)
    for url in [
        "/admin/",
        f"/admin/pages/{article.pk}/edit/",
        f"/admin/pages/{article.pk}/view_draft/",
        "/admin/login/",
    ]:
        response = client.get(url)
        assert response["X-Robots-Tag"] == "noindex, nofollow", url
        assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"], (
            url
        )
    # Through the page cache in front of Django: the admin is never stored.
    for _repeat in range(2):
        response = reader.get("/admin/login/")
        assert "X-Sahafa-Cache" not in response and "no-store" in response["Cache-Control"]


def test_check_deploy_reports_no_warnings_under_production_settings(tmp_path):
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("SAHAFA_", "DJANGO_"))},
        "SAHAFA_HOME": str(tmp_path),
        "SAHAFA_HTTPS": "1",
        "SAHAFA_SECRET_KEY": secrets.token_urlsafe(64),
        "SAHAFA_ALLOWED_HOSTS": "news.example",
        "SAHAFA_BASE_URL": "https://news.example",
    }
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "sahafa.cli",
            "manage",
            "check",
            "--deploy",
            "--fail-level",
            "WARNING",
        ],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout + result.stderr


@pytest.mark.django_db
def test_admin_pages_make_no_third_party_requests(newsroom):
    """No gravatar (or any other outside host) in the admin: an editor's browser asks
    nothing of third parties, and no hash of their address leaves the newsroom."""
    from .conftest import client_for

    chief = newsroom["editor_in_chief"]
    chief.email = "chief@sahafa.example"  # what gravatar would be asked about
    chief.save()
    page = client_for(chief).get("/admin/").content.decode()
    assert "gravatar.com" not in page
    # Links (to the user guide) are fine; what the page itself loads is not.
    assert not re.findall(r'src="https?://(?!testserver|localhost)[^"]+', page)
