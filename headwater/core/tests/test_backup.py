"""`headwater backup` and `headwater restore`: a populated database comes back whole, into an
empty one, on the engine the suite runs on; a non-empty database is not overwritten."""

import uuid
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from headwater.core import backup, demo
from headwater.core.models import Person


def snapshot(db) -> dict[str, list[tuple]]:
    """Every row of every table, in a stable order."""
    with db.cursor() as cursor:
        tables = db.introspection.table_names(cursor)
        rows = {}
        for table in tables:
            cursor.execute(f"SELECT * FROM {db.ops.quote_name(table)}")
            rows[table] = sorted(cursor.fetchall(), key=repr)
    return rows


@pytest.fixture
def empty_database(tmp_path):
    """Settings for a new, empty database on the suite's engine; dropped afterwards."""
    settings_dict = {**connection.settings_dict, "TEST": {}}
    if backup.is_sqlite(settings_dict):
        yield {**settings_dict, "NAME": str(tmp_path / "restored.sqlite3")}
        return
    name = f"hw_restore_{uuid.uuid4().hex[:8]}"
    admin = backup.open_database({**settings_dict, "NAME": "postgres"})
    with admin.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    try:
        yield {**settings_dict, "NAME": name}
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


@pytest.mark.django_db(transaction=True)
def test_backup_restores_every_record_and_the_audit_trail_into_an_empty_database(
    tmp_path, empty_database
):
    demo.run(staff=12, history_days=2)
    before = snapshot(connection)
    assert all(before[t] for t in ("core_person", "auditlog_logentry", "health_checkin"))
    assert all(before[t] for t in ("health_healthcode", "quality_sample"))

    call_command("backup", str(tmp_path / "hw.backup"))
    restored = backup.open_database(empty_database)
    try:
        backup.restore(tmp_path / "hw.backup", restored)
        assert snapshot(restored) == before
    finally:
        restored.close()


def test_restore_refuses_a_database_that_is_not_empty(tmp_path, people):
    (tmp_path / "hw.backup").write_bytes(b"never read: the database is checked first")
    Person.objects.filter(pk=people["head"].pk).update(name="改过")

    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(tmp_path / "hw.backup"))

    assert Person.objects.get(pk=people["head"].pk).name == "改过"


def test_restore_of_a_missing_file_says_so(tmp_path, db):
    with pytest.raises(CommandError, match="No backup file"):
        call_command("restore", str(Path(tmp_path / "nothing.backup")), "--force")
