"""The gates' contacts for tracing (`core.contacts`), found in the passages with one SQL
statement for any number of people (level 1 asks for one, level 2 for the whole set of
level-1 people at once).

A pair of passages is evidence of exactly one kind:
- "slot": both carry the same canteen slot, at the same canteen door, the same day (within
  12 hours: a slot happens once a day) — however far apart they came in;
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

from django.db import connection, transaction
from django.utils import timezone

from headwater.access.models import BusTrip, Gate, MealSlot, Passage
from headwater.core import contacts, levels
from headwater.core.models import Organization

SLOT_SPAN = dt.timedelta(hours=12)
# Sorts and hashes of one trace stay in memory (PostgreSQL's default 4 MB spilled a level-1
# sort of 72,000 rows to disk); set for the statement's transaction only.
WORK_MEM = "64MB"

# Per pair, place and local day first (hashed), then per pair and place: the days, the first
# times, the encounters — cheaper than COUNT(DISTINCT day), which sorts every joined row.
_BRANCHES = """
SELECT src.person_id AS p, o.person_id AS other, 'gate' AS kind, o.gate_id AS place, {day} AS day,
  MIN(src.at) AS first, MIN(o.at) AS other_first, COUNT(*) AS n
FROM src {join}{t} o {on} o.gate_id = src.gate_id AND {near_gate}{close}
WHERE src.slot_id IS NULL AND src.trip_id IS NULL AND o.slot_id IS NULL AND o.trip_id IS NULL
  AND o.person_id IS NOT NULL AND o.person_id <> src.person_id
GROUP BY 1, 2, 4, 5
UNION ALL
SELECT src.person_id, o.person_id, 'slot', o.slot_id, {day}, MIN(src.at), MIN(o.at), COUNT(*)
FROM src {join}{t} o {on} o.gate_id = src.gate_id AND o.slot_id = src.slot_id AND {near_slot}{close}
WHERE src.slot_id IS NOT NULL
  AND o.person_id IS NOT NULL AND o.person_id <> src.person_id
GROUP BY 1, 2, 4, 5
UNION ALL
SELECT src.person_id, o.person_id, 'bus', o.trip_id, {day}, MIN(src.at), MIN(o.at), COUNT(*)
FROM src {join}{t} o {on} o.trip_id = src.trip_id{close}
WHERE src.trip_id IS NOT NULL
  AND o.person_id IS NOT NULL AND o.person_id <> src.person_id
GROUP BY 1, 2, 4, 5
"""


def moment(value: dt.datetime):
    """A datetime as the backend stores it (SQLite: naive UTC text), for raw SQL."""
    return connection.ops.adapt_datetimefield_value(value)


def _joins() -> dict[str, str]:
    """The others' passages joined to each of the asked person's: on PostgreSQL a LATERAL
    subquery behind OFFSET 0, so that the planner keeps one index range scan per passage
    (without it, it misjudged the canteen branch and read a whole month's partition)."""
    if connection.vendor == "postgresql":
        return {
            "join": "CROSS JOIN LATERAL (SELECT * FROM ",
            "on": "WHERE",
            "close": " OFFSET 0) o",
        }
    return {"join": "JOIN ", "on": "ON", "close": ""}


def _sql(ids: list[int], start, end, minutes: int) -> tuple[str, list]:
    t = connection.ops.quote_name(Passage._meta.db_table)
    gate_span = dt.timedelta(minutes=minutes)
    if connection.vendor == "postgresql":
        id_sql, id_params = "= ANY(%s)", [ids]
        day = "(o.at AT TIME ZONE %s)::date"
        day_params = [str(timezone.get_default_timezone())]

        def near(span):
            return "o.at BETWEEN src.at - %s AND src.at + %s", [span, span]

        # Times leave as seconds since the epoch: parsing thousands of timestamps as text
        # cost more than the statement.
        epoch = "date_part('epoch', {})"
    else:
        id_sql, id_params = f"IN ({', '.join(['%s'] * len(ids))})", list(ids)
        offset = timezone.localtime(start).utcoffset() or dt.timedelta()
        day = "date(o.at, %s)"
        day_params = [f"{int(offset.total_seconds()):+d} seconds"]

        def near(span):
            s = int(span.total_seconds())
            return "o.at BETWEEN datetime(src.at, %s) AND datetime(src.at, %s)", [
                f"-{s} seconds",
                f"+{s} seconds",
            ]

        epoch = "{}"

    def near_in_window(span):
        # ... and, in constants, within the window widened by the span: PostgreSQL then
        # reads only the months' partitions it overlaps, with no Append per passage.
        sql, params = near(span)
        return f"{sql} AND o.at BETWEEN %s AND %s", [
            *params,
            moment(start - span),
            moment(end + span),
        ]

    near_gate, gate_params = near_in_window(gate_span)
    near_slot, slot_params = near_in_window(SLOT_SPAN)
    branches = _BRANCHES.format(t=t, day=day, near_gate=near_gate, near_slot=near_slot, **_joins())
    sql = (
        f"WITH src AS (SELECT person_id, gate_id, at, slot_id, trip_id FROM {t} "
        f"WHERE person_id {id_sql} AND at >= %s AND at < %s), e AS ({branches}) "
        f"SELECT p, other, kind, place, COUNT(*), {epoch.format('MIN(first)')}, "
        f"{epoch.format('MIN(other_first)')}, CAST(SUM(n) AS INTEGER) "
        "FROM e GROUP BY 1, 2, 3, 4 ORDER BY 6, 1, 2"
    )
    # Placeholders in textual order: src, then per branch the day, the time span, the range.
    params = [*id_params, moment(start), moment(end)]
    params += [*day_params, *gate_params]
    params += [*day_params, *slot_params]
    params += day_params
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
    one per pair, kind and place over the window, with the local days they met there and
    the encounters in all."""
    if not person_ids:
        return []
    sql, params = _sql(list(person_ids), start, end, minutes_of(person_ids))
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"SET LOCAL work_mem = '{WORK_MEM}'")
        cursor.execute(sql, params)
        return cursor.fetchall()


def minutes_of(person_ids) -> int:
    """`access.trace_minutes` in force for those people (the largest, should they belong to
    several organizations)."""
    orgs = Organization.objects.filter(people__pk__in=person_ids).distinct()
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
    for person_id, other_id, kind, place, days, first, other_first, count in rows:
        first, other_first = aware(first), aware(other_first)
        yield contacts.Contact(
            person_id=person_id,
            other_id=other_id,
            kind=kind,
            label=labels.get((kind, place), ""),
            at=first,
            times=days,
            evidence={
                PLACE_KEY[kind]: place,
                "days": days,
                "other_at": other_first.isoformat(),
                "count": count,
            },
        )
