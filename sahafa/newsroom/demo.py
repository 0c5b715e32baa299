"""Demo accounts for each newsroom role (password ``sahafa-demo``)."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from sahafa.news.models import SectionPage

from .accounts import save_newsroom_user
from .roles import EDITOR_IN_CHIEF, REPORTER, SECTION_EDITOR, ensure_role_group

DEMO_PASSWORD = "sahafa-demo"  # noqa: S105 - the published demo login


def ensure_demo_newsroom(editor=None) -> list:
    """A reporter and a section editor in the first section, and ``editor`` (the demo's
    «editor» login, when given) as editor-in-chief. Existing passwords are kept."""
    User = get_user_model()
    section = SectionPage.objects.order_by("path").first()
    slugs = [section.slug] if section is not None else []
    users = []
    for username, role in (("reporter", REPORTER), ("section_editor", SECTION_EDITOR)):
        exists = User.objects.filter(username=username).exists()
        result = save_newsroom_user(username, role, slugs, None if exists else DEMO_PASSWORD)
        users.append(result.user)
    if editor is not None:
        editor.groups.add(ensure_role_group(EDITOR_IN_CHIEF))
        users.append(editor)
    return users
