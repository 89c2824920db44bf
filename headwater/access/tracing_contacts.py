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
kind, gate/slot/trip, local day), with the first times of both and the number of encounters.

The joins read the (person, at) index for the asked person's passages and the (gate, at)
index (or the trip's) for the others; on PostgreSQL the time range also prunes the monthly
partitions (ADR 0025)."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.utils import timezone

from headwater.access.models import BusTrip, Gate, MealSlot, Passage
from headwater.core import contacts, levels
from headwater.core.models import Organization

SLOT_SPAN = dt.timedelta(hours=12)

_BRANCHES = """
SELECT src.person_id, o.person_id, 'gate', o.gate_id, {day}, MIN(src.at), MIN(o.at), COUNT(*)
FROM src JOIN {t} o ON o.gate_id = src.gate_id AND {near_gate}
WHERE src.slot_id IS NULL AND src.trip_id IS NULL AND o.slot_id IS NULL AND o.trip_id IS NULL
  AND o.person_id IS NOT NULL AND o.person_id <> src.person_id {o_range}
GROUP BY 1, 2, 4, 5
UNION ALL
SELECT src.person_id, o.person_id, 'slot', o.slot_id, {day}, MIN(src.at), MIN(o.at), COUNT(*)
FROM src JOIN {t} o ON o.gate_id = src.gate_id AND o.slot_id = src.slot_id AND {near_slot}
WHERE src.slot_id IS NOT NULL
  AND o.person_id IS NOT NULL AND o.person_id <> src.person_id {o_range}
GROUP BY 1, 2, 4, 5
UNION ALL
SELECT src.person_id, o.person_id, 'bus', o.trip_id, {day}, MIN(src.at), MIN(o.at), COUNT(*)
FROM src JOIN {t} o ON o.trip_id = src.trip_id
WHERE src.trip_id IS NOT NULL
  AND o.person_id IS NOT NULL AND o.person_id <> src.person_id
GROUP BY 1, 2, 4, 5
"""


def moment(value: dt.datetime):
    """A datetime as the backend stores it (SQLite: naive UTC text), for raw SQL."""
    return connection.ops.adapt_datetimefield_value(value)


def _sql(ids: list[int], start, end, minutes: int) -> tuple[str, list]:
    t = connection.ops.quote_name(Passage._meta.db_table)
    gate_span = dt.timedelta(minutes=minutes)
    if connection.vendor == "postgresql":
        id_sql, id_params = "= ANY(%s)", [ids]
        day = "(o.at AT TIME ZONE %s)::date"
        day_params = [str(timezone.get_default_timezone())]

        def near(span):
            return "o.at BETWEEN src.at - %s AND src.at + %s", [span, span]

        o_range = "AND o.at >= %s AND o.at < %s"
        o_params = [moment(start - SLOT_SPAN), moment(end + SLOT_SPAN)]
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

        o_range, o_params = "", []
    near_gate, gate_params = near(gate_span)
    near_slot, slot_params = near(SLOT_SPAN)
    sql = (
        f"WITH src AS (SELECT person_id, gate_id, at, slot_id, trip_id FROM {t} "
        f"WHERE person_id {id_sql} AND at >= %s AND at < %s) "
        + _BRANCHES.format(t=t, day=day, near_gate=near_gate, near_slot=near_slot, o_range=o_range)
        + " ORDER BY 6, 1, 2"
    )
    # Placeholders in textual order: src, then per branch the day, the time span, the range.
    params = [*id_params, moment(start), moment(end)]
    params += [*day_params, *gate_params, *o_params]
    params += [*day_params, *slot_params, *o_params]
    params += day_params
    return sql, params


def _aware(value) -> dt.datetime:
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    if timezone.is_naive(value):
        value = value.replace(tzinfo=dt.UTC)
    return timezone.localtime(value)


def encounters(person_ids: list[int], start, end) -> list[tuple]:
    """Rows (person id, other id, kind, place id, day, first at, other's first at, count)."""
    if not person_ids:
        return []
    orgs = Organization.objects.filter(people__pk__in=person_ids).distinct()
    minutes = max((levels.value(o, "access.trace_minutes") for o in orgs), default=15)
    sql, params = _sql(list(person_ids), start, end, minutes)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


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
    for person_id, other_id, kind, place, day, first, other_first, count in rows:
        first, other_first = _aware(first), _aware(other_first)
        yield contacts.Contact(
            person_id=person_id,
            other_id=other_id,
            kind=kind,
            label=labels.get((kind, place), ""),
            at=first,
            evidence={
                PLACE_KEY[kind]: place,
                "day": str(day),
                "at": first.isoformat(),
                "other_at": other_first.isoformat(),
                "count": count,
            },
        )
