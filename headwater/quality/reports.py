"""Compliance reports (合格率) of the water-quality app: the figures behind the report page, its
Excel and PDF exports, the API, the dashboard tiles and the daily briefing.

What counts
- Only approved results (three-level review done: `Result.objects.official()`).
- Per indicator-test: every result whose outcome is pass or fail is one test; "inconclusive"
  results (a "<0.05" against a limit of 0.01 …) are counted beside the rate and kept out of
  its denominator, because neither passing nor failing them would be true. So are results
  over a guidance value ("guidance": gross α / β radioactivity above GB 5749's 指导值), which
  call for a nuclide analysis rather than fail; they are listed apart. Results without a
  limit ("none") or classified rather than judged ("classified") are not counted at all.
- Per sample: a sample passes when every one of its evaluated (pass/fail) results passes and
  fails when any fails; a sample with no evaluated result (only none / classified /
  inconclusive / guidance) is not counted — one with only inconclusive or guidance ones is
  shown as inconclusive.
- Raw water (kind "raw") is classified by GB 3838, not judged: it is left out of every pass
  rate and reported as a class distribution (class 1..5, 6 = worse than class V) instead.
- CJ/T 206 asks for a 95% pass rate: a rate below TARGET is flagged.
- CJ/T 206-2005's 综合合格率 of network water: see `Composite`.

Scope (who sees which figures)
- A user holding quality.view sees the results of the units their grants reach
  (`Result.objects.visible_to(user)`) — a plant's lab head sees their plant's figures.
- A user holding quality.view_reports without quality.view (the regulator) sees the
  organization-wide official figures: regulators oversee the whole supply, and official
  results are what the utility reports to them anyway.
- `user=None` (the daily briefing, benchmarks) means the whole organization.

Performance: the whole report reads the period's results twice, whatever their number — a
year of 3 plants is ~50,000 results, a stress test a million. One GROUP BY (unit, kind,
indicator, GB 3838 class) gives every per-test table, the raw-water classes and the number of
exceedances (a few hundred groups, rolled up in Python); one per-sample query gives the
per-sample rates and the tests by month. A table per query, or a month in the per-test
grouping, would re-scan the results or sort them all: PostgreSQL's estimate of the groups of
(unit, kind, indicator, month) is far too high, so it sorts on disk instead of hashing.
No Python loop ever walks the results.
"""

import datetime as dt
from collections.abc import Mapping

from django.db.models import Count

from headwater.core.models import Unit
from headwater.quality import catalog
from headwater.quality.choices import Outcome, PointKind, RelaxationStatus
from headwater.quality.models import Relaxation, Result, SamplingPoint
from headwater.quality.permissions import VIEW, VIEW_REPORTS
from headwater.quality.report_counts import (
    RAW,
    daily_tallies,
    month_start,
    rates,
    result_groups,
    rollup,
    sample_groups,
    sample_months,
    tally_of,
)
from headwater.quality.report_figures import (
    CLASSES,
    NETWORK_KINDS,
    TARGET,
    ClassRow,
    ComplianceReport,
    Exceedance,
    Period,
    RelaxationInForce,
    Row,
    Tally,
    composite,
    parse_period,
)

__all__ = [
    "CLASSES",
    "RAW",
    "TARGET",
    "ClassRow",
    "ComplianceReport",
    "Exceedance",
    "Period",
    "RelaxationInForce",
    "Row",
    "Tally",
    "catalog_order",
    "compliance_report",
    "composite",
    "daily_tallies",
    "indicator_name",
    "month_start",
    "official_results",
    "parse_period",
    "rates",
    "relaxations_in_force",
    "report_points",
    "report_units",
    "sample_groups",
    "tally_of",
]

EXCEEDANCES_LISTED = 500  # the page and the exports list this many; the total is counted


# --- Scope ---------------------------------------------------------------------------------


def official_results(organization, user=None):
    """The approved results the report may count for `user` (see the module docstring)."""
    qs = Result.objects.of(organization).official()
    if user is None:
        return qs
    if user.organization_id != organization.pk and not user.is_superuser:
        return qs.none()
    if user.has_perm(VIEW):
        return qs.visible_to(user)
    if user.has_perm(VIEW_REPORTS):
        return qs
    return qs.none()


def report_points(organization, user=None):
    """The sampling points whose figures `user` may see (the trend page's choices)."""
    qs = SamplingPoint.objects.of(organization)
    if user is None:
        return qs
    if user.organization_id != organization.pk and not user.is_superuser:
        return qs.none()
    if user.has_perm(VIEW):
        return qs.visible_to(user)
    return qs if user.has_perm(VIEW_REPORTS) else qs.none()


def report_units(organization, user=None) -> list[Unit]:
    """The units owning points the user may see: the plant filter's choices."""
    ids = report_points(organization, user).values("unit_id")
    return list(Unit.objects.filter(pk__in=ids).order_by("path"))


def indicator_name(code: str) -> str:
    """The catalog's Chinese name, or the code itself when the catalog does not know it."""
    try:
        return catalog.indicator(code).name_zh
    except (KeyError, LookupError):
        return code


# --- The report ----------------------------------------------------------------------------


def compliance_report(
    organization,
    *,
    date_from: dt.date,
    date_to: dt.date,
    user=None,
    unit: Unit | None = None,
    period: Period | None = None,
) -> ComplianceReport:
    """The compliance report of `organization` from `date_from` to `date_to` (both included)
    as `user` may see it (None: the whole organization), optionally of one unit's subtree."""
    period = period or Period(date_from, date_to)
    results = official_results(organization, user).filter(
        sampled_on__gte=date_from, sampled_on__lte=date_to
    )
    if unit is not None:
        results = results.filter(unit__path__startswith=unit.path)

    # Per test: (unit, kind, indicator) is the finest grouping every table rolls up from;
    # per sample: (unit, kind, month). Two reads of the results in all (module docstring).
    groups = result_groups(results)
    tests = groups.tests
    samples, months_tests = sample_months(results)
    unit_ids = groups.unit_ids | {k[0] for k in samples}
    units = {str(u.pk): u for u in Unit.objects.filter(pk__in=unit_ids)}

    total_tests, total_samples = Tally(), Tally()
    for t in tests.values():
        total_tests.add(t)
    for s in samples.values():
        total_samples.add(s)
    network_tests = _rollup_pairs(tests, lambda k: k[1] in NETWORK_KINDS, 2)
    return ComplianceReport(
        organization=organization,
        period=period,
        unit=unit,
        tests=total_tests,
        samples=total_samples,
        by_plant=_plant_rows(tests, samples, units),
        by_kind=_kind_rows(tests, samples),
        by_indicator=_indicator_rows(tests),
        by_month=_month_rows(months_tests, samples),
        composite=composite(network_tests),
        raw_classes=(raw := _raw_classes(groups.raw, units)),
        raw_class_totals=[sum(r.counts[i] for r in raw) for i in range(len(CLASSES))],
        exceedances=_exceedances(results),
        exceedance_total=groups.failed,
        relaxations=relaxations_in_force(organization, date_from, date_to, results),
        guidance=_exceedances(results, Outcome.GUIDANCE) if groups.guidance else [],
        guidance_total=groups.guidance,
    )


def _rollup_pairs(groups: Mapping[tuple, Tally], keep, index: int) -> dict[str, Tally]:
    return rollup({k: t for k, t in groups.items() if keep(k)}, index)


def _plant_rows(tests, samples, units) -> list[Row]:
    by_test, by_sample = rollup(tests, 0), rollup(samples, 0)
    rows = [
        Row(key, units[key].name, by_test.get(key, Tally()), by_sample.get(key, Tally()))
        for key in by_test.keys() | by_sample.keys()
        if key in units
    ]
    return sorted(rows, key=lambda r: units[r.key].path)


def _kind_rows(tests, samples) -> list[Row]:
    by_test, by_sample = rollup(tests, 1), rollup(samples, 1)
    order = list(PointKind.values)
    return [
        Row(kind, str(PointKind(kind).label), by_test.get(kind, Tally()), by_sample.get(kind))
        for kind in sorted(by_test.keys() | by_sample.keys(), key=order.index)
    ]


def _indicator_rows(tests) -> list[Row]:
    by_test = rollup(tests, 2)
    rows = [Row(code, indicator_name(code), tally) for code, tally in by_test.items()]
    return sorted(rows, key=lambda r: catalog_order(r.key))


def catalog_order(code: str) -> tuple[int, str]:
    order = list(catalog.indicators())
    return (order.index(code), code) if code in order else (len(order), code)


def _month_rows(months_tests: Mapping[str, Tally], samples) -> list[Row]:
    by_sample = rollup(samples, 2)
    keys = sorted(months_tests.keys() | by_sample.keys())
    return [Row(m, m, months_tests.get(m, Tally()), by_sample.get(m, Tally())) for m in keys]


def _raw_classes(table: Mapping[tuple[str, str], list[int]], units) -> list[ClassRow]:
    """Raw water's class counts by (unit, indicator) (see result_groups) as rows."""
    names = {k: u.name for k, u in units.items()}
    out = [
        ClassRow(names.get(u, u), code, indicator_name(code), counts)
        for (u, code), counts in table.items()
    ]
    return sorted(out, key=lambda r: (r.unit, catalog_order(r.indicator)))


def _exceedances(results, outcome: str = Outcome.FAIL) -> list[Exceedance]:
    """The first results of the period with an outcome: the exceedances (fail), or the
    results over a guidance value."""
    rows = (
        results.filter(outcome=outcome)
        .select_related("point", "unit")
        .order_by("sampled_at", "point__code", "indicator")[:EXCEEDANCES_LISTED]
    )
    return [
        Exceedance(
            result_id=r.pk,
            sample_id=r.sample_id,
            point_id=r.point_id,
            point=str(r.point),
            unit=r.unit.name,
            kind=r.point_kind,
            sampled_at=r.sampled_at,
            indicator=r.indicator,
            label=indicator_name(r.indicator),
            raw=r.raw,
            limit_text=r.limit_text,
            relaxed=r.relaxation_id is not None,
        )
        for r in rows
    ]


def relaxations_in_force(
    organization, date_from: dt.date, date_to: dt.date, results=None
) -> list[RelaxationInForce]:
    """Approved relaxations in force on any day of the period, each with the number of
    `results` evaluated against it."""
    relaxations = (
        Relaxation.objects.of(organization)
        .filter(
            status=RelaxationStatus.APPROVED,
            valid_from__lte=date_to,
            valid_until__gte=date_from,
        )
        .order_by("valid_from", "indicator")
    )
    used: dict[int, int] = {}
    if results is not None:
        used = dict(
            results.filter(relaxation__isnull=False)
            .order_by()
            .values_list("relaxation_id")
            .annotate(n=Count("pk"))
        )
    return [
        RelaxationInForce(r, indicator_name(r.indicator), used.get(r.pk, 0)) for r in relaxations
    ]
