"""The figures of a compliance report (quality/reports.py): the period it covers, the counts
(`Tally`) and the rows, tables and CJ/T 206 composite rate it is made of, and the report
itself as the page, the exports and the API receive it."""

import calendar
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction

from django.utils.translation import gettext as _

from headwater.core.errors import DomainError
from headwater.core.models import Unit
from headwater.quality.choices import PointKind
from headwater.quality.models import Relaxation

TARGET = 95  # per cent: CJ/T 206 asks each indicator's pass rate to reach 95%
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
