"""sahafa manage create_newsroom_user USERNAME --role ROLE [--section SLUG]… [--password P]"""

from django.core.management.base import BaseCommand, CommandError

from sahafa.newsroom.accounts import UnknownSection, save_newsroom_user
from sahafa.newsroom.roles import ROLE_CODES, ROLE_GROUP_NAMES, SECTION_ROLES


class Command(BaseCommand):
    help = "Create or update a newsroom account in a role (reporter, section_editor, editor_in_chief, administrator)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=ROLE_CODES)
        parser.add_argument(
            "--section",
            action="append",
            default=[],
            metavar="SLUG",
            help="A section the reporter or section editor works in (repeatable).",
        )
        parser.add_argument("--password", help="Set this password (else a new account gets none).")

    def handle(self, *args, username, role, section, password, **options):
        if section and role not in SECTION_ROLES:
            raise CommandError(
                f"--section applies to reporters and section editors only, not {role}"
            )
        try:
            result = save_newsroom_user(username, role, section, password)
        except UnknownSection as exc:
            raise CommandError(f"no section with the slug {exc}") from exc
        verb = "created" if result.created else "updated"
        sections = ", ".join(s.slug for s in result.sections) or "-"
        self.stdout.write(
            f"{verb} {username}: role {role} ({ROLE_GROUP_NAMES[role]}), sections: {sections}"
        )
        if role in SECTION_ROLES and not result.sections:
            self.stderr.write(f"warning: {username} has no section; add one with --section SLUG")
        if result.created and not result.password_set:
            self.stderr.write(f"warning: {username} has no password; set one with --password")
        self.stdout.write(f"1 account {verb}")
