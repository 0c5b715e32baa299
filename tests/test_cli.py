"""The `sahafa` command: broken settings stop start-up with one clear line."""

import os
import subprocess
import sys

import pytest

from tests.conftest import run_sahafa


@pytest.mark.parametrize(
    "url",
    ["nonsense://nowhere", "postgres://user:pw@127.0.0.1:1/none"],
)
def test_bad_database_url_is_one_clear_line(tmp_path, url):
    result = run_sahafa("demo", "--no-serve", home=tmp_path, SAHAFA_DATABASE_URL=url)
    assert result.returncode == 2
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert "SAHAFA_DATABASE_URL" in lines[0]
    assert "Traceback" not in result.stderr


def test_help_lists_the_commands():
    result = subprocess.run(
        [sys.executable, "-m", "sahafa.cli", "--help"], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0
    for verb in ("demo", "serve", "import", "search", "related", "manage"):
        assert f"sahafa {verb}" in result.stdout


def test_a_wrong_trusted_proxy_stops_start_up(tmp_path):
    result = run_sahafa("manage", "check", home=tmp_path, SAHAFA_TRUSTED_PROXIES="10.0.0.1, vpn")
    assert result.returncode != 0
    assert "SAHAFA_TRUSTED_PROXIES" in result.stderr and "'vpn'" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_served_address_is_the_public_one_unless_set(monkeypatch):
    from sahafa.cli import default_base_url

    monkeypatch.delenv("SAHAFA_BASE_URL", raising=False)
    default_base_url("127.0.0.1", 8799)
    assert os.environ["SAHAFA_BASE_URL"] == "http://127.0.0.1:8799"
    monkeypatch.delenv("SAHAFA_BASE_URL")
    default_base_url("::1", 8000)
    assert os.environ["SAHAFA_BASE_URL"] == "http://[::1]:8000"
    monkeypatch.setenv("SAHAFA_BASE_URL", "https://news.example")
    default_base_url("0.0.0.0", 8000)  # noqa: S104
    assert os.environ["SAHAFA_BASE_URL"] == "https://news.example"
