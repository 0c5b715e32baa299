"""``news`` stands alone: it imports nothing of the newsroom, and a site without the
newsroom installed (nor importable) migrates, sanitises what it saves and serves an
article (DESIGN.md, "Parts": ``news`` never imports ``newsroom``)."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
NEWS = REPO / "sahafa" / "news"
FORBIDDEN = "sahafa.newsroom"


def imported_modules(path: Path, root: Path = REPO) -> list[tuple[int, str]]:
    """(line, absolute module name) of every import in one source file under ``root``,
    wherever it stands (top level or in a function), relative imports resolved, and
    ``import_module("…")`` calls with a literal name."""
    package = ".".join(path.relative_to(root).with_suffix("").parts)
    if path.name != "__init__.py":
        package = package.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{parent}.{base}" if base else parent
            found.append((node.lineno, base))
            # ``from sahafa import newsroom`` imports sahafa.newsroom.
            found += [(node.lineno, f"{base}.{alias.name}") for alias in node.names]
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "attr", getattr(node.func, "id", "")) == "import_module"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            found.append((node.lineno, node.args[0].value))
    return found


def names_newsroom(name: str) -> bool:
    return name == FORBIDDEN or name.startswith(FORBIDDEN + ".")


def test_no_news_module_imports_the_newsroom():
    sources = sorted(NEWS.rglob("*.py"))
    assert len(sources) > 10
    offending = [
        f"{path.relative_to(REPO)}:{line}: {name}"
        for path in sources
        for line, name in imported_modules(path)
        if names_newsroom(name)
    ]
    assert offending == []


def test_the_import_check_sees_every_spelling(tmp_path):
    """The checker catches each way of importing the newsroom (else it proves nothing)."""
    path = tmp_path / "sahafa" / "news" / "demo" / "probe.py"
    path.parent.mkdir(parents=True)
    for source in (
        "import sahafa.newsroom.roles",
        "from sahafa.newsroom.demo import ensure_demo_newsroom",
        "from sahafa import newsroom",
        "def f():\n    from ...newsroom import tags",
        "import_module('sahafa.newsroom.forms')",
    ):
        path.write_text(source)
        names = [name for _line, name in imported_modules(path, tmp_path)]
        assert any(names_newsroom(n) for n in names), (source, names)
    path.write_text("from ..models import NewsTag\nfrom sahafa.news import tags")
    assert not any(names_newsroom(n) for _l, n in imported_modules(path, tmp_path))


# Settings without the newsroom and what it brings (two-factor sign-in, the login
# throttle, the upload checks); the newsroom is made unimportable, so any import of
# it on the way fails loudly instead of working by accident.
STANDALONE_SETTINGS = """
import sys
from importlib.abc import MetaPathFinder


class NoNewsroom(MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name == "sahafa.newsroom" or name.startswith("sahafa.newsroom."):
            raise ImportError(f"{name}: the newsroom is not installed here")
        return None


sys.meta_path.insert(0, NoNewsroom())

from sahafa.test_settings import *  # noqa: E402,F403

INSTALLED_APPS = [
    app
    for app in INSTALLED_APPS
    if app not in {"sahafa.newsroom", "django_otp", "django_otp.plugins.otp_totp"}
]
MIDDLEWARE = [m for m in MIDDLEWARE if not m.startswith(("sahafa.newsroom.", "django_otp."))]
STORAGES = {
    **STORAGES,
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
}
del WAGTAILDOCS_DOCUMENT_FORM_BASE, WAGTAILIMAGES_IMAGE_FORM_BASE
ALLOWED_HOSTS = ["testserver", "localhost"]
"""

STANDALONE_SCRIPT = """
import json
import sys

import django

django.setup()

from django.conf import settings
from django.core.management import call_command
from django.test import Client

# Nothing left in the settings names the newsroom.
named = sorted(k for k in dir(settings) if k.isupper() and "newsroom" in repr(getattr(settings, k)))
assert not named, named

call_command("migrate", interactive=False, verbosity=0)
call_command("check", fail_level="ERROR")

from sahafa.news.models import ArticlePage
from sahafa.news.structure import create_article, ensure_home, ensure_section

ensure_home()
section = ensure_section("سياسة", "siyasa")
article = create_article(
    section,
    title="مفاوضات <script>alert(1)</script>في إسطنبول",
    standfirst='<img src=x onerror="alert(2)">موجز',
    body=[
        ("paragraph", "<p>نص الخبر<script>alert(3)</script> "
                      '<a href="javascript:alert(4)">رابط</a></p>'),
        ("heading", "<b>عنوان فرعي</b>"),
    ],
    tags=["<i>سياسة</i>"],
    publish=True,
)
stored = ArticlePage.objects.get(pk=article.pk)
response = Client().get(stored.url)
print(json.dumps({
    "live": stored.live,
    "title": stored.title,
    "standfirst": stored.standfirst,
    "body": stored.body.raw_data if hasattr(stored.body, "raw_data") else list(stored.body),
    "tags": [t.name for t in stored.tags.all()],
    "status": response.status_code,
    "html": response.content.decode(),
    "newsroom_loaded": sorted(m for m in sys.modules if m.startswith("sahafa.newsroom")),
    "apps": settings.INSTALLED_APPS,
}, ensure_ascii=False, default=str))
"""


def test_news_works_without_the_newsroom(tmp_path):
    (tmp_path / "standalone_settings.py").write_text(STANDALONE_SETTINGS)
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SAHAFA_", "DJANGO_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="standalone_settings",
        SAHAFA_HOME=str(tmp_path / "home"),
        SAHAFA_SECRET_KEY="standalone-test-key-not-for-production-0123456789",
        PYTHONPATH=os.pathsep.join([str(tmp_path), str(REPO)]),
    )
    result = subprocess.run(
        [sys.executable, "-c", STANDALONE_SCRIPT],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])

    assert "sahafa.newsroom" not in report["apps"] and "sahafa.news" in report["apps"]
    assert report["newsroom_loaded"] == []
    assert report["live"] is True
    assert report["status"] == 200

    stored = json.dumps(report["body"], ensure_ascii=False)
    for text in (report["title"], report["standfirst"], stored, *report["tags"]):
        lowered = text.lower()
        assert "<script" not in lowered and "onerror" not in lowered, text
        assert "javascript:" not in lowered and "alert(" not in lowered, text
    assert report["title"] == "مفاوضات في إسطنبول"
    assert report["standfirst"] == "موجز"
    assert "نص الخبر" in stored and "رابط" in stored
    assert report["tags"] == ["سياسة"]

    page = report["html"]
    assert "مفاوضات في إسطنبول" in page and "نص الخبر" in page
    assert "<script>alert" not in page and "javascript:alert" not in page
