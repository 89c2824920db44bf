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

import calendar
import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Count, DateField, Min, Q
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext as _

from headwater.core.errors import DomainError
from headwater.core.models import Unit
from headwater.quality import catalog
from headwater.quality.choices import Outcome, PointKind, RelaxationStatus
from headwater.quality.models import Relaxation, Result, SamplingPoint
from headwater.quality.permissions import VIEW, VIEW_REPORTS

TARGET = 95  # per cent: CJ/T 206 asks each indicator's pass rate to reach 95%
EXCEEDANCES_LISTED = 500  # the page and the exports list this many; the total is counted
RAW = PointKind.RAW
CLASSES = (1, 2, 3, 4, 5, 6)

# CJ/T 206-2005 (城市供水水质标准), 综合合格率 of network water:
#     综合合格率 = (Σ single-indicator rates of the 7 network items
#                   + the rate of all other indicators taken together) / (7 + 1)
# where a single-indicator rate is its passing tests ÷ its tests. The 7 items are 浑浊度,
# 色度, 臭和味, 余氯, 细菌总数 (菌落总数), 总大肠菌群 and COD_Mn (高锰酸盐指数); the eighth term
# is the combined rate of the other (extended) indicators tested on network water.
# The standard's text could not be confirmed with the reference search available when this
# was written (searches for "CJ/T 206 综合合格率 计算" returned nothing relevant); the formula
# is the one the issue gives, which matches how utilities publish the figure. An item not
# tested in the period is left out and the divisor shrinks with it (7 + 1 when all are there).
# Each item lists the catalog codes that may stand for it: 余氯 is whichever disinfectant
# residual the utility measures.
NETWORK_ITEMS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("turbidity", ("turbidity",)),
    ("colour", ("colour",)),
    ("odour", ("odour",)),
    ("disinfectant", ("free_chlorine", "total_chlorine", "chlorine_dioxide", "ozone")),
    ("colony_count", ("plate_count",)),
    ("total_coliforms", ("total_coliforms",)),
    ("permanganate", ("permanganate_index",)),
)
NETWORK_ITEM_LABELS = {
    "turbidity": "浑浊度",
    "colour": "色度",
    "odour": "臭和味",
    "disinfectant": "余氯",
    "colony_count": "菌落总数",
    "total_coliforms": "总大肠菌群",
    "permanganate": "高锰酸盐指数",
}
NETWORK_KINDS = tuple(k for k in PointKind.values if PointKind.is_network_end(k))


# --- Periods -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """The days a report covers, both included; `kind` is month, year or range."""

    date_from: dt.date
    date_to: dt.date
    kind: str = "range"

    @classmethod
    def month(cls, year: int, month: int) -> "Period":
        last = calendar.monthrange(year, month)[1]
        return cls(dt.date(year, month, 1), dt.date(year, month, last), "month")

    @classmethod
    def year(cls, year: int) -> "Period":
        return cls(dt.date(year, 1, 1), dt.date(year, 12, 31), "year")

    @property
    def label(self) -> str:
        if self.kind == "month":
            return f"{self.date_from:%Y-%m}"
        if self.kind == "year":
            return f"{self.date_from:%Y}"
        return f"{self.date_from:%Y-%m-%d} – {self.date_to:%Y-%m-%d}"

    @property
    def slug(self) -> str:
        if self.kind in ("month", "year"):
            return self.label
        return f"{self.date_from:%Y%m%d}-{self.date_to:%Y%m%d}"

    def params(self) -> dict[str, str]:
        """The query parameters that select this period again (export links)."""
        if self.kind == "month":
            return {"month": self.label}
        if self.kind == "year":
            return {"year": self.label}
        return {"from": self.date_from.isoformat(), "to": self.date_to.isoformat()}


MAX_RANGE_DAYS = 3 * 366


def parse_period(params: Mapping[str, str], today: dt.date) -> Period:
    """`?month=YYYY-MM`, `?year=YYYY` or `?from=…&to=…` (ISO dates); this month by default.
    Raises DomainError on a malformed or reversed period."""
    try:
        if params.get("from") or params.get("to"):
            start = dt.date.fromisoformat(params.get("from") or params["to"])
            end = dt.date.fromisoformat(params.get("to") or params["from"])
            if end < start:
                raise DomainError(_("The period ends before it starts."), fields={"to": ""})
            if (end - start).days > MAX_RANGE_DAYS:
                raise DomainError(_("Choose a period of at most three years."))
            return Period(start, end)
        if params.get("year"):
            return Period.year(int(params["year"]))
        if params.get("month"):
            year, month = params["month"].split("-")
            return Period.month(int(year), int(month))
    except (ValueError, KeyError) as e:
        raise DomainError(_("Enter the period as a month, a year or two dates.")) from e
    return Period.month(today.year, today.month)


# --- Counting ------------------------------------------------------------------------------


@dataclass
class Tally:
    """Passing, failing and inconclusive tests (or samples), and tests over a guidance value
    (nuclide analysis needed); the rate leaves out the inconclusive and guidance ones."""

    passed: int = 0
    failed: int = 0
    inconclusive: int = 0
    guidance: int = 0

    @property
    def total(self) -> int:
        return self.passed + self.failed

    @property
    def rate(self) -> float | None:
        """Per cent, two decimals; None when nothing was evaluated."""
        return round(100 * self.passed / self.total, 2) if self.total else None

    @property
    def below_target(self) -> bool:
        # Compared in integers so that 94.999…% is never rounded up to compliance.
        return bool(self.total) and 100 * self.passed < TARGET * self.total

    def add(self, other: "Tally") -> None:
        self.passed += other.passed
        self.failed += other.failed
        self.inconclusive += other.inconclusive
        self.guidance += other.guidance

    def as_dict(self) -> dict:
        return {
            "passed": self.passed,
            "failed": self.failed,
            "inconclusive": self.inconclusive,
            "guidance": self.guidance,
            "total": self.total,
            "rate": self.rate,
            "below_target": self.below_target,
        }


@dataclass
class Row:
    """One line of a table: a plant, a kind of point, an indicator or a month."""

    key: str
    label: str
    tests: Tally = field(default_factory=Tally)
    samples: Tally | None = None


@dataclass
class CompositeItem:
    key: str
    label: str
    codes: tuple[str, ...]
    tests: Tally


@dataclass
class Composite:
    """CJ/T 206-2005 综合合格率 of network water (see NETWORK_ITEMS)."""

    items: list[CompositeItem]
    others: Tally

    @property
    def terms(self) -> list[float]:
        rates = [i.tests.rate for i in self.items]
        return [r for r in [*rates, self.others.rate] if r is not None]

    @property
    def exact(self) -> Fraction | None:
        """The rate as an exact fraction of 100, from the exact term rates (not the rounded
        ones the report shows)."""
        tallies = [i.tests for i in self.items] + [self.others]
        terms = [Fraction(100 * t.passed, t.total) for t in tallies if t.total]
        return sum(terms, Fraction(0)) / len(terms) if terms else None

    @property
    def rate(self) -> float | None:
        exact = self.exact
        return round(float(exact), 2) if exact is not None else None

    @property
    def below_target(self) -> bool:
        # The exact rate: a true 94.996% shows as 95.00 but is below the target.
        exact = self.exact
        return exact is not None and exact < TARGET


@dataclass
class ClassRow:
    """Raw water of one plant, one indicator: how many results fell in each GB 3838 class."""

    unit: str
    indicator: str
    label: str
    counts: list[int]  # class I..V, then worse than V

    @property
    def total(self) -> int:
        return sum(self.counts)


@dataclass
class Exceedance:
    result_id: int
    sample_id: int
    point_id: int
    point: str
    unit: str
    kind: str
    sampled_at: dt.datetime
    indicator: str
    label: str
    raw: str
    limit_text: str
    relaxed: bool


@dataclass
class RelaxationInForce:
    relaxation: Relaxation
    label: str
    results: int  # results of the period evaluated against it


@dataclass
class ComplianceReport:
    """Everything the page, the exports and the API show for one period and scope."""

    organization: object
    period: Period
    unit: Unit | None
    tests: Tally
    samples: Tally
    by_plant: list[Row]
    by_kind: list[Row]
    by_indicator: list[Row]
    by_month: list[Row]
    composite: Composite
    raw_classes: list[ClassRow]
    raw_class_totals: list[int]
    exceedances: list[Exceedance]
    exceedance_total: int
    relaxations: list[RelaxationInForce]
    # Over a guidance value (指导值): a nuclide analysis is needed; not exceedances.
    guidance: list[Exceedance] = field(default_factory=list)
    guidance_total: int = 0
    target: int = TARGET

    @property
    def flagged(self) -> list[Row]:
        """Every row below the target, for the summary."""
        rows = [*self.by_plant, *self.by_kind, *self.by_indicator]
        return [r for r in rows if r.tests.below_target or (r.samples and r.samples.below_target)]


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


def _rollup(groups: Mapping[tuple, Tally], index: int) -> dict[str, Tally]:
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


def _result_groups(results) -> _Groups:
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


def _sample_months(results) -> tuple[dict[tuple, Tally], dict[str, Tally]]:
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
    groups = _result_groups(results)
    tests = groups.tests
    samples, months_tests = _sample_months(results)
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
    return _rollup({k: t for k, t in groups.items() if keep(k)}, index)


def _plant_rows(tests, samples, units) -> list[Row]:
    by_test, by_sample = _rollup(tests, 0), _rollup(samples, 0)
    rows = [
        Row(key, units[key].name, by_test.get(key, Tally()), by_sample.get(key, Tally()))
        for key in by_test.keys() | by_sample.keys()
        if key in units
    ]
    return sorted(rows, key=lambda r: units[r.key].path)


def _kind_rows(tests, samples) -> list[Row]:
    by_test, by_sample = _rollup(tests, 1), _rollup(samples, 1)
    order = list(PointKind.values)
    return [
        Row(kind, str(PointKind(kind).label), by_test.get(kind, Tally()), by_sample.get(kind))
        for kind in sorted(by_test.keys() | by_sample.keys(), key=order.index)
    ]


def _indicator_rows(tests) -> list[Row]:
    by_test = _rollup(tests, 2)
    rows = [Row(code, indicator_name(code), tally) for code, tally in by_test.items()]
    return sorted(rows, key=lambda r: catalog_order(r.key))


def catalog_order(code: str) -> tuple[int, str]:
    order = list(catalog.indicators())
    return (order.index(code), code) if code in order else (len(order), code)


def _month_rows(months_tests: Mapping[str, Tally], samples) -> list[Row]:
    by_sample = _rollup(samples, 2)
    keys = sorted(months_tests.keys() | by_sample.keys())
    return [Row(m, m, months_tests.get(m, Tally()), by_sample.get(m, Tally())) for m in keys]


def composite(tests_by_indicator: Mapping[str, Tally]) -> Composite:
    """CJ/T 206-2005 综合合格率 from the network-water tests of each indicator."""
    items, claimed = [], set()
    for key, codes in NETWORK_ITEMS:
        tally = Tally()
        for code in codes:
            if code in tests_by_indicator:
                tally.add(tests_by_indicator[code])
                claimed.add(code)
        items.append(CompositeItem(key, NETWORK_ITEM_LABELS[key], codes, tally))
    others = Tally()
    for code, tally in tests_by_indicator.items():
        if code not in claimed:
            others.add(tally)
    return Composite(items, others)


def _raw_classes(table: Mapping[tuple[str, str], list[int]], units) -> list[ClassRow]:
    """Raw water's class counts by (unit, indicator) (see _result_groups) as rows."""
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


# --- Trends --------------------------------------------------------------------------------
