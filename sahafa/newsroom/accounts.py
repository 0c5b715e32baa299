"""Creating and updating newsroom accounts in a role (used by the command and the demo)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import transaction

from sahafa.news.models import SectionPage

from .models import RoleGroup
from .roles import ROLE_CODES, SECTION_ROLES, ensure_role_group, ensure_section_groups


class UnknownRole(ValueError):
    pass


class UnknownSection(ValueError):
    pass


@dataclass
class AccountResult:
    user: object
    created: bool
    sections: list[SectionPage] = field(default_factory=list)
    password_set: bool = False


def sections_by_slug(slugs: list[str]) -> list[SectionPage]:
    sections = []
    for slug in slugs:
        section = SectionPage.objects.filter(slug=slug).first()
        if section is None:
            raise UnknownSection(slug)
        sections.append(section)
    return sections


@transaction.atomic
def save_newsroom_user(
    username: str,
    role: str,
    section_slugs: list[str] | None = None,
    password: str | None = None,
) -> AccountResult:
    """Create or update ``username`` so that it holds exactly ``role``.

    The role replaces any other newsroom role the account had (groups that are not
    newsroom roles are left alone). For reporters and section editors, the given
    sections replace the previous ones; with no ``section_slugs`` an existing account
    keeps its sections. A new account without a password gets an unusable one.
    """
    if role not in ROLE_CODES:
        raise UnknownRole(role)
    sections = sections_by_slug(section_slugs or [])
    User = get_user_model()
    user, created = User.objects.get_or_create(username=username)

    current = RoleGroup.objects.filter(group__user=user)
    if role in SECTION_ROLES and not section_slugs:
        # Keep the sections this account already had in this role.
        sections = list(
            SectionPage.objects.filter(
                pk__in=current.filter(role=role, section__isnull=False).values("section_id")
            )
        )
    wanted = {ensure_role_group(role).pk}
    if role in SECTION_ROLES:
        wanted |= {ensure_section_groups(section)[role].pk for section in sections}
    stale = set(current.values_list("group_id", flat=True)) - wanted
    if stale:
        user.groups.remove(*stale)
    missing = wanted - set(user.groups.values_list("pk", flat=True))
    if missing:
        user.groups.add(*missing)

    # Administrators are administrators through their group, never superusers.
    user.is_active = True
    user.is_superuser = False
    if password:
        user.set_password(password)
    elif created:
        user.set_unusable_password()
    user.save()
    return AccountResult(user=user, created=created, sections=sections, password_set=bool(password))
