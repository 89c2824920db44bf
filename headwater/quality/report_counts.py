"""The counting behind the compliance report (quality/reports.py) and the small figures of the
dashboard and the briefing: grouped queries over a result queryset, never a Python loop over
its results (see the Performance part of reports.py's docstring)."""

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Count, DateField, Min, Q
from django.db.models.functions import TruncMonth

from headwater.quality.choices import Outcome, PointKind
from headwater.quality.report_figures import CLASSES, Tally

RAW = PointKind.RAW


# --- Aggregations --------------------------------------------------------------------------


def _counts() -> dict:
    return {
        "passed": Count("pk", filter=Q(outcome=Outcome.PASS)),
        "failed": Count("pk", filter=Q(outcome=Outcome.FAIL)),
        "inconclusive": Count("pk", filter=Q(outcome=Outcome.INCONCLUSIVE)),
        "guidance": Count("pk", filter=Q(outcome=Outcome.GUIDANCE)),
    }


def _tally(row: Mapping) -> Tally:
    return Tally(row["passed"], row["failed"], row["inconclusive"], row["guidance"])


# A sample's results that are neither a pass nor a fail, and leave a sample without a
# verdict when it has nothing else.
_UNSURE = [Outcome.INCONCLUSIVE, Outcome.GUIDANCE]


def tally_of(results) -> Tally:
    """Per-test counts of a result queryset (raw water left out)."""
    return _tally(results.exclude(point_kind=RAW).aggregate(**_counts()))


def sample_groups(results, *, by: tuple[str, ...] = ()) -> dict[tuple, Tally]:
    """Per-sample counts of a result queryset (raw water left out), grouped by `by` (result
    fields that are the same for every result of a sample, or "month").

    The inner query groups the results by sample and counts its failing and evaluated ones;
    the outer one counts the samples of each group. Django cannot group over an aggregate,
    so the outer query is written out — over the ORM's own SQL for the inner one."""
    inner = results.exclude(point_kind=RAW).order_by()
    if "month" in by:
        inner = inner.annotate(month=TruncMonth("sampled_on"))
    inner = inner.values("sample_id", *by).annotate(
        fails=Count("pk", filter=Q(outcome=Outcome.FAIL)),
        evaluated=Count("pk", filter=Q(outcome__in=[Outcome.PASS, Outcome.FAIL])),
        unsure=Count("pk", filter=Q(outcome__in=_UNSURE)),
    )
    try:
        sql, params = inner.query.sql_with_params()
    except EmptyResultSet:  # a scope that reaches nothing (qs.none())
        return {}
    # values("unit_id") selects the column unit_id: the derived table keeps that name.
    cols = ", ".join(f"s.{connection.ops.quote_name(b)}" for b in by)
    select = f"{cols}, " if cols else ""
    group = f" GROUP BY {cols}" if cols else ""
    outer = (
        f"SELECT {select}"
        " SUM(CASE WHEN s.fails = 0 AND s.evaluated > 0 THEN 1 ELSE 0 END),"
        " SUM(CASE WHEN s.fails > 0 THEN 1 ELSE 0 END),"
        " SUM(CASE WHEN s.evaluated = 0 AND s.unsure > 0 THEN 1 ELSE 0 END)"
        f" FROM ({sql}) s{group}"
    )
    with connection.cursor() as cursor:
        cursor.execute(outer, params)
        rows = cursor.fetchall()
    n = len(by)
    return {
        tuple(_key(b, v) for b, v in zip(by, row[:n], strict=True)): Tally(
            *(int(c or 0) for c in row[n:])
        )
        for row in rows
        if any(row[n:])
    }


def _key(name: str, value) -> str:
    """Group keys as text: ids, kinds, codes and months ("2025-03") — SQLite gives a month
    as text ("2025-03-01"), PostgreSQL as a date."""
    if name != "month":
        return str(value)
    if isinstance(value, dt.date | dt.datetime):
        return f"{value:%Y-%m}"
    return str(value)[:7]


def rollup(groups: Mapping[tuple, Tally], index: int) -> dict[str, Tally]:
    out: dict[str, Tally] = defaultdict(Tally)
    for key, tally in groups.items():
        out[key[index]].add(tally)
    return out


@dataclass
class _Groups:
    """The period's results counted once: per-test tallies by (unit, kind, indicator) without
    raw water, raw water's class counts by (unit, indicator), and the failing results of every
    kind (the exceedances, raw water's included)."""

    tests: dict[tuple[str, str, str], Tally]
    raw: dict[tuple[str, str], list[int]]
    failed: int
    unit_ids: set[str]
    guidance: int = 0


def result_groups(results) -> _Groups:
    """One GROUP BY (unit, kind, indicator, source_class) over all the period's results: a few
    hundred groups. Plain columns only: PostgreSQL estimates their groups well enough to hash
    them (a month or a CASE in the key makes it sort every result on disk instead)."""
    rows = (
        results.order_by()
        .values("unit_id", "point_kind", "indicator", "source_class")
        .annotate(**_counts(), n=Count("pk"))
    )
    tests: dict[tuple[str, str, str], Tally] = defaultdict(Tally)
    raw: dict[tuple[str, str], list[int]] = {}
    failed, guidance, unit_ids = 0, 0, set()
    for r in rows:
        unit = str(r["unit_id"])
        unit_ids.add(unit)
        failed += r["failed"]
        guidance += r["guidance"]
        if r["point_kind"] != RAW:
            tests[unit, r["point_kind"], r["indicator"]].add(_tally(r))
        elif r["source_class"] is not None:
            counts = raw.setdefault((unit, r["indicator"]), [0] * len(CLASSES))
            counts[min(max(r["source_class"], 1), 6) - 1] += r["n"]
    return _Groups(dict(tests), raw, failed, unit_ids, guidance)


def sample_months(results) -> tuple[dict[tuple, Tally], dict[str, Tally]]:
    """Per-sample tallies by (unit, kind, month), and per-test tallies by month, from one
    query (raw water left out). Months with results but nothing evaluated are kept, with
    empty tallies; (unit, kind, month) groups without a counted sample are not.

    The inner query groups the results by sample alone — a sample's results share its unit,
    kind and date, copied from it, so those are taken with MIN() rather than grouped on, which
    lets PostgreSQL aggregate in sample order instead of sorting every result (and truncate
    one date per sample to its month, not one per result). The outer query counts the samples
    and sums the tests of each unit, kind and month."""
    inner = (
        results.exclude(point_kind=RAW)
        .order_by()
        .values("sample_id")
        .annotate(
            s_unit=Min("unit_id"),
            s_kind=Min("point_kind"),
            s_month=TruncMonth(Min("sampled_on"), output_field=DateField()),
            passes=Count("pk", filter=Q(outcome=Outcome.PASS)),
            fails=Count("pk", filter=Q(outcome=Outcome.FAIL)),
            unsure=Count("pk", filter=Q(outcome=Outcome.INCONCLUSIVE)),
            guides=Count("pk", filter=Q(outcome=Outcome.GUIDANCE)),
        )
    )
    try:
        sql, params = inner.query.sql_with_params()
    except EmptyResultSet:  # a scope that reaches nothing (qs.none())
        return {}, {}
    q = connection.ops.quote_name
    keys = ", ".join(f"s.{q(c)}" for c in ("s_unit", "s_kind", "s_month"))
    outer = (
        f"SELECT {keys},"
        " SUM(CASE WHEN s.fails = 0 AND s.passes > 0 THEN 1 ELSE 0 END),"
        " SUM(CASE WHEN s.fails > 0 THEN 1 ELSE 0 END),"
        " SUM(CASE WHEN s.passes = 0 AND s.fails = 0 AND s.unsure + s.guides > 0"
        " THEN 1 ELSE 0 END),"
        " SUM(s.passes), SUM(s.fails), SUM(s.unsure), SUM(s.guides)"
        f" FROM ({sql}) s GROUP BY {keys}"
    )
    with connection.cursor() as cursor:
        cursor.execute(outer, params)
        rows = cursor.fetchall()
    samples: dict[tuple, Tally] = defaultdict(Tally)
    months: dict[str, Tally] = defaultdict(Tally)
    for unit, kind, month_start, *counts in rows:
        month = _key("month", month_start)
        samples[str(unit), kind, month].add(Tally(*(int(c or 0) for c in counts[:3])))
        months[month].add(Tally(*(int(c or 0) for c in counts[3:])))
    counted = {k: t for k, t in samples.items() if t.passed or t.failed or t.inconclusive}
    return counted, dict(months)


# --- Small figures for the dashboard and the briefing ---------------------------------------


def rates(results) -> tuple[Tally, Tally]:
    """(per-test, per-sample) counts of a result queryset: two queries."""
    samples = sample_groups(results).get((), Tally())
    return tally_of(results), samples


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def daily_tallies(results, start: dt.date, end: dt.date) -> dict[dt.date, tuple[Tally, Tally]]:
    """Each day from `start` to `end`: its (per-test, per-sample) counts, from two grouped
    queries whatever the number of days (a sample belongs to the day it was taken, so the
    days' sample counts add up to the period's)."""
    period = results.filter(sampled_on__gte=start, sampled_on__lte=end)
    tests = {
        row["sampled_on"]: _tally(row)
        for row in period.exclude(point_kind=RAW)
        .order_by()
        .values("sampled_on")
        .annotate(**_counts())
    }
    samples = sample_groups(period, by=("sampled_on",))
    days = [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]
    return {d: (tests.get(d, Tally()), samples.get((d.isoformat(),), Tally())) for d in days}
