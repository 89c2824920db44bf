"""Reads about the relatives' health lines (家属): the grid screening of a unit's day
(网格化筛查) and the code fact the office's rules may read.

The grid screening lists every active relative of the active staff of a unit and below, each
with the status of their line of the day: normal, abnormal, or not reported."""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import (
    Case,
    Count,
    F,
    FilteredRelation,
    IntegerField,
    Max,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils.translation import gettext_lazy as _

from headwater.core import codes
from headwater.core.choices import EmploymentStatus
from headwater.core.models import HouseholdMember, Unit
from headwater.core.querysets import reaches
from headwater.core.roles import VIEW_PERSON
from headwater.health.choices import ScreeningStatus
from headwater.health.models import HouseholdCheckIn

# A relative abnormal this many days back (or fewer) makes `household_abnormal` true: the
# usual 14-day observation period. Rules wanting another span read the number of days.
HOUSEHOLD_DAYS = 14


@codes.facts_provider(
    codes.Fact(
        "household_abnormal",
        _("A household member abnormal in the last 14 days"),
        "bool",
    ),
    codes.Fact(
        "days_since_household_abnormal",
        _("Days since a household member was abnormal"),
        "int",
    ),
)
def household_facts(person_ids: list[int], day: dt.date) -> dict[int, dict]:
    """For each person with a relative's abnormal line in the last 14 days: the fact and the
    days since the latest (0: today). One grouped query for any number of people."""
    rows = (
        HouseholdCheckIn.objects.filter(
            person_id__in=person_ids,
            is_abnormal=True,
            date__gte=day - dt.timedelta(days=HOUSEHOLD_DAYS),
            date__lte=day,
        )
        .order_by()
        .values("person_id")
        .annotate(last=Max("date"))
    )
    return {
        r["person_id"]: {
            "household_abnormal": True,
            "days_since_household_abnormal": (day - r["last"]).days,
        }
        for r in rows
    }


STATUS_RANK = {
    ScreeningStatus.ABNORMAL: 0,
    ScreeningStatus.NOT_REPORTED: 1,
    ScreeningStatus.NORMAL: 2,
}
STATUS_FILTER = {
    ScreeningStatus.ABNORMAL: {"line__is_abnormal": True},
    ScreeningStatus.NORMAL: {"line__is_abnormal": False},
    ScreeningStatus.NOT_REPORTED: {"line__id__isnull": True},
}
LINE_FIELDS = ("temperature", "symptoms", "travel", "note", "is_abnormal")


@dataclass
class UnitCounts:
    """One unit's relatives of the day by status (its own staff's, not its subtree's)."""

    unit_id: int
    name: str
    depth: int
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass
class Screening:
    """A unit's grid screening of a day: `counts` by status over all its relatives, `units`
    the same per unit of the subtree that has relatives (in tree order), and `rows`, a lazy
    queryset of the relatives (of `status` when given) in the list's order, each with
    `status` and the day's line (`line_temperature`, `line_symptoms` …; None when not
    reported) annotated: slice it for a page."""

    unit: Unit
    day: dt.date
    rows: QuerySet
    counts: dict[str, int] = field(default_factory=dict)
    units: list[UnitCounts] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def organization_wide(self) -> bool:
        """The whole organization (its top unit): shown per unit, not per relative."""
        return self.unit.depth == 1


def screening(user, unit: Unit, day: dt.date, status: str = "") -> Screening:
    """Every active relative of the active staff of `unit` and below whom `user` sees, with
    their line of `day` (one row per relative and day: a LEFT JOIN) and its status, abnormal
    first, then not reported, then normal. The units of the subtree are one query, the counts
    per unit one grouped query (the totals add them up); a page of rows is one more."""
    tree = list(
        Unit.objects.filter(organization_id=unit.organization_id, path__startswith=unit.path)
        .order_by("path")
        .values_list("pk", "name", "depth")
    )
    members = (
        _in_scope(user, unit)
        .filter(is_active=True, person__unit_id__in=[pk for pk, _, _ in tree])
        .exclude(person__employment_status=EmploymentStatus.LEFT)
        .annotate(line=FilteredRelation("health_lines", condition=Q(health_lines__date=day)))
        .annotate(
            status=Case(
                When(line__id__isnull=True, then=Value(ScreeningStatus.NOT_REPORTED)),
                When(line__is_abnormal=True, then=Value(ScreeningStatus.ABNORMAL)),
                default=Value(ScreeningStatus.NORMAL),
            )
        )
        .annotate(
            rank=Case(
                *(When(status=s, then=Value(r)) for s, r in STATUS_RANK.items()),
                output_field=IntegerField(),
            ),
        )
    )
    per_unit = _per_unit(members, tree)
    counts = {s: sum(u.counts[s] for u in per_unit) for s in ScreeningStatus.values}
    # A status as plain conditions on the joined line (not on the CASE), so that the database
    # can start from the day's abnormal lines (their index) rather than from every relative.
    rows = members.filter(**STATUS_FILTER[status]) if status else members
    rows = (
        rows.select_related("person__unit")
        .annotate(**{f"line_{name}": F(f"line__{name}") for name in LINE_FIELDS})
        .order_by("rank", "person__unit__path", "person__employee_no", "id")
    )
    return Screening(unit, day, rows, counts, per_unit)


def _in_scope(user, unit: Unit) -> QuerySet:
    """The relatives the user sees. When the user's grants reach the whole unit (the office,
    the unit's head), every relative of its staff is in scope: the organization's rows,
    without the scope's subquery over every visible person, whose misjudged size makes the
    database join 150,000 relatives row by row (ten times slower than hashing)."""
    if unit.organization_id == user.organization_id and reaches(user, VIEW_PERSON, unit):
        return HouseholdMember.objects.of(unit.organization_id)
    return HouseholdMember.objects.visible_to(user)


def _per_unit(members: QuerySet, tree: list[tuple[int, str, int]]) -> list[UnitCounts]:
    """One GROUP BY the staff's unit, counting each status with a filter (plain conditions on
    the joined line, not the CASE): the units of the subtree that have relatives."""
    grouped = {
        r["person__unit_id"]: r
        for r in members.order_by()
        .values("person__unit_id")
        .annotate(
            total=Count("id"),
            reported=Count("line__id"),
            abnormal=Count("line__id", filter=Q(line__is_abnormal=True)),
        )
    }
    out = []
    for pk, name, depth in tree:
        if (r := grouped.get(pk)) is None:
            continue
        counts = {
            ScreeningStatus.ABNORMAL: r["abnormal"],
            ScreeningStatus.NOT_REPORTED: r["total"] - r["reported"],
            ScreeningStatus.NORMAL: r["reported"] - r["abnormal"],
        }
        out.append(UnitCounts(pk, name, depth, {str(k): v for k, v in counts.items()}))
    return out


def todays_household(
    person, day: dt.date
) -> tuple[list[HouseholdMember], dict[int, HouseholdCheckIn]]:
    """The person's active relatives (the check-in page asks for each one's line) and the
    lines of `day` already given, by relative: one query with the lines joined."""
    members = list(
        HouseholdMember.objects.filter(person=person, is_active=True)
        .annotate(line=FilteredRelation("health_lines", condition=Q(health_lines__date=day)))
        .annotate(**{f"line_{name}": F(f"line__{name}") for name in LINE_FIELDS})
        .annotate(line_id=F("line__id"))
        .order_by("id")
    )
    lines = {
        m.pk: HouseholdCheckIn(
            pk=m.line_id, member=m, **{n: getattr(m, f"line_{n}") for n in LINE_FIELDS}
        )
        for m in members
        if m.line_id is not None
    }
    return members, lines
