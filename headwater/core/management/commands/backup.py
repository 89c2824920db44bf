"""`headwater backup [PATH]`: a consistent backup of the database while the server runs."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from django.utils import timezone

from headwater.core import backup


class Command(BaseCommand):
    help = (
        "Back up the database while the server runs: SQLite through its online backup API, "
        "PostgreSQL through pg_dump -Fc. PATH defaults to var/backups/headwater-<time>.*"
    )

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", help="file to write")
        parser.add_argument("--database", default="default", help="database alias")

    def handle(self, *args, path: str | None, database: str, **options):
        target = Path(path) if path else self.default_path(database)
        try:
            backup.backup(target, database)
        except backup.BackupError as e:
            raise CommandError(str(e)) from e
        self.stdout.write(f"Backup written to {target}")

    def default_path(self, database: str) -> Path:
        suffix = "sqlite3" if backup.is_sqlite(connections[database].settings_dict) else "dump"
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
        return Path(settings.VAR_DIR) / "backups" / f"headwater-{stamp}.{suffix}"
