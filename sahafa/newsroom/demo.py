"""Demo accounts for each newsroom role (password ``sahafa-demo``).

``sahafa demo`` loads news' demo outlet first (``load_demo``, which makes the
«editor» login), then runs ``create_demo_accounts``, which calls
:func:`ensure_demo_newsroom`.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model

from sahafa.news.demo.loader import DEMO_USERNAME
from sahafa.news.models import SectionPage

from .accounts import save_newsroom_user
from .roles import EDITOR_IN_CHIEF, REPORTER, SECTION_EDITOR, ensure_role_group

DEMO_PASSWORD = "sahafa-demo"  # noqa: S105 - the published demo login


def ensure_demo_newsroom(editor=None) -> list:
    """A reporter and a section editor in the first section, and ``editor`` (by default
    the demo's «editor» login, when it exists) as editor-in-chief. Existing passwords
    are kept. Returns the accounts, the editor last."""
    User = get_user_model()
    section = SectionPage.objects.order_by("path").first()
    slugs = [section.slug] if section is not None else []
    users = []
    for username, role in (("reporter", REPORTER), ("section_editor", SECTION_EDITOR)):
        exists = User.objects.filter(username=username).exists()
        result = save_newsroom_user(username, role, slugs, None if exists else DEMO_PASSWORD)
        users.append(result.user)
    if editor is None:
        editor = User.objects.filter(username=DEMO_USERNAME).first()
    if editor is not None:
        editor.groups.add(ensure_role_group(EDITOR_IN_CHIEF))
        users.append(editor)
    return users
