"""Read logic of the unit page, the office overview, the tiles and the briefing: who has
checked in, unit report statuses, possible concealment with its evidence, the organization's
totals and the 14-day trend.

A user's figures start from what they may see (`visible_to`); the organization's totals and
trend are figures of the organization as a whole (`of(organization)`), shown to the roles that
may see them (health.view_overview) and in the daily briefing."""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.cache import cache
from django.db.models import Count

from headwater.core import clock
from headwater.core.choices import EmploymentStatus
from headwater.core.models import Person, RoleGrant, Unit
from headwater.core.roles import Role
from headwater.health.choices import CodeColour, ReportStatus
from headwater.health.models import CheckIn, HealthCode, UnitReport, UnitReportFiling


@dataclass
class MemberRow:
    person: Person
    checkins: list[CheckIn]
    code: HealthCode | None

    @property
    def abnormal(self) -> bool:
        return any(c.is_abnormal for c in self.checkins)


def unit_members(user, unit: Unit, day: dt.date, only: set[int] | None = None) -> list[MemberRow]:
    """The unit subtree's active people (or those of `only`) with today's check-ins and codes:
    abnormal first, then those who have not checked in, then the rest."""
    qs = Person.objects.visible_to(user).active().filter(unit__path__startswith=unit.path)
    if only is not None:
        qs = qs.filter(pk__in=only)
    people = list(qs.select_related("unit").order_by("employee_no"))
    checkins: dict[int, list[CheckIn]] = {}
    for c in CheckIn.objects.filter(person__in=[p.pk for p in people], date=day).order_by("slot"):
        checkins.setdefault(c.person_id, []).append(c)
    codes = HealthCode.objects.current_by_person(p.pk for p in people)
    rows = [MemberRow(p, checkins.get(p.pk, []), codes.get(p.pk)) for p in people]
    return sorted(rows, key=lambda r: (not r.abnormal, bool(r.checkins)))


LIST_ALL = 300


@dataclass
class UnitDay:
    """A unit's day for the unit head's live page: counts for everyone, and the rows to list.
    A large subtree lists only its abnormal and missing people (`hidden` more checked in)."""

    staff: int
    done: int
    abnormal: int
    rows: list[MemberRow]
    hidden: int = 0


def unit_day(user, unit: Unit, day: dt.date, limit: int = LIST_ALL) -> UnitDay:
    people = Person.objects.visible_to(user).active().filter(unit__path__startswith=unit.path)
    ids = set(people.values_list("id", flat=True))
    if len(ids) <= limit:
        rows = unit_members(user, unit, day)
        return UnitDay(
            len(rows), sum(1 for r in rows if r.checkins), sum(1 for r in rows if r.abnormal), rows
        )
    today = CheckIn.objects.filter(unit__path__startswith=unit.path, date=day)
    seen: dict[int, bool] = {}
    for pid, abnormal in today.values_list("person_id", "is_abnormal"):
        if pid in ids:
            seen[pid] = seen.get(pid, False) or abnormal
    flagged = [pid for pid, abnormal in seen.items() if abnormal]
    missing = (
        people.exclude(pk__in=today.values("person_id"))
        .order_by("employee_no")
        .values_list("id", flat=True)[:limit]
    )
    shown = set(flagged) | set(missing)
    rows = [r for r in unit_members(user, unit, day, only=shown)]
    return UnitDay(len(ids), len(seen), len(flagged), rows, hidden=len(seen) - len(flagged))


def reporting_units(user):
    """Units that file a daily report (those with a unit head), within the user's scope."""
    heads = RoleGrant.objects.filter(role=Role.UNIT_HEAD, unit__isnull=False).values("unit_id")
    return Unit.objects.visible_to(user).filter(pk__in=heads).order_by("path")


def report_status(report: UnitReport | None, deadline: dt.datetime, now: dt.datetime) -> str:
    if report is not None:
        return ReportStatus.ON_TIME if report.submitted_at <= deadline else ReportStatus.LATE
    return ReportStatus.MISSING if now > deadline else ""


def filing_evidence(filing: UnitReportFiling | None) -> list[CheckIn]:
    """The abnormal check-ins a filing was judged against, as they stood when it was sent
    (unsaved CheckIn objects rebuilt from the copy the filing keeps, so that pages describe
    them as any check-in): a later correction of a check-in does not change them."""
    if filing is None:
        return []
    rows = []
    for e in filing.evidence:
        checkin = CheckIn(
            pk=e["checkin"],
            person_id=e["person"],
            date=filing.report.date,
            slot=e["slot"],
            submitted_at=dt.datetime.fromisoformat(e["submitted_at"]),
            updated_at=dt.datetime.fromisoformat(e["updated_at"]),
            temperature=Decimal(e["temperature"]),
            symptoms=e["symptoms"],
            contact_confirmed=e["contact_confirmed"],
            contact_suspected=e["contact_suspected"],
            contact_risk_area=e["contact_risk_area"],
            household=e["household"],
            is_abnormal=True,
        )
        checkin.person = Person(pk=e["person"], name=e["name"])
        rows.append(checkin)
    return rows


@dataclass
class UnitRow:
    unit: Unit
    staff: int = 0
    done: int = 0
    abnormal: int = 0
    report: UnitReport | None = None
    status: str = ""
    evidence: list[CheckIn] = field(default_factory=list)

    @property
    def flag(self) -> UnitReportFiling | None:
        """The filing whose possible-concealment flag is raised and not cleared."""
        return self.report.flag if self.report else None

    @property
    def rate(self) -> float:
        return round(100 * self.done / self.staff, 1) if self.staff else 0.0


def overview(user, day: dt.date, deadline: dt.datetime) -> list[UnitRow]:
    """One row per reporting unit in scope, with its subtree's figures."""
    units = list(reporting_units(user))
    # Every unit below a reporting unit in scope is in scope too: the figures of a row are
    # summed over the unit's subtree.
    paths = {u.pk: u.path for u in Unit.objects.visible_to(user).only("path")}
    staff = _staff_counts(Person.objects.filter(unit_id__in=list(paths)).active())
    counts = CheckIn.objects.of(user.organization_id).counts_by_unit(day)
    reports = {
        r.unit_id: r
        for r in UnitReport.objects.visible_to(user)
        .filter(unit__in=units, date=day)
        .select_related("submitted_by__person", "flag__filed_by__person")
    }
    now = clock.now()
    rows = []
    for unit in units:
        inside = [pk for pk, path in paths.items() if path.startswith(unit.path)]
        row = UnitRow(
            unit,
            staff=sum(staff.get(pk, 0) for pk in inside),
            done=sum(counts.get(pk, (0, 0))[0] for pk in inside),
            abnormal=sum(counts.get(pk, (0, 0))[1] for pk in inside),
            report=reports.get(unit.pk),
        )
        row.status = report_status(row.report, deadline, now)
        if row.report and row.report.flag:
            row.report.flag.report = row.report
            row.evidence = filing_evidence(row.report.flag)
        rows.append(row)
    return rows


def trend(organization, end: dt.date, days: int = 14) -> list[dict]:
    """Per day: people checked in, abnormal people, and staff (today's count)."""
    start = end - dt.timedelta(days=days - 1)
    counts = day_counts(organization, start, end)
    staff = organization.people.active().count()
    return [
        {"date": day, "done": done, "abnormal": abnormal, "staff": staff}
        for day, (done, abnormal) in counts.items()
    ]


def day_counts(organization, start: dt.date, end: dt.date) -> dict[dt.date, tuple[int, int]]:
    """Each day from `start` to `end`, in order: (people checked in, abnormal people).

    A day whose check-in windows have closed cannot change any more (check-ins are made and
    corrected only on their own day), so past days are counted once and kept in the cache;
    only today is counted on every call. The days not cached are counted in one grouped
    query."""
    today = clock.today()
    days = [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]
    keys = {day: f"health:day:{organization.pk}:{day}" for day in days}
    cached = cache.get_many([k for d, k in keys.items() if d < today])
    counts = {d: tuple(cached[k]) for d, k in keys.items() if k in cached}
    missing = [d for d in days if d not in counts]
    if missing:
        fresh = CheckIn.objects.of(organization).counts_by_day(min(missing), max(missing))
        for day in missing:
            counts[day] = fresh.get(day, (0, 0))
        cache.set_many({keys[d]: counts[d] for d in missing if d < today}, timeout=None)
    return {day: counts[day] for day in days}


# --- Figures for the tiles and the briefing ------------------------------------------------


def _staff_counts(people) -> dict[int, int]:
    """unit id -> how many of `people` are in it."""
    return dict(people.values_list("unit_id").annotate(n=Count("id")).values_list("unit_id", "n"))


def completion_for(user, day: dt.date) -> tuple[int, int, int]:
    """(checked in, staff, abnormal) among the active people the user may see."""
    people = Person.objects.visible_to(user).active()
    staff = _staff_counts(people)
    counts = CheckIn.objects.of(user.organization_id).counts_by_unit(day, unit_ids=list(staff))
    done = sum(min(counts.get(u, (0, 0))[0], n) for u, n in staff.items())
    abnormal = sum(counts.get(u, (0, 0))[1] for u in staff)
    return done, sum(staff.values()), abnormal


def organization_totals(organization, day: dt.date) -> dict:
    """The organization's day: check-ins, abnormal people and its staff's codes by colour."""
    staff = organization.people.active().count()
    counts = CheckIn.objects.of(organization).counts_by_unit(day)
    done = sum(d for d, _ in counts.values())
    codes = (
        HealthCode.objects.of(organization)
        .current()
        .exclude(person__employment_status=EmploymentStatus.LEFT)
        .colour_counts()
    )
    return {
        "done": done,
        "total": staff,
        "rate": round(100 * done / staff, 1) if staff else 0,
        "abnormal": sum(a for _, a in counts.values()),
        "green": codes.get(CodeColour.GREEN, 0),
        "yellow": codes.get(CodeColour.YELLOW, 0),
        "red": codes.get(CodeColour.RED, 0),
    }
