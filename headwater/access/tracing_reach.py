"""The gates' second level of tracing (`core.contacts.reached`): per other person and kind,
the sources met and the number of separate encounters with each (`contacts.Line`),
answered in the database.

Asked about the closest level-1 people at once (up to 50), the pairwise join of
`tracing_contacts` would list every piece of evidence of every pair: at a busy gate at a
shift change that is millions of rows. Here, per (source, other, kind), the separate
encounters — a gate and a day, a canteen slot and a day, a bus trip — and the first time:
- "gate": each passage of an other person at a gate is given to the source passages nearest
  in time before and after it at that gate (at most two; a source exactly at the same time
  counts as before), those within `access.trace_minutes` (the same inclusive boundary as
  level 1): the work does not grow with the crowd of sources at a shift change, and a chain
  is still found through whoever stood next to the person on either side. The others'
  passages are read only in the stretches where one can be that near a source — each
  source's passage ± the interval, merged per gate — less the traced person's own stretches
  (`around`): whoever passed there met the traced person, is a level-1 contact, and is
  skipped anyway (at a plant that is half of what the sources' stretches hold). The day of
  an encounter is the source's passage's local day (as level 1 counts the asked person's).
  On PostgreSQL the stretches are multiranges (`range_agg`, less `around`'s, in the
  statement), and the nearest sources are found by `width_bucket` over each gate's sorted
  source times (a binary search per passage).
- "slot": the others at the same canteen door and slot the same local day, each slot-day
  read once, none the traced person ate at; "bus": the same trip, each trip read once, none
  the traced person rode.
The gates' statement and the canteens' and buses' run side by side (`core.parallel`).
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections import defaultdict

from django.db import connection
from django.utils import timezone

from headwater.access.models import Passage
from headwater.access.tracing_contacts import (
    SLOT_SPAN,
    aware,
    encounters,
    fetch,
    minutes_of,
    passages,
)
from headwater.core import contacts, parallel

_SOURCES = """
WITH skipped AS MATERIALIZED (SELECT unnest(%(skip)s::bigint[]) AS id),
src AS MATERIALIZED (
  SELECT gate_id, at, person_id, slot_id, trip_id FROM {t}
  WHERE person_id = ANY(%(ids)s) AND at >= %(start)s AND at < %(end)s
)"""

# The pairs folded into lines (`core.contacts.Line`): per other and kind, the sources and
# their encounters, the most met first (then the earliest), and when that one first met.
# Sorted once in a subquery, which the aggregates take in that order (a fifth faster than an
# ORDER BY in each of them); the order only sets how a line lists its sources.
_LINES = """
SELECT other, kind, array_agg(via), array_agg(n), date_part('epoch', (array_agg(first))[1])
FROM (SELECT * FROM pairs ORDER BY other, kind, n DESC, first, via) sorted
GROUP BY other, kind
"""

_GATES_PG = (
    _SOURCES
    + """,
sources AS MATERIALIZED (
  SELECT gate_id, array_agg(at ORDER BY at, person_id) AS times,
    array_agg(person_id ORDER BY at, person_id) AS people,
    array_agg(1::bigint << ((at AT TIME ZONE %(tz)s)::date - %(day0)s) ORDER BY at, person_id)
      AS days
  FROM src WHERE slot_id IS NULL AND trip_id IS NULL GROUP BY gate_id
),
stretches AS (
  SELECT gate_id, range_agg(tstzrange(at - %(span)s, at + %(span)s, '[]')) AS stretch
  FROM src WHERE slot_id IS NULL AND trip_id IS NULL GROUP BY gate_id
),
cut AS (
  SELECT gate_id, range_agg(tstzrange(at - %(span)s, at + %(span)s, '[]')) AS stretch
  FROM {t} WHERE person_id = %(around)s AND at >= %(start)s AND at < %(end)s
    AND slot_id IS NULL AND trip_id IS NULL
  GROUP BY gate_id
),
win AS (
  -- Where an other can be that near a source, less where they would be as near `around`
  -- (ends included: whoever passed exactly there met `around`, and is skipped anyway).
  SELECT s.gate_id, lower(w) AS lo, upper(w) AS hi
  FROM stretches s LEFT JOIN cut ON cut.gate_id = s.gate_id
  CROSS JOIN LATERAL unnest(s.stretch - coalesce(cut.stretch, '{{}}')) w
),
near AS MATERIALIZED (
  SELECT o.person_id AS other, o.gate_id, o.at, s.days[b.i] AS before_day,
    s.days[b.i + 1] AS after_day,
    CASE WHEN b.i >= 1 AND s.times[b.i] >= o.at - %(span)s THEN s.people[b.i] END AS before,
    CASE WHEN b.i < cardinality(s.times) AND s.times[b.i + 1] <= o.at + %(span)s
      THEN s.people[b.i + 1] END AS after
  FROM win JOIN sources s ON s.gate_id = win.gate_id
  CROSS JOIN LATERAL (
    SELECT gate_id, at, person_id FROM {t} o
    WHERE o.gate_id = win.gate_id AND o.at BETWEEN win.lo AND win.hi
      AND o.at BETWEEN %(o_lo)s AND %(o_hi)s
      AND o.slot_id IS NULL AND o.trip_id IS NULL AND o.person_id IS NOT NULL
      AND NOT EXISTS (SELECT FROM skipped WHERE skipped.id = o.person_id) OFFSET 0
  ) o
  CROSS JOIN LATERAL (SELECT width_bucket(o.at, s.times) AS i) b
),
met AS (
  SELECT via, other, gate_id, min(at) AS first, bit_or(day) AS days
  FROM (
    SELECT before AS via, other, gate_id, at, before_day AS day FROM near
    WHERE before IS NOT NULL
    UNION ALL
    SELECT after, other, gate_id, at, after_day FROM near WHERE after IS NOT NULL
  ) credited
  GROUP BY via, other, gate_id
),
pairs AS (
  SELECT via, other, 'gate' AS kind, sum(bit_count(days::bit(64)))::int AS n, min(first) AS first
  FROM met GROUP BY via, other
)
"""
    + _LINES
)

_SLOTS_AND_BUSES_PG = (
    _SOURCES
    + """,
slot_days AS (
  -- Each canteen door, slot and local day once, however many sources ate there; none that
  -- `around` ate at (whoever ate there is a level-1 contact, skipped).
  SELECT DISTINCT gate_id, slot_id, date_trunc('day', at, %(tz)s) AS day FROM src
  WHERE slot_id IS NOT NULL
  EXCEPT
  SELECT gate_id, slot_id, date_trunc('day', at, %(tz)s) FROM {t}
  WHERE person_id = %(around)s AND at >= %(start)s AND at < %(end)s AND slot_id IS NOT NULL
),
diners AS (
  SELECT d.gate_id, d.slot_id, d.day, o.person_id, min(o.at) AS first
  FROM slot_days d CROSS JOIN LATERAL (
    SELECT person_id, at FROM {t} o
    WHERE o.slot_id = d.slot_id AND o.gate_id = d.gate_id AND o.at >= d.day
      AND o.at < (d.day AT TIME ZONE %(tz)s + INTERVAL '1 day') AT TIME ZONE %(tz)s
      AND o.at BETWEEN %(slot_lo)s AND %(slot_hi)s OFFSET 0
  ) o
  WHERE o.person_id IS NOT NULL
    AND NOT EXISTS (SELECT FROM skipped WHERE skipped.id = o.person_id)
  GROUP BY d.gate_id, d.slot_id, d.day, o.person_id
),
slots AS (
  SELECT s.person_id AS via, d.person_id AS other, count(*)::int AS n, min(d.first) AS first
  FROM (
    SELECT DISTINCT person_id, gate_id, slot_id, date_trunc('day', at, %(tz)s) AS day
    FROM src WHERE slot_id IS NOT NULL
  ) s
  JOIN diners d ON d.gate_id = s.gate_id AND d.slot_id = s.slot_id AND d.day = s.day
  GROUP BY s.person_id, d.person_id
),
trips AS (
  -- Each trip once, however many sources rode it; none that `around` rode (its riders are
  -- all level-1 contacts, skipped).
  SELECT DISTINCT trip_id FROM src WHERE trip_id IS NOT NULL AND trip_id NOT IN (
    SELECT trip_id FROM {t} WHERE person_id = %(around)s AND at >= %(start)s AND at < %(end)s
      AND trip_id IS NOT NULL
  )
),
riders AS (
  SELECT trips.trip_id, o.person_id, min(o.at) AS first
  FROM trips CROSS JOIN LATERAL (
    SELECT person_id, at FROM {t} o WHERE o.trip_id = trips.trip_id OFFSET 0
  ) o
  WHERE o.person_id IS NOT NULL
    AND NOT EXISTS (SELECT FROM skipped WHERE skipped.id = o.person_id)
  GROUP BY trips.trip_id, o.person_id
),
buses AS (
  SELECT s.person_id AS via, r.person_id AS other, count(*)::int AS n, min(r.first) AS first
  FROM (SELECT DISTINCT person_id, trip_id FROM src WHERE trip_id IS NOT NULL) s
  JOIN riders r ON r.trip_id = s.trip_id
  GROUP BY s.person_id, r.person_id
),
pairs AS (
  SELECT via, other, 'slot' AS kind, n, first FROM slots
  UNION ALL
  SELECT via, other, 'bus', n, first FROM buses
)
"""
    + _LINES
)


def _merged(times: list, span) -> list[list]:
    """The stretches [t - span, t + span] of sorted times, overlapping ones merged."""
    out: list[list[dt.datetime]] = []
    for t in times:
        if out and t - span <= out[-1][1]:
            out[-1][1] = t + span
        else:
            out.append([t - span, t + span])
    return out


def _less(keep: list[list], cut: list[list]) -> list[tuple]:
    """`keep` less `cut` (both sorted, merged, closed): the pieces left, each with the ends
    of the cut (whoever passed exactly there is in the cut's stretch, skipped anyway)."""
    out, j = [], 0
    for lo, hi in keep:
        while j < len(cut) and cut[j][1] < lo:
            j += 1
        k = j
        while k < len(cut) and cut[k][0] <= hi:
            if cut[k][0] > lo:
                out.append((lo, cut[k][0]))
            lo = max(lo, cut[k][1])
            k += 1
        if lo < hi or (lo == hi and k == j):
            out.append((lo, hi))
    return out


def stretches(rows, around: int | None, span) -> list[tuple]:
    """(gate, from, to) where the others' passages are read: per gate, the sources' passages
    ± span merged, less those of `around` (rows: (gate, at, person)); SQLite's way, as
    PostgreSQL's statement does with multiranges."""
    sources: dict[int, list] = defaultdict(list)
    origin: dict[int, list] = defaultdict(list)
    for gate, at, person in rows:
        (origin if person == around else sources)[gate].append(at)
    out = []
    for gate, times in sources.items():
        cut = _merged(sorted(origin.get(gate, ())), span)
        out += [(gate, lo, hi) for lo, hi in _less(_merged(sorted(times), span), cut)]
    return out


def _plain_passages(ids, start, end):
    """(gate, at, person) of those people's plain passages (no slot, no trip) in the window."""
    return Passage.objects.filter(
        person_id__in=ids, at__gte=start, at__lt=end, slot__isnull=True, trip__isnull=True
    ).values_list("gate_id", "at", "person_id")


def _reach_pg(ids, start, end, skip, around) -> list[tuple]:
    """The canteens' and buses' statement begun first (it needs no interval), then the
    gates' beside it (`core.parallel`)."""
    t = connection.ops.quote_name(Passage._meta.db_table)
    tz = timezone.get_default_timezone()
    params = {
        "ids": list(ids),
        "start": start,
        "end": end,
        "around": around,
        "skip": sorted(skip),
        "tz": str(tz),
        "slot_lo": start - SLOT_SPAN,
        "slot_hi": end + SLOT_SPAN,
        # Days as bits, by the source's passage: bit 0 is the window's first local day.
        "day0": start.astimezone(tz).date(),
    }
    slots_and_buses = parallel.begun(lambda: fetch(_SLOTS_AND_BUSES_PG.format(t=t), params))
    span = dt.timedelta(minutes=minutes_of(ids))
    params |= {"span": span, "o_lo": start - span, "o_hi": end + span}
    return fetch(_GATES_PG.format(t=t), params) + slots_and_buses()


def _reach_portable(ids, start, end, skip, minutes, around) -> list[tuple]:
    """The same answer for SQLite (small databases): the gate sweep in Python over the
    passages in the same stretches, the slot and bus pairs folded from `encounters`."""
    span = dt.timedelta(minutes=minutes)
    rows = list(_plain_passages([*ids, *([around] if around else [])], start, end))
    sources: dict[int, list[tuple]] = defaultdict(list)
    for gate, at, person in rows:
        if person != around or person in ids:
            sources[gate].append((at, person))
    for times in sources.values():
        times.sort()
    found: dict[tuple[int, int], list] = {}
    for gate, lo, hi in stretches(rows, around, span):
        others = (
            Passage.objects.filter(
                gate_id=gate,
                at__gte=lo,
                at__lte=hi,
                slot__isnull=True,
                trip__isnull=True,
                person__isnull=False,
            )
            .exclude(person_id__in=skip)
            .values_list("at", "person_id")
        )
        times = sources[gate]
        for at, other in others:
            i = bisect.bisect_right(times, (at, float("inf")))
            for source in (times[i - 1] if i else None, times[i] if i < len(times) else None):
                if source is None or abs(at - source[0]) > span:
                    continue
                seen = found.setdefault((source[1], other), [set(), at])
                seen[0].add((gate, timezone.localtime(source[0]).date()))
                seen[1] = min(seen[1], at)
    rows = [(via, o, "gate", len(days), at) for (via, o), (days, at) in found.items()]
    grouped: dict[tuple[int, int, str], list] = {}
    for person, other, kind, _place, days, _first, other_first, _n in encounters(ids, start, end):
        if kind == "gate" or other in skip:
            continue
        other_first = aware(other_first)
        seen = grouped.setdefault((person, other, kind), [0, other_first])
        seen[0] += days
        seen[1] = min(seen[1], other_first)
    return rows + [(p, o, k, n, at) for (p, o, k), (n, at) in grouped.items()]


@contacts.summary(passages)
def passages_reached(person_ids: list[int], start, end, skip: frozenset[int], around=None):
    if connection.vendor != "postgresql":
        rows = _reach_portable(person_ids, start, end, skip, minutes_of(person_ids), around)
        return contacts.lines_of(contacts.Reach(*row) for row in rows)
    tz, Line = timezone.get_default_timezone(), contacts.Line  # noqa: N806
    from_epoch = dt.datetime.fromtimestamp
    return [
        Line(other, kind, sources, counts, from_epoch(first, tz))
        for other, kind, sources, counts, first in _reach_pg(person_ids, start, end, skip, around)
    ]
