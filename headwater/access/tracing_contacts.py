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

import bisect
import datetime as dt
from collections import defaultdict

from django.db import connection
from django.utils import timezone

from headwater.access.models import BusTrip, Gate, MealSlot, Passage
from headwater.core import contacts, levels
from headwater.core.models import Organization

SLOT_SPAN = dt.timedelta(hours=12)

_BRANCHES = """
SELECT src.person_id, o.person_id, 'gate', o.gate_id, COUNT(DISTINCT {day}), MIN(src.at), MIN(o.at),
  COUNT(*)
FROM src {join}{t} o {on} o.gate_id = src.gate_id AND {near_gate}{close}
WHERE src.slot_id IS NULL AND src.trip_id IS NULL AND o.slot_id IS NULL AND o.trip_id IS NULL
  AND o.person_id IS NOT NULL AND o.person_id <> src.person_id {o_range}
GROUP BY 1, 2, 4
UNION ALL
SELECT src.person_id, o.person_id, 'slot', o.slot_id, COUNT(DISTINCT {day}), MIN(src.at), MIN(o.at),
  COUNT(*)
FROM src {join}{t} o {on} o.gate_id = src.gate_id AND o.slot_id = src.slot_id AND {near_slot}{close}
WHERE src.slot_id IS NOT NULL
  AND o.person_id IS NOT NULL AND o.person_id <> src.person_id {o_range}
GROUP BY 1, 2, 4
UNION ALL
SELECT src.person_id, o.person_id, 'bus', o.trip_id, COUNT(DISTINCT {day}), MIN(src.at), MIN(o.at),
  COUNT(*)
FROM src {join}{t} o {on} o.trip_id = src.trip_id{close}
WHERE src.trip_id IS NOT NULL
  AND o.person_id IS NOT NULL AND o.person_id <> src.person_id
GROUP BY 1, 2, 4
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
        + _BRANCHES.format(
            t=t,
            day=day,
            near_gate=near_gate,
            near_slot=near_slot,
            o_range=o_range,
            **_joins(),
        )
        + " ORDER BY 6, 1, 2"
    )
    # Placeholders in textual order: src, then per branch the day, the time span, the range.
    params = [*id_params, moment(start), moment(end)]
    params += [*day_params, *gate_params, *o_params]
    params += [*day_params, *slot_params, *o_params]
    params += day_params
    return sql, params


def _aware(value) -> dt.datetime:
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
    sql, params = _sql(list(person_ids), start, end, _minutes(person_ids))
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
    for person_id, other_id, kind, place, days, first, other_first, count in rows:
        first, other_first = _aware(first), _aware(other_first)
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
                "at": first.isoformat(),
                "other_at": other_first.isoformat(),
                "count": count,
            },
        )


# --- The second level: one row per (person, other, kind), answered in the database -------
#
# Asked about the closest level-1 people at once (up to 50), the pairwise join above would
# list every piece of evidence of every pair: at a busy gate at a shift change that is
# millions of rows. The summary counts instead, per (source, other, kind), the separate
# encounters — a gate and a day, a canteen slot and a day, a bus trip — and the first time:
# - "gate": each passage of an other person at a gate is given to the source passages
#   nearest in time before and after it at that gate (at most two), those within
#   `access.trace_minutes` (the same inclusive boundary as above): the work no longer grows
#   with the crowd of sources at a shift change, and a chain is still found through whoever
#   stood next to the person on either side. On PostgreSQL the others' passages are read
#   only inside the sources' windows merged per gate, then swept once in time order (window
#   functions): the work grows with the passages in those windows, not with the pairs.
# - "slot", "bus": as above, grouped per pair.

PERSON_BITS = 31  # a source's id rides in the low bits of a sortable (second, id) key

_REACH_PG = """
WITH skipped AS MATERIALIZED (SELECT unnest(%(skip)s::bigint[]) AS id),
src AS MATERIALIZED (
  SELECT gate_id, at, person_id, slot_id, trip_id FROM {t}
  WHERE person_id = ANY(%(ids)s) AND at >= %(start)s AND at < %(end)s
),
sg AS (SELECT gate_id, at, person_id FROM src WHERE slot_id IS NULL AND trip_id IS NULL),
w AS (
  SELECT gate_id, at - %(span)s AS lo, at + %(span)s AS hi,
         max(at) OVER (PARTITION BY gate_id ORDER BY at
                       ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) + %(span)s AS prev_hi
  FROM sg
),
g AS (
  SELECT gate_id, lo, hi,
         sum(CASE WHEN prev_hi IS NULL OR lo > prev_hi THEN 1 ELSE 0 END)
           OVER (PARTITION BY gate_id ORDER BY lo ROWS UNBOUNDED PRECEDING) AS grp
  FROM w
),
win AS (SELECT gate_id, min(lo) AS lo, max(hi) AS hi FROM g GROUP BY gate_id, grp),
ev AS (
  SELECT o.gate_id, o.at, o.person_id AS other, NULL::bigint AS src
  FROM win CROSS JOIN LATERAL (
    SELECT * FROM {t} o WHERE o.gate_id = win.gate_id AND o.at BETWEEN win.lo AND win.hi OFFSET 0
  ) o
  WHERE o.slot_id IS NULL AND o.trip_id IS NULL AND o.person_id IS NOT NULL
    AND o.at >= %(o_lo)s AND o.at <= %(o_hi)s
    AND NOT EXISTS (SELECT FROM skipped WHERE skipped.id = o.person_id)
  UNION ALL
  SELECT gate_id, at, NULL, person_id FROM sg
),
near AS (
  SELECT gate_id, at, other,
    max(CASE WHEN src IS NOT NULL THEN at END) OVER before AS b_at,
    max(CASE WHEN src IS NOT NULL THEN (extract(epoch FROM at)::bigint << {bits}) | src END)
      OVER before AS b_key,
    min(CASE WHEN src IS NOT NULL THEN at END) OVER after AS a_at,
    min(CASE WHEN src IS NOT NULL THEN (extract(epoch FROM at)::bigint << {bits}) | src END)
      OVER after AS a_key
  FROM ev
  WINDOW before AS (PARTITION BY gate_id ORDER BY at),
         after AS (PARTITION BY gate_id ORDER BY at DESC)
),
pairs AS (
  SELECT b_key & {mask} AS via, other, gate_id, at FROM near
  WHERE other IS NOT NULL AND b_at IS NOT NULL AND at - b_at <= %(span)s
  UNION ALL
  SELECT a_key & {mask}, other, gate_id, at FROM near
  WHERE other IS NOT NULL AND a_at IS NOT NULL AND a_at - at <= %(span)s
)
SELECT via, other, 'gate', count(DISTINCT (gate_id, (at AT TIME ZONE %(tz)s)::date)),
  extract(epoch FROM min(at))::float8
FROM pairs GROUP BY via, other
UNION ALL
SELECT src.person_id, o.person_id, 'slot',
       count(DISTINCT (o.slot_id, (o.at AT TIME ZONE %(tz)s)::date)),
       extract(epoch FROM min(o.at))::float8
FROM src CROSS JOIN LATERAL (
  SELECT * FROM {t} o WHERE o.gate_id = src.gate_id AND o.slot_id = src.slot_id
    AND o.at BETWEEN src.at - %(slot_span)s AND src.at + %(slot_span)s OFFSET 0
) o
WHERE src.slot_id IS NOT NULL AND o.person_id IS NOT NULL
  AND NOT EXISTS (SELECT FROM skipped WHERE skipped.id = o.person_id)
  AND o.at >= %(slot_lo)s AND o.at < %(slot_hi)s
GROUP BY 1, 2
UNION ALL
SELECT src.person_id, o.person_id, 'bus', count(DISTINCT o.trip_id),
  extract(epoch FROM min(o.at))::float8
FROM src CROSS JOIN LATERAL (SELECT * FROM {t} o WHERE o.trip_id = src.trip_id OFFSET 0) o
WHERE src.trip_id IS NOT NULL AND o.person_id IS NOT NULL
  AND NOT EXISTS (SELECT FROM skipped WHERE skipped.id = o.person_id)
GROUP BY 1, 2
"""


def _minutes(person_ids) -> int:
    orgs = Organization.objects.filter(people__pk__in=person_ids).distinct()
    return max((levels.value(o, "access.trace_minutes") for o in orgs), default=15)


def _reach_pg(ids, start, end, skip, minutes) -> list[tuple]:
    span = dt.timedelta(minutes=minutes)
    sql = _REACH_PG.format(
        t=connection.ops.quote_name(Passage._meta.db_table),
        bits=PERSON_BITS,
        mask=(1 << PERSON_BITS) - 1,
    )
    params = {
        "ids": list(ids),
        "start": start,
        "end": end,
        "span": span,
        "o_lo": start - span,
        "o_hi": end + span,
        "skip": sorted(skip),
        "tz": str(timezone.get_default_timezone()),
        "slot_span": SLOT_SPAN,
        "slot_lo": start - SLOT_SPAN,
        "slot_hi": end + SLOT_SPAN,
    }
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _reach_portable(ids, start, end, skip, minutes) -> list[tuple]:
    """The same answer for SQLite (small databases): the gate sweep in Python, the slot and
    bus pairs folded from `encounters`."""
    span = dt.timedelta(minutes=minutes)
    mine = Passage.objects.filter(
        person_id__in=ids, at__gte=start, at__lt=end, slot__isnull=True, trip__isnull=True
    ).values_list("gate_id", "at", "person_id")
    sources: dict[int, list[tuple]] = defaultdict(list)
    for gate, at, person in mine:
        sources[gate].append((at, person))
    others = (
        Passage.objects.filter(
            gate_id__in=list(sources),
            at__gte=start - span,
            at__lte=end + span,
            slot__isnull=True,
            trip__isnull=True,
            person__isnull=False,
        )
        .exclude(person_id__in=skip)
        .values_list("gate_id", "at", "person_id")
    )
    for times in sources.values():
        times.sort()
    found: dict[tuple[int, int], list] = {}
    for gate, at, other in others:
        times = sources[gate]
        i = bisect.bisect_right(times, (at, float("inf")))
        before = times[i - 1] if i else None
        after = times[i] if i < len(times) else None
        for source in (before, after):
            if source is None or abs(at - source[0]) > span:
                continue
            seen = found.setdefault((source[1], other), [set(), at])
            seen[0].add((gate, timezone.localtime(at).date()))
            seen[1] = min(seen[1], at)
    rows = [(via, other, "gate", len(days), at) for (via, other), (days, at) in found.items()]
    grouped: dict[tuple[int, int, str], list] = {}
    for person, other, kind, _place, days, _first, other_first, _n in encounters(ids, start, end):
        if kind == "gate" or other in skip:
            continue
        seen = grouped.setdefault((person, other, kind), [0, _aware(other_first)])
        seen[0] += days
        seen[1] = min(seen[1], _aware(other_first))
    rows += [(p, o, k, n, at) for (p, o, k), (n, at) in grouped.items()]
    return rows


@contacts.summary(passages)
def passages_reached(person_ids: list[int], start, end, skip: frozenset[int]):
    minutes = _minutes(person_ids)
    reach = _reach_pg if connection.vendor == "postgresql" else _reach_portable
    for person_id, other_id, kind, count, first in reach(person_ids, start, end, skip, minutes):
        yield contacts.Reach(person_id, other_id, kind, count, _aware(first))
