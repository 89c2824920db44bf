"""The organization's figures of past days for the daily briefing: staff on the roster, codes
held at the end of each day, follow-ups opened, closed and overdue, the abnormal people of a
day and the unit reports of each day.

Figures of the organization as a whole (`of(organization)`). Each reads a run of days at
once — one grouped query for all the days, never one query a day — so that the briefing's
7-day trends cost what one day does."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Exists, Min, OuterRef, Q

from headwater.core import clock
from headwater.core.choices import EmploymentStatus
from headwater.core.models import RoleGrant, Unit
from headwater.core.roles import Role
from headwater.core.tiles import counts_by_day
from headwater.health.choices import ReportStatus
from headwater.health.models import CheckIn, FollowUp, HealthCode, UnitReport, UnitReportFiling
from headwater.health.overview import report_status
from headwater.health.windows import report_deadline

# A follow-up still open this many days after it was opened is overdue.
FOLLOW_UP_DAYS = 3


def unit_labels(organization) -> dict[int, str]:
    """unit id -> its name under the top of the tree ("第一水厂 运行甲班"), in the tree's
    order: leaf names repeat from plant to plant ("运行甲班"), so a briefing names a unit
    with its parents."""
    units = list(
        Unit.objects.filter(organization=organization)
        .order_by("path")
        .values_list("id", "path", "name")
    )
    by_path = {path: name for _, path, name in units}
    step = Unit.steplen
    labels = {}
    for pk, path, name in units:
        names = [by_path.get(path[:end], "") for end in range(2 * step, len(path) + 1, step)]
        labels[pk] = " ".join(n for n in names if n) or name
    return labels


def staff_by_unit(organization, days: list[dt.date]) -> dict[dt.date, dict[int, int]]:
    """day -> unit id -> people on the roster at the end of the day (not left, or left after
    it; the roster keeps no joining date), from one grouped query."""
    left = Q(employment_status=EmploymentStatus.LEFT)
    counts = {f"d{i}": Count("id", filter=~left | Q(left_on__gt=day)) for i, day in enumerate(days)}
    rows = list(organization.people.order_by().values("unit_id").annotate(**counts))
    return {day: {r["unit_id"]: r[f"d{i}"] for r in rows} for i, day in enumerate(days)}


def code_colours(organization, days: list[dt.date]) -> dict[dt.date, dict[str, int]]:
    """day -> colour -> codes of that colour held at the end of the day by people still on
    the roster (the code history is kept: each row holds from its `since` to the next row's).
    Counted over everyone, less those who have left: a join of every code to its person
    costs more than the few leavers' codes."""
    codes = HealthCode.objects.of(organization)
    ends = [clock.day_bounds(day)[1] for day in days]
    everyone = codes.colour_counts_at(ends)
    leavers = codes.filter(person__employment_status=EmploymentStatus.LEFT).colour_counts_at(ends)
    return {
        day: {c: n for c in all_ if (n := all_[c] - gone.get(c, 0))}
        for day, all_, gone in zip(days, everyone, leavers, strict=True)
    }


def follow_ups(organization, days: list[dt.date]) -> dict[dt.date, tuple[int, int]]:
    """day -> (follow-ups opened, follow-ups closed) that day: two grouped queries."""
    items = FollowUp.objects.of(organization)
    opened = counts_by_day(items, "opened_at", days)
    closed = counts_by_day(items, "closed_at", days)
    return {day: (opened[day], closed[day]) for day in days}


@dataclass
class Overdue:
    unit_id: int
    count: int
    oldest: dt.datetime


def overdue_follow_ups(organization, day: dt.date) -> list[Overdue]:
    """Per unit (of the check-in that opened them), the follow-ups still open at the end of
    `day` that were opened more than FOLLOW_UP_DAYS days before it: most first."""
    end = clock.day_bounds(day)[1]
    rows = (
        FollowUp.objects.of(organization)
        .filter(opened_at__lt=end - dt.timedelta(days=FOLLOW_UP_DAYS))
        .filter(Q(closed_at__isnull=True) | Q(closed_at__gte=end))
        .order_by()
        .values("checkin__unit_id")
        .annotate(n=Count("id"), oldest=Min("opened_at"))
    )
    found = [Overdue(r["checkin__unit_id"], r["n"], r["oldest"]) for r in rows]
    return sorted(found, key=lambda o: (-o.count, o.oldest))


def abnormal_people(organization, day: dt.date) -> list[CheckIn]:
    """One abnormal check-in of `day` per person (the later slot when both were), with the
    person and its follow-up."""
    rows = (
        CheckIn.objects.of(organization)
        .filter(date=day, is_abnormal=True)
        .select_related("person", "followup")
        .only(
            *("unit_id", "person_id", "slot", "temperature", "symptoms", "household"),
            *("contact_confirmed", "contact_suspected", "contact_risk_area"),
            *("person__name", "person__employee_no", "followup__closed_at"),
        )
        .order_by("person__employee_no", "slot")
    )
    return list({c.person_id: c for c in rows}.values())


@dataclass
class ReportRow:
    """A reporting unit's report of one day: its status (on time, late, missing, or "" before
    the deadline) and whether a filing said less than the check-ins (`flagged`) and, if so,
    whether the office has cleared it since (`cleared`)."""

    unit: Unit
    report: UnitReport | None
    status: str
    flagged: bool = False
    cleared: bool = False


def reporting_units(organization) -> list[Unit]:
    """The units that file a daily report: those with a unit head."""
    heads = RoleGrant.objects.filter(role=Role.UNIT_HEAD, unit__isnull=False).values("unit_id")
    return list(Unit.objects.filter(organization=organization, pk__in=heads).order_by("path"))


def unit_reports(organization, days: list[dt.date]) -> dict[dt.date, list[ReportRow]]:
    """day -> one row per reporting unit, from two queries (the units, the reports)."""
    units = reporting_units(organization)
    contradicted = UnitReportFiling.objects.filter(report=OuterRef("pk"), contradicts=True)
    reports = {
        (r.unit_id, r.date): r
        for r in UnitReport.objects.of(organization)
        .filter(unit__in=units, date__gte=days[0], date__lte=days[-1])
        .select_related("flag")
        .annotate(contradicted=Exists(contradicted))
    }
    now = clock.now()
    out = {}
    for day in days:
        deadline = report_deadline(organization, day)
        rows = []
        for unit in units:
            report = reports.get((unit.pk, day))
            row = ReportRow(unit, report, report_status(report, deadline, now))
            if report is not None and report.contradicted:
                row.flagged, row.cleared = True, report.flag_id is None
            rows.append(row)
        out[day] = rows
    return out


def report_counts(rows: list[ReportRow]) -> dict[str, int]:
    counts = defaultdict(int, {s: 0 for s in ["", *ReportStatus.values]})
    for row in rows:
        counts[row.status] += 1
    counts["flagged"] = sum(1 for r in rows if r.flagged)
    return counts
