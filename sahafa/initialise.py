"""``sahafa init``: a new outlet of one's own, beyond the demo.

What it sets up, in this order, each step safe to run again: the database tables
(``migrate``), the home page, the outlet's name, the sections, the newsroom's role
groups, the first administrator (a newsroom *administrator*, never a superuser),
the public address (kept in ``SAHAFA_HOME/sahafa.env`` for every later command; the
Wagtail ``Site`` row follows it) and the static files. Run twice, it changes only
what it is told to change: an existing administrator keeps their password unless a
new one is given, an existing section keeps its title.

Every answer is checked before anything is written: a bad address, a section slug
that an address of the site already owns (``/media/``, ``/api/``…) or a weak
password stops the command with an Arabic and English message and exit code 2.
"""

from __future__ import annotations

import getpass
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

DEFAULT_NAME = "صحيفتي"
DEFAULT_ADMIN = "admin"
DEFAULT_SECTIONS = ["سياسة:siyasa", "اقتصاد:iqtisad", "رياضة:riyada", "ثقافة:thaqafa"]
PASSWORD_VARIABLE = "SAHAFA_ADMIN_PASSWORD"  # noqa: S105 - the variable's name
LOCAL_HOSTS = ["localhost", "127.0.0.1", "[::1]"]


class InitError(ValueError):
    """A refused answer: the message says which, in Arabic then English."""


@dataclass
class Answers:
    name: str | None = None
    base_url: str | None = None
    sections: list[str] = field(default_factory=list)
    admin: str | None = None
    admin_email: str = ""
    password: str | None = None


@dataclass
class Report:
    sections_created: list[str] = field(default_factory=list)
    sections_kept: list[str] = field(default_factory=list)
    admin: str = ""
    admin_created: bool = False
    password_set: bool = False
    base_url: str = ""
    name: str = ""


# --- checking the answers (no database needed) -------------------------------------


def check_base_url(url: str) -> str:
    url = url.strip().rstrip("/")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InitError(f"العنوان العام غير صالح: {url!r} / not an http(s) address: {url!r}")
    if parts.path or parts.query or parts.fragment:
        raise InitError(
            f"العنوان العام لا يحمل مسارًا بعد اسم النطاق / the public address has no path: {url!r}"
        )
    return url


def parse_section(spec: str) -> tuple[str, str]:
    """``"العنوان:slug"`` or ``"العنوان"`` (the slug made from the title)."""
    from sahafa.arabic import slugify
    from sahafa.news.reserved import reserved_message, reserved_owner
    from sahafa.news.sanitize import clean_text

    title, _sep, slug = spec.partition(":")
    title = clean_text(title).strip()
    slug = (slug.strip() or slugify(title)).strip("/")
    if not title or not slug:
        raise InitError(f"قسم بلا عنوان: {spec!r} / a section needs a title: {spec!r}")
    if "/" in slug or len(slug) > 255:
        raise InitError(f"معرّف القسم غير صالح: {slug!r} / not a section slug: {slug!r}")
    owner = reserved_owner(slug)
    if owner:
        raise InitError(reserved_message(slug, owner))
    return title, slug


def check_password(password: str, username: str) -> None:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    try:
        validate_password(password, get_user_model()(username=username))
    except ValidationError as exc:
        raise InitError("كلمة المرور مرفوضة: " + " ".join(exc.messages)) from None


# --- asking ---------------------------------------------------------------------------


def ask(
    answers: Answers,
    read: Callable[[str], str] = input,
    secret: Callable[[str], str] = getpass.getpass,
) -> Answers:
    """Fill what the flags left open by asking, each question with its default."""
    from django.conf import settings

    from sahafa.news.models import OutletSettings, SectionPage

    def question(label: str, default: str) -> str:
        return read(f"{label} [{default}]: ").strip() or default

    current_name = _current(lambda: OutletSettings.load().name) or DEFAULT_NAME
    answers.name = answers.name or question("اسم المنبر / outlet name", current_name)
    answers.base_url = answers.base_url or question(
        "العنوان العام / public address", settings.BASE_URL
    )
    if not answers.sections:
        existing = _current(lambda: list(SectionPage.objects.values_list("title", "slug")))
        default = (
            ", ".join(f"{t}:{s}" for t, s in existing) if existing else ", ".join(DEFAULT_SECTIONS)
        )
        raw = question("الأقسام، مفصولة بفواصل / sections (title:slug, …)", default)
        answers.sections = [part.strip() for part in raw.split(",") if part.strip()]
    answers.admin = answers.admin or question("اسم مستخدم المدير / administrator", DEFAULT_ADMIN)
    if answers.password is None and not _user_exists(answers.admin):
        while True:
            first = secret("كلمة مرور المدير / administrator password: ")
            if first and first == secret("أعد كتابتها / again: "):
                answers.password = first
                break
            print("لا تتطابق الكلمتان؛ أعد المحاولة / they differ, try again", file=sys.stderr)
    return answers


def _current(read: Callable):
    """What the site already has, or None before its tables exist."""
    from django.db import DatabaseError

    try:
        return read()
    except DatabaseError:
        return None


def _user_exists(username: str) -> bool:
    from django.contrib.auth import get_user_model

    return bool(_current(lambda: get_user_model().objects.filter(username=username).exists()))


# --- setting up -----------------------------------------------------------------------


def validate(answers: Answers) -> list[tuple[str, str]]:
    """Check every answer before anything is written; the sections as (title, slug)."""
    if answers.base_url:
        answers.base_url = check_base_url(answers.base_url)
    if answers.name is not None and not answers.name.strip():
        raise InitError("اسم المنبر فارغ / the outlet name is empty")
    sections = [parse_section(spec) for spec in answers.sections]
    slugs = [slug for _title, slug in sections]
    if len(set(slugs)) != len(slugs):
        raise InitError("معرّف قسم مكرر / a section slug is given twice")
    if answers.admin is not None:
        if not answers.admin.strip():
            raise InitError("اسم مستخدم المدير فارغ / the administrator's username is empty")
        if answers.password:
            check_password(answers.password, answers.admin)
    return sections


def keep_base_url(home: Path, base_url: str) -> None:
    """The address for every later command on this home, and its host allowed."""
    from sahafa import home_env

    host = urlsplit(base_url).hostname or ""
    if ":" in host:
        host = f"[{host}]"
    hosts = [*LOCAL_HOSTS, *([host] if host and host not in LOCAL_HOSTS else [])]
    home_env.write(home, {"SAHAFA_BASE_URL": base_url, "SAHAFA_ALLOWED_HOSTS": ",".join(hosts)})


def run(answers: Answers, sections: list[tuple[str, str]]) -> Report:
    """Set the outlet up (after :func:`validate`); Django is set up, the database
    reachable and migrated."""
    from django.conf import settings
    from django.db import transaction

    from sahafa.news.models import OutletSettings, SectionPage
    from sahafa.news.site_row import follow_base_url
    from sahafa.news.structure import ensure_home, ensure_section
    from sahafa.newsroom.accounts import save_newsroom_user
    from sahafa.newsroom.roles import ADMINISTRATOR, ensure_roles

    report = Report(base_url=settings.BASE_URL)
    with transaction.atomic():
        home = ensure_home()
        outlet = OutletSettings.load()
        if answers.name and outlet.name != answers.name.strip():
            outlet.name = answers.name.strip()
            outlet.full_clean()
            outlet.save()
        report.name = outlet.name
        for title, slug in sections:
            existing = SectionPage.objects.child_of(home).filter(slug=slug).exists()
            ensure_section(title, slug)
            (report.sections_kept if existing else report.sections_created).append(slug)
        ensure_roles()
        if answers.admin:
            result = save_newsroom_user(answers.admin.strip(), ADMINISTRATOR, [], answers.password)
            if answers.admin_email and result.user.email != answers.admin_email:
                result.user.email = answers.admin_email
                result.user.save(update_fields=["email"])
            report.admin = result.user.username
            report.admin_created = result.created
            report.password_set = result.password_set
    follow_base_url()
    return report


def password_from_environment() -> str | None:
    value = os.environ.get(PASSWORD_VARIABLE)
    return value if value else None


def print_report(report: Report) -> None:
    print(f"المنبر / outlet: {report.name}")
    print(f"العنوان العام / public address: {report.base_url}")
    if report.sections_created:
        print(f"أقسام جديدة / new sections: {', '.join(report.sections_created)}")
    if report.sections_kept:
        print(f"أقسام موجودة / existing sections: {', '.join(report.sections_kept)}")
    if report.admin:
        state = "أُنشئ / created" if report.admin_created else "موجود / exists"
        password = (
            "كلمة المرور عُيّنت / password set"
            if report.password_set
            else "كلمة المرور لم تتغير / password unchanged"
        )
        print(f"المدير / administrator: {report.admin} — {state}; {password}")
    print("جاهز: sahafa serve / ready: sahafa serve")
