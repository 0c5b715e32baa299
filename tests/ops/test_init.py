"""`sahafa init`: an outlet of one's own on a fresh home (SQLite) or a fresh PostgreSQL
database, checked as its operator and its first administrator would meet it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import textwrap
import uuid
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
PASSWORD = "Kalima-Sirr-2026-init"


def _postgres(url: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(sql)


@pytest.fixture
def fresh():
    """The environment of a new outlet: an empty home and, when the run is on
    PostgreSQL, an empty database of its own."""
    home = Path(tempfile.mkdtemp(prefix="sahafa-init-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SAHAFA_", "DJANGO_"))}
    env.update(SAHAFA_HOME=str(home), PYTHONUNBUFFERED="1")
    server = os.environ.get("SAHAFA_DATABASE_URL", "")
    name = None
    if server.startswith(("postgres://", "postgresql://")):
        name = f"sahafa_init_{uuid.uuid4().hex[:10]}"
        _postgres(server, f'CREATE DATABASE "{name}"')
        env["SAHAFA_DATABASE_URL"] = f"{server.rpartition('/')[0]}/{name}"
    try:
        yield home, env
    finally:
        if name:
            _postgres(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def sahafa(env: dict, *args: str, **extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "sahafa.cli", *args],
        env={**env, **extra},
        capture_output=True,
        text=True,
        timeout=300,
        cwd=REPO,
        stdin=subprocess.DEVNULL,  # no terminal: nothing is asked
    )


def site_state(env: dict) -> dict:
    """What a reader and the administrator meet, from a process of the site."""
    script = textwrap.dedent(
        f"""
        import json, django
        django.setup()
        from django.conf import settings
        from django.contrib.auth import get_user_model
        from django.test import Client
        from wagtail.models import Site
        from sahafa.news.models import SectionPage
        from sahafa.newsroom.roles import roles_of

        reader = Client(HTTP_HOST="news.example")
        home = reader.get("/")
        admin = Client(HTTP_HOST="news.example")
        logged_in = admin.login(username="chief", password={PASSWORD!r})
        dashboard = admin.get("/admin/") if logged_in else None
        user = get_user_model().objects.filter(username="chief").first()
        site = Site.objects.get(is_default_site=True)
        print(json.dumps({{
            "home_status": home.status_code,
            "home_has_name": "جريدة الغد" in home.content.decode(),
            "sections": sorted(SectionPage.objects.values_list("slug", flat=True)),
            "section_status": reader.get("/siyasa/").status_code,
            "logged_in": logged_in,
            "dashboard": dashboard.status_code if dashboard else None,
            "roles": sorted(roles_of(user)) if user else [],
            "superuser": bool(user and user.is_superuser),
            "email": user.email if user else None,
            "users": get_user_model().objects.count(),
            "site": [site.hostname, site.port],
            "base_url": settings.BASE_URL,
        }}))
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        env={**env, "DJANGO_SETTINGS_MODULE": "sahafa.settings"},
        capture_output=True,
        text=True,
        timeout=120,
        cwd=REPO,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


INIT = (
    "init",
    "--non-interactive",
    "--name",
    "جريدة الغد",
    "--base-url",
    "https://news.example",
    "--section",
    "سياسة:siyasa",
    "--section",
    "اقتصاد:iqtisad",
    "--admin",
    "chief",
    "--admin-email",
    "chief@news.example",
)


def test_init_sets_up_an_outlet_its_administrator_signs_in_to(fresh):
    home, env = fresh
    done = sahafa(env, *INIT, SAHAFA_ADMIN_PASSWORD=PASSWORD)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "جريدة الغد" in done.stdout and "chief" in done.stdout
    state = site_state(env)
    assert state["home_status"] == 200 and state["home_has_name"]
    assert state["sections"] == ["iqtisad", "siyasa"] and state["section_status"] == 200
    assert state["logged_in"] and state["dashboard"] == 200
    assert state["roles"] == ["administrator"] and not state["superuser"]
    assert state["email"] == "chief@news.example"
    # The address is the home's, for every later command; the Site row follows it.
    assert "SAHAFA_BASE_URL=https://news.example" in (home / "sahafa.env").read_text()
    assert state["base_url"] == "https://news.example"
    assert state["site"] == ["news.example", 443]
    # What a fresh install could not do: importing into it.
    archive = home / "archive.jsonl"
    archive.write_text(
        json.dumps(
            {
                "id": "old-1",
                "title": "افتتاح المكتبة العامة بعد ترميمها",
                "body": "افتتحت المكتبة أبوابها صباح اليوم.\nوحضر الافتتاح عدد من الكتّاب.",
                "section": "ثقافة",
                "date": "2025-05-01",
            },
            ensure_ascii=False,
        )
        + "\n",
        encoding="utf-8",
    )
    imported = sahafa(env, "import", "jsonl", str(archive))
    assert imported.returncode == 0, imported.stderr[-3000:]


def test_init_twice_changes_nothing_it_was_not_told_to(fresh):
    _home, env = fresh
    assert sahafa(env, *INIT, SAHAFA_ADMIN_PASSWORD=PASSWORD).returncode == 0
    before = site_state(env)
    again = sahafa(env, *INIT)  # no password this time: the administrator keeps theirs
    assert again.returncode == 0, again.stderr[-3000:]
    assert "كلمة المرور لم تتغير" in again.stdout
    after = site_state(env)
    assert after == before
    more = sahafa(env, "init", "--non-interactive", "--admin", "chief", "--section", "رياضة:riyada")
    assert more.returncode == 0, more.stderr[-3000:]
    assert site_state(env)["sections"] == ["iqtisad", "riyada", "siyasa"]


@pytest.mark.parametrize(
    ("args", "password", "message"),
    [
        (("--section", "وسائط:media"), PASSWORD, "/media/"),
        (("--section", "واجهة:api"), PASSWORD, "/api/"),
        (("--base-url", "ftp://news.example"), PASSWORD, "العنوان العام غير صالح"),
        (("--base-url", "https://news.example/ar/"), PASSWORD, "مسارًا"),
        ((), "", "كلمة مرور"),
        ((), "123", "كلمة المرور مرفوضة"),
    ],
)
def test_bad_answers_are_refused_before_anything_is_written(fresh, args, password, message):
    home, env = fresh
    done = sahafa(env, "init", "--non-interactive", "--admin", "chief", *args,
                  SAHAFA_ADMIN_PASSWORD=password)  # fmt: skip
    assert done.returncode == 2
    assert message in done.stderr and "خطأ / error" in done.stderr
    assert not (home / "sahafa.env").exists()
    # No table was made: the database is as it was.
    probe = sahafa(env, "manage", "showmigrations", "news", "--plan")
    assert probe.returncode == 0 and "[X]" not in probe.stdout


def test_the_questions_offer_defaults_and_take_answers(db, settings):
    from sahafa import initialise

    settings.BASE_URL = "http://localhost:8000"
    asked: list[str] = []
    replies = iter(["جريدة الغد", "", "سياسة:siyasa, رياضة", "chief"])
    secrets = iter([PASSWORD, "typo", PASSWORD, PASSWORD])

    def read(prompt: str) -> str:
        asked.append(prompt)
        return next(replies)

    answers = initialise.ask(initialise.Answers(), read=read, secret=lambda _p: next(secrets))
    assert answers.name == "جريدة الغد"
    assert answers.base_url == "http://localhost:8000"  # the default, taken with Enter
    assert answers.sections == ["سياسة:siyasa", "رياضة"]
    assert answers.admin == "chief" and answers.password == PASSWORD  # asked again on a typo
    assert "[http://localhost:8000]" in asked[1] and "siyasa" in asked[2]
    assert initialise.validate(answers) == [("سياسة", "siyasa"), ("رياضة", "رياضة")]


def test_a_malformed_home_file_stops_every_command_naming_the_line(fresh):
    home, env = fresh
    (home / "sahafa.env").write_text("SAHAFA_BASE_URL=https://news.example\nBASE_URL https://x\n")
    done = sahafa(env, "manage", "check")
    assert done.returncode != 0
    assert "sahafa.env:2" in done.stderr and "SAHAFA_NAME=value" in done.stderr


def test_the_environment_wins_over_the_home_file(tmp_path, monkeypatch):
    from sahafa import home_env

    home_env.write(tmp_path, {"SAHAFA_BASE_URL": "https://kept.example", "SAHAFA_DEBUG": "0"})
    monkeypatch.setenv("SAHAFA_BASE_URL", "https://exported.example")
    monkeypatch.setenv("SAHAFA_DEBUG", "")  # recorded, so the test's own value is undone
    monkeypatch.delenv("SAHAFA_DEBUG")
    home_env.apply(tmp_path)
    assert os.environ["SAHAFA_BASE_URL"] == "https://exported.example"
    assert os.environ["SAHAFA_DEBUG"] == "0"
    with pytest.raises(ValueError):
        home_env.write(tmp_path, {"SAHAFA_HOME": "/elsewhere"})
