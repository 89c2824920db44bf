"""The gates' contacts for tracing (`core.contacts`), found in the passages with one SQL
statement for any number of people (level 1; level 2 reads `tracing_reach`).

A pair of passages is evidence of exactly one kind:
- "slot": both carry the same canteen slot, at the same canteen door, the same local day —
  however far apart they came in;
- "bus": both boarded the same bus trip;
- "gate": neither carries a slot or a trip, same gate, `|Δt| ≤ access.trace_minutes` — the
  boundary is inclusive (exactly 15 minutes apart is a contact, 15 minutes and 1 second is
  not; SQLite compares to the second, PostgreSQL to the microsecond).
The asked person's passages are those in [start, end); the other's may lie up to the interval
outside it. Only people's passages count (visitors are not traced here), whatever the
decision (a person refused at the gate still stood there). One contact per (person, other,
kind, gate/slot/trip) over the window, with the local days they met there (`times`: each day
scores), the first times of both and the number of encounters.

The joins read the (person, at) index for the asked person's passages and the (gate, at)
index (or the trip's) for the others; on PostgreSQL the time range also prunes the monthly
partitions (ADR 0025)."""

from __future__ import annotations

import datetime as dt
from functools import cache

from django.db import connection, transaction
from django.utils import timezone

from headwater.access.models import BusTrip, Gate, MealSlot, Passage
from headwater.core import contacts, levels
from headwater.core.models import Organization

# A canteen slot happens once a day: its passages lie within a day of each other.
SLOT_SPAN = dt.timedelta(days=1)
# Sorts and hashes of one trace stay in memory (PostgreSQL's default 4 MB spilled a level-1
# sort of 72,000 rows to disk); set for the statement's transaction only.
WORK_MEM = "64MB"

# PostgreSQL: the others at a passage's canteen door and slot the same local day, through the
# (slot, at) index of the canteen's passages.
SLOT_MATES = """CROSS JOIN LATERAL (
  SELECT gate_id, person_id, slot_id, at FROM {t} o
  WHERE o.slot_id = src.slot_id AND o.gate_id = src.gate_id
    AND o.at >= date_trunc('day', src.at, %(tz)s)
    AND o.at < (date_trunc('day', src.at, %(tz)s) AT TIME ZONE %(tz)s + INTERVAL '1 day')
      AT TIME ZONE %(tz)s
    AND o.at BETWEEN %(slot_lo)s AND %(slot_hi)s OFFSET 0
) o"""

# PostgreSQL: one row per pair and place, its days as a bitmask (bit i: the i-th local day of
# the window, by the asked person's passage; a window is at most 60 days) — one hashed
# aggregate over the joined passages, a third faster than grouping per day first. Each of the
# asked person's passages has its day's bit worked out once, in `src` (once per joined row, the
# time zone conversion took half the statement's time at a shift change). Times leave
# as seconds since the epoch: parsing thousands of timestamps as text cost more than the
# statement. The time range in constants lets the planner read only the months it overlaps.
_PG = """
WITH src AS MATERIALIZED (
  SELECT person_id, gate_id, at, slot_id, trip_id,
    1::bigint << ((at AT TIME ZONE %(tz)s)::date - %(day0)s) AS day
  FROM {t} WHERE person_id = ANY(%(ids)s) AND at >= %(start)s AND at < %(end)s
)
SELECT src.person_id, o.person_id, 'gate', o.gate_id, {days}, {firsts}, count(*)
FROM src JOIN {t} o ON o.gate_id = src.gate_id
  AND o.at BETWEEN src.at - %(span)s AND src.at + %(span)s
  AND o.at BETWEEN %(gate_lo)s AND %(gate_hi)s
WHERE src.slot_id IS NULL AND src.trip_id IS NULL AND o.slot_id IS NULL AND o.trip_id IS NULL
  AND o.person_id IS NOT NULL AND o.person_id <> src.person_id
GROUP BY 1, 2, 4
UNION ALL
SELECT src.person_id, o.person_id, 'slot', o.slot_id, {days}, {firsts}, count(*)
FROM src {slot_mates}
WHERE src.slot_id IS NOT NULL AND o.person_id IS NOT NULL AND o.person_id <> src.person_id
GROUP BY 1, 2, 4
UNION ALL
SELECT src.person_id, o.person_id, 'bus', o.trip_id, {days}, {firsts}, count(*)
FROM src CROSS JOIN LATERAL (
  SELECT person_id, trip_id, at FROM {t} o WHERE o.trip_id = src.trip_id OFFSET 0
) o
WHERE src.trip_id IS NOT NULL AND o.person_id IS NOT NULL AND o.person_id <> src.person_id
GROUP BY 1, 2, 4
ORDER BY 6, 1, 2
""".format(
    t="{t}",
    slot_mates="{slot_mates}",
    days="bit_count(bit_or(src.day)::bit(64))",
    firsts="date_part('epoch', min(src.at)), date_part('epoch', min(o.at))",
)

# SQLite (small databases): per pair, place and local day first, then per pair and place.
_PORTABLE = """
WITH src AS (
  SELECT person_id, gate_id, at, slot_id, trip_id FROM {t}
  WHERE person_id IN ({ids}) AND at >= %s AND at < %s
), e AS (
SELECT src.person_id AS p, o.person_id AS other, 'gate' AS kind, o.gate_id AS place,
  date(src.at, %s) AS day, MIN(src.at) AS first, MIN(o.at) AS other_first, COUNT(*) AS n
FROM src JOIN {t} o ON o.gate_id = src.gate_id AND {near_gate}
WHERE src.slot_id IS NULL AND src.trip_id IS NULL AND o.slot_id IS NULL AND o.trip_id IS NULL
  AND o.person_id IS NOT NULL AND o.person_id <> src.person_id
GROUP BY 1, 2, 4, 5
UNION ALL
SELECT src.person_id, o.person_id, 'slot', o.slot_id, date(src.at, %s), MIN(src.at), MIN(o.at),
  COUNT(*)
FROM src JOIN {t} o ON o.gate_id = src.gate_id AND o.slot_id = src.slot_id AND {near_slot}
WHERE src.slot_id IS NOT NULL AND o.person_id IS NOT NULL AND o.person_id <> src.person_id
GROUP BY 1, 2, 4, 5
UNION ALL
SELECT src.person_id, o.person_id, 'bus', o.trip_id, date(src.at, %s), MIN(src.at), MIN(o.at),
  COUNT(*)
FROM src JOIN {t} o ON o.trip_id = src.trip_id
WHERE src.trip_id IS NOT NULL AND o.person_id IS NOT NULL AND o.person_id <> src.person_id
GROUP BY 1, 2, 4, 5
)
SELECT p, other, kind, place, COUNT(*), MIN(first), MIN(other_first), CAST(SUM(n) AS INTEGER)
FROM e GROUP BY 1, 2, 3, 4 ORDER BY 6, 1, 2
"""


def moment(value: dt.datetime):
    """A datetime as the backend stores it (SQLite: naive UTC text), for raw SQL."""
    return connection.ops.adapt_datetimefield_value(value)


def _sql(ids: list[int], start, end, minutes: int) -> tuple[str, list | dict]:
    t = connection.ops.quote_name(Passage._meta.db_table)
    span = dt.timedelta(minutes=minutes)
    if connection.vendor == "postgresql":
        tz = timezone.get_default_timezone()
        return _PG.format(slot_mates=SLOT_MATES, t="{t}").format(t=t), {
            "ids": ids,
            "start": start,
            "end": end,
            "span": span,
            "gate_lo": start - span,
            "gate_hi": end + span,
            "slot_lo": start - SLOT_SPAN,
            "slot_hi": end + SLOT_SPAN,
            "tz": str(tz),
            "day0": start.astimezone(tz).date(),
        }

    def near(span):
        s = int(span.total_seconds())
        sql = "o.at BETWEEN datetime(src.at, %s) AND datetime(src.at, %s)"
        return sql, [f"-{s} seconds", f"+{s} seconds"]

    offset = timezone.localtime(start).utcoffset() or dt.timedelta()
    day = [f"{int(offset.total_seconds()):+d} seconds"]
    near_gate, gate_params = near(span)
    near_slot, slot_params = near(SLOT_SPAN)
    near_slot += " AND date(o.at, %s) = date(src.at, %s)"
    slot_params += [*day, *day]
    sql = _PORTABLE.format(
        t=t, ids=", ".join(["%s"] * len(ids)), near_gate=near_gate, near_slot=near_slot
    )
    # Placeholders in textual order: the ids and the window, then per branch the day (and the
    # time span).
    params = [*ids, moment(start), moment(end), *day, *gate_params, *day, *slot_params, *day]
    return sql, params


def aware(value) -> dt.datetime:
    """A stored time (a datetime, SQLite's text or seconds since the epoch) in local time."""
    if isinstance(value, float | int):
        return dt.datetime.fromtimestamp(value, timezone.get_default_timezone())
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(timezone.get_default_timezone())


def encounters(person_ids: list[int], start, end) -> list[tuple]:
    """Rows (person id, other id, kind, place id, days, first at, other's first at, count):
    one per pair, kind and place over the window, with the local days (of the asked
    person's passages) they met there and the encounters in all, the first met first."""
    if not person_ids:
        return []
    return fetch(*_sql(list(person_ids), start, end, minutes_of(person_ids)))


def fetch(sql: str, params) -> list[tuple]:
    """A tracing statement's rows, its sorts and hashes in memory on PostgreSQL."""
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL work_mem = '{WORK_MEM}'")
        cursor.execute(sql, params)
        return cursor.fetchall()


def minutes_of(person_ids) -> int:
    """`access.trace_minutes` in force for those people (the largest, should they belong to
    several organizations)."""
    orgs = list(Organization.objects.filter(people__pk__in=person_ids).distinct())
    for org in orgs:  # both levels of a trace ask: the settings are read once (core.memo)
        levels.remembered(org)
    return max((levels.value(o, "access.trace_minutes") for o in orgs), default=15)


def _labels(rows) -> dict[tuple[str, int], str]:
    wanted: dict[str, set[int]] = {"gate": set(), "slot": set(), "bus": set()}
    for row in rows:
        wanted[row[2]].add(row[3])
    gates = Gate.objects.filter(pk__in=wanted["gate"]).values_list("pk", "name")
    slots = MealSlot.objects.filter(pk__in=wanted["slot"]).values_list("pk", "name")
    labels = {("gate", pk): name for pk, name in gates}
    labels |= {("slot", pk): name for pk, name in slots}
    for trip in BusTrip.objects.filter(pk__in=wanted["bus"]).select_related("route"):
        labels[("bus", trip.pk)] = f"{trip.route.name} {trip.departs:%H:%M}"
    return labels


PLACE_KEY = {"gate": "gate_id", "slot": "slot_id", "bus": "trip_id"}


@contacts.provider
def passages(person_ids: list[int], start: dt.datetime, end: dt.datetime):
    rows = encounters(person_ids, start, end)
    labels = _labels(rows)
    when = _reader()
    first_at = cache(when)  # the asked person's first times recur: hundreds met at one passage
    Contact = contacts.Contact  # noqa: N806 (thousands of rows: names looked up once)
    found = []
    for person_id, other_id, kind, place, days, first, other_first, count in rows:
        evidence = {
            PLACE_KEY[kind]: place,
            "days": days,
            "other_at": when(other_first),
            "count": count,
        }
        found.append(
            Contact(
                person_id,
                other_id,
                kind,
                labels.get((kind, place), ""),
                first_at(first),
                evidence,
                days,
            )
        )
    return found


def _reader():
    """Stored times to local datetimes: PostgreSQL's rows carry seconds since the epoch."""
    if connection.vendor == "postgresql":
        tz = timezone.get_default_timezone()
        return lambda seconds: dt.datetime.fromtimestamp(seconds, tz)
    return aware
