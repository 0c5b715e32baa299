"""Newsroom fixtures: one account per role (and per role in another section), admin
clients, and the form data Wagtail's page editor posts."""

from __future__ import annotations

import pytest
from django.test import Client
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from sahafa.arabic import slugify

PASSWORD = "kalima-sirr-2026"

# The actors of the permission matrix: (username, role, section fixture name or None).
ACTORS = {
    "reporter": ("reporter", "politics"),
    "reporter_other_section": ("reporter", "economy"),
    "section_editor": ("section_editor", "politics"),
    "section_editor_other_section": ("section_editor", "economy"),
    "editor_in_chief": ("editor_in_chief", None),
    "administrator": ("administrator", None),
}


@pytest.fixture
def newsroom(politics, economy):
    """Every actor of ACTORS as a saved user, plus ``writer``: a second politics reporter."""
    from sahafa.newsroom.accounts import save_newsroom_user

    sections = {"politics": politics.slug, "economy": economy.slug}
    users = {}
    for name, (role, section) in ACTORS.items():
        users[name] = save_newsroom_user(
            name, role, [sections[section]] if section else [], PASSWORD
        ).user
    users["writer"] = save_newsroom_user("writer", "reporter", [politics.slug], PASSWORD).user
    return users


@pytest.fixture
def chief(django_user_model):
    """A superuser who signs in with PASSWORD (the sign-in and two-factor tests)."""
    return django_user_model.objects.create_superuser("chief", "chief@example.com", PASSWORD)


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def article_data(title: str, **fields) -> dict:
    """POST data of the article editor, as the browser sends it for a simple article."""
    data = {
        "title": title,
        "slug": fields.pop("slug", None) or slugify(title),
        "kicker": "",
        "standfirst": "موجز الخبر",
        "lead_caption": "",
        "lead_credit": "",
        "body": streamfield([("paragraph", rich_text("<p>فقرة أولى من الخبر.</p>"))]),
        "tags": "",
        "source_url": "",
        "external_id": "",
        "seo_title": "",
        "search_description": "",
        "comments": inline_formset([]),
        "related_pins": inline_formset([]),
        "related_exclusions": inline_formset([]),
        "corrections": inline_formset([]),
    }
    data.update(fields)
    return {k: v for k, v in nested_form_data(data).items() if v is not False}


def outlet_settings_data(**fields) -> dict:
    """POST data of the outlet settings form: what is saved now, with ``fields`` on top
    (the policy texts as Draftail sends them)."""
    from sahafa.news.models import OutletSettings

    outlet = OutletSettings.load()
    data = {
        field.name: getattr(outlet, field.name)
        for field in OutletSettings._meta.get_fields()
        if getattr(field, "editable", False) and field.name not in ("id", "logo")
    }
    data = {k: v for k, v in data.items() if v is not None and v is not False}
    for name in ("publishing_principles", "corrections_policy"):
        data[name] = rich_text(data[name])
    data.update(fields)
    return data


def page_data(page, **fields) -> dict:
    """POST data for editing a section front or the home page."""
    data = {
        "title": page.title,
        "slug": page.slug,
        "seo_title": "",
        "search_description": "",
        "comments": inline_formset([]),
    }
    if hasattr(page, "features"):
        data.update(top_story_count=5, section_story_count=4, features=inline_formset([]))
    if hasattr(page, "intro"):
        data["intro"] = page.intro
    data.update(fields)
    return nested_form_data(data)


@pytest.fixture
def draft(politics):
    """draft(owner, title, **fields): an unpublished article in politics owned by ``owner``."""
    from sahafa.news.structure import create_article

    def make(owner, title="مسودة خبر", publish=False, **fields):
        return create_article(politics, title=title, publish=publish, user=owner, **fields)

    return make
