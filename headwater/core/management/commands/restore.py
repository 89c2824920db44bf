"""`headwater restore PATH`: put a backup made by `headwater backup` back."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from headwater.core import backup


class Command(BaseCommand):
    help = (
        "Restore a backup made by `headwater backup` into the database. Refuses a database "
        "that already has tables unless --force (which replaces what is there). Stop the web "
        "server and the worker first."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="backup file")
        parser.add_argument("--database", default="default", help="database alias")
        parser.add_argument(
            "--force", action="store_true", help="replace a database that is not empty"
        )

    def handle(self, *args, path: str, database: str, force: bool, **options):
        connection = connections[database]
        try:
            backup.restore(Path(path), connection, force=force)
        except backup.BackupError as e:
            raise CommandError(str(e)) from e
        self.stdout.write(f"Restored {path} into {connection.settings_dict['NAME']}")
