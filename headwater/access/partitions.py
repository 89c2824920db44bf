"""The passages table on PostgreSQL: partitioned by month on `at` (declarative range
partitioning), one partition per month `access_passage_yYYYYmMM` plus a DEFAULT partition so
that no insert ever fails (ADR 0025, "Contact tracing and the passages table").

`partition()` turns the plain table Django created into the partitioned one, keeping any rows
(migration 0002); `ensure_months()` creates the months ahead (the daily task), moving rows
that already landed in DEFAULT for such a month into it; `drop_before()` removes old months
for retention. SQLite keeps the plain table: every function here does nothing there."""

from __future__ import annotations

import datetime as dt

from django.db import connection, transaction

TABLE = "access_passage"
DEFAULT = f"{TABLE}_default"
MONTHS_AHEAD = 3


def is_partitioned(cursor) -> bool:
    cursor.execute("SELECT relkind FROM pg_class WHERE oid = to_regclass(%s)", [TABLE])
    row = cursor.fetchone()
    return bool(row) and row[0] == "p"


def _month(day: dt.date, add: int = 0) -> dt.date:
    index = day.year * 12 + day.month - 1 + add
    return dt.date(index // 12, index % 12 + 1, 1)


def name_of(month: dt.date) -> str:
    return f"{TABLE}_y{month:%Y}m{month:%m}"


def _months(cursor) -> set[str]:
    cursor.execute(
        "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
        "WHERE i.inhparent = to_regclass(%s)",
        [TABLE],
    )
    return {r[0] for r in cursor.fetchall()}


def _add_month(cursor, month: dt.date) -> bool:
    """Create `month`'s partition (rows of that month already in DEFAULT move into it)."""
    name, lo, hi = name_of(month), month, _month(month, 1)
    if name in _months(cursor):
        return False
    # Bounds in the database's time zone would shift with it: UTC midnight, explicit.
    bounds = [f"{lo:%Y-%m-%d} 00:00:00+00", f"{hi:%Y-%m-%d} 00:00:00+00"]
    cursor.execute(f'CREATE TABLE "{name}" (LIKE "{TABLE}" INCLUDING DEFAULTS)')
    cursor.execute(
        f'WITH moved AS (DELETE FROM "{DEFAULT}" WHERE at >= %s AND at < %s RETURNING *) '
        f'INSERT INTO "{name}" SELECT * FROM moved',
        bounds,
    )
    cursor.execute(
        f'ALTER TABLE "{TABLE}" ATTACH PARTITION "{name}" FOR VALUES FROM (%s) TO (%s)', bounds
    )
    return True


def ensure_months(today: dt.date, ahead: int = MONTHS_AHEAD, *, since: dt.date | None = None):
    """Partitions for every month from `since` (default: this month) to `ahead` months after
    this one; returns the names created. Idempotent; nothing on SQLite."""
    if connection.vendor != "postgresql":
        return []
    created = []
    first = _month(since or today)
    last = _month(today, ahead)
    with transaction.atomic(), connection.cursor() as cursor:
        if not is_partitioned(cursor):
            return []
        month = first
        while month <= last:
            if _add_month(cursor, month):
                created.append(name_of(month))
            month = _month(month, 1)
    return created


def drop_before(month: dt.date) -> list[str]:
    """Retention: drop every monthly partition wholly before `month` (instant, no vacuum)."""
    if connection.vendor != "postgresql":
        return []
    limit = name_of(_month(month))
    with transaction.atomic(), connection.cursor() as cursor:
        old = sorted(n for n in _months(cursor) if n != DEFAULT and n < limit)
        for name in old:
            cursor.execute(f'ALTER TABLE "{TABLE}" DETACH PARTITION "{name}"')
            cursor.execute(f'DROP TABLE "{name}"')
    return old


def _definitions(cursor, table: str):
    """The table's FK and unique constraints and its plain indexes, as SQL to re-create."""
    cursor.execute(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = to_regclass(%s) AND contype IN ('f', 'u') ORDER BY conname",
        [table],
    )
    constraints = cursor.fetchall()
    cursor.execute(
        "SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x "
        "JOIN pg_class i ON i.oid = x.indexrelid WHERE x.indrelid = to_regclass(%s) "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid) "
        "ORDER BY i.relname",
        [table],
    )
    return constraints, cursor.fetchall()


def partition(today: dt.date) -> None:
    """Turn the plain passages table into the partitioned one with the same columns, the
    primary key (id, at), the same constraints, foreign keys and indexes (created on the
    parent, so every partition gets them), copying the rows there are."""
    with connection.cursor() as cursor:
        if is_partitioned(cursor):
            return
        constraints, indexes = _definitions(cursor, TABLE)
        old = f"{TABLE}_plain"
        cursor.execute(f'ALTER TABLE "{TABLE}" RENAME TO "{old}"')
        # Short new names: Django's are often 63 characters already (PostgreSQL's limit).
        for i, (name, _sql) in enumerate(constraints):
            cursor.execute(f'ALTER TABLE "{old}" RENAME CONSTRAINT "{name}" TO "{old}_c{i}"')
        for i, (name, _sql) in enumerate(indexes):
            cursor.execute(f'ALTER INDEX "{name}" RENAME TO "{old}_i{i}"')
        cursor.execute(f'ALTER TABLE "{old}" RENAME CONSTRAINT "{TABLE}_pkey" TO "{old}_pkey"')
        cursor.execute(
            f'CREATE TABLE "{TABLE}" (LIKE "{old}" INCLUDING DEFAULTS) PARTITION BY RANGE (at)'
        )
        cursor.execute(
            f'ALTER TABLE "{TABLE}" ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY'
        )
        cursor.execute(f'ALTER TABLE "{TABLE}" ADD CONSTRAINT "{TABLE}_pkey" PRIMARY KEY (id, at)')
        for name, sql in constraints:
            cursor.execute(f'ALTER TABLE "{TABLE}" ADD CONSTRAINT "{name}" {sql}')
        for _name, sql in indexes:
            cursor.execute(sql.replace(f" ON public.{old} ", f" ON public.{TABLE} "))
        cursor.execute(f'CREATE TABLE "{DEFAULT}" PARTITION OF "{TABLE}" DEFAULT')
        cursor.execute(f'SELECT min(at) FROM "{old}"')
        first = cursor.fetchone()[0]
    since = min(first.date(), today) if first else today
    ensure_months(today, since=since)
    with connection.cursor() as cursor:
        cursor.execute(f'INSERT INTO "{TABLE}" SELECT * FROM "{old}"')
        cursor.execute(f'DROP TABLE "{old}"')
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence(%s, 'id'), "
            f'COALESCE((SELECT max(id) FROM "{TABLE}"), 0) + 1, false)',
            [TABLE],
        )
