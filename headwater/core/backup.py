"""Backups of the whole database, taken while the server runs, and their restore.

SQLite goes through its online backup API (a consistent copy page by page, writers carry
on); PostgreSQL through `pg_dump -Fc` and `pg_restore`, given the connection in PG*
environment variables so that no password appears on a command line.
"""

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper


class BackupError(Exception):
    """A backup or restore that could not be done; the message says why."""


def is_sqlite(settings_dict: dict) -> bool:
    return settings_dict["ENGINE"] == "django.db.backends.sqlite3"


def backup(path: Path, alias: str = "default") -> Path:
    """Write a backup of database `alias` to `path`; returns the path."""
    connection = connections[alias]
    path.parent.mkdir(parents=True, exist_ok=True)
    if is_sqlite(connection.settings_dict):
        if connection.in_atomic_block:
            # The online backup waits for the source's own open transaction: it would hang.
            raise BackupError("A SQLite backup cannot be taken inside a transaction")
        connection.ensure_connection()
        target = sqlite3.connect(path)
        try:
            connection.connection.backup(target)
        finally:
            target.close()
    else:
        _run(["pg_dump", "-Fc", "--no-owner", "-f", str(path)], connection.settings_dict)
    return path


def restore(path: Path, connection: BaseDatabaseWrapper, *, force: bool = False) -> None:
    """Restore the backup at `path` into the database behind `connection`. Refuses a
    database that already has tables unless `force`."""
    if not path.is_file():
        raise BackupError(f"No backup file at {path}")
    connection.ensure_connection()
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
    if tables and not force:
        raise BackupError(
            f"Database {connection.settings_dict['NAME']} is not empty; "
            "restore with --force to replace it"
        )
    if is_sqlite(connection.settings_dict):
        _restore_sqlite(path, connection.connection)
    else:
        clean = ["--clean", "--if-exists"] if force else []
        db = ["-d", connection.settings_dict["NAME"]]
        _run(
            ["pg_restore", "--no-owner", "--exit-on-error", *clean, *db, str(path)],
            connection.settings_dict,
        )


def _restore_sqlite(path: Path, target: sqlite3.Connection) -> None:
    """Copy the backup over the target, page by page (the target's old pages are replaced)."""
    source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        if source.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            raise BackupError(f"{path} is not an intact SQLite backup")
        source.backup(target)
    except sqlite3.DatabaseError as e:
        raise BackupError(f"{path} is not a SQLite backup: {e}") from e
    finally:
        source.close()


def open_database(settings_dict: dict) -> BaseDatabaseWrapper:
    """A Django connection to the database `settings_dict` describes (not in `connections`)."""
    from django.db.utils import load_backend

    return load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, alias="__backup")


def _run(command: list[str], settings_dict: dict) -> None:
    tool = shutil.which(command[0])
    if tool is None:
        raise BackupError(f"{command[0]} not found on PATH (install the PostgreSQL client tools)")
    env = {**os.environ, **_pg_env(settings_dict)}
    result = subprocess.run([tool, *command[1:]], env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()}")


def _pg_env(settings_dict: dict) -> dict[str, str]:
    pairs = {
        "PGDATABASE": settings_dict.get("NAME"),
        "PGUSER": settings_dict.get("USER"),
        "PGPASSWORD": settings_dict.get("PASSWORD"),
        "PGHOST": settings_dict.get("HOST"),
        "PGPORT": settings_dict.get("PORT"),
    }
    return {key: str(value) for key, value in pairs.items() if value}
