"""sahafa manage create_demo_accounts [--dry-run]"""

from django.core.management.base import BaseCommand
from django.db import transaction

from sahafa.newsroom.demo import ensure_demo_newsroom


class Command(BaseCommand):
    help = (
        "Create the demo's newsroom accounts (reporter, section_editor; the demo's editor "
        "becomes editor-in-chief), password sahafa-demo; safe to re-run. Run after load_demo."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Show the accounts, change nothing."
        )

    def handle(self, *args, dry_run=False, **options):
        with transaction.atomic():
            users = ensure_demo_newsroom()
            for user in users:
                groups = ", ".join(sorted(user.groups.values_list("name", flat=True))) or "-"
                self.stdout.write(f"{user.get_username()}: {groups}")
            if dry_run:
                transaction.set_rollback(True)
        verb = "would be ready" if dry_run else "ready"
        self.stdout.write(f"demo accounts: {len(users)} {verb}")
