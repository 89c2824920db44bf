"""The health app's daily-briefing sections (core.tiles interface): staff check-ins (codes and
follow-ups with them) and the unit daily reports, each describing the day before the
briefing's date with the figures of the 7 days before it."""

import datetime as dt

from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from headwater.core.models import Unit
from headwater.core.tiles import (
    PEOPLE,
    BriefingSection,
    Figure,
    Flag,
    FlagKind,
    Table,
    Text,
    briefing_section,
    days_to,
)
from headwater.health import day_figures
from headwater.health.choices import CodeColour, ReportStatus
from headwater.health.models import CheckIn, HealthCode
from headwater.health.overview import day_counts
from headwater.health.services.checkins import describe_checkin

# A briefing names this many abnormal people one by one; more are named by unit, this many
# units, then the rest counted in one flag.
NAMED = 10
NAMES_PER_UNIT = 3
described = lazy(describe_checkin, str)  # in the language the briefing is resolved in
ITEMS = pgettext_lazy("count of follow-ups", "items")
UNITS = pgettext_lazy("count of units", "units")


def _rate(done: int, staff: int) -> float | None:
    return round(100 * done / staff, 1) if staff and done else None


@briefing_section
def health_section(organization, date: dt.date) -> BriefingSection | None:
    """The day before `date`: check-in rate and people, abnormal people (named), codes held at
    the end of the day, follow-ups opened, closed and overdue, and check-ins by unit. A day
    without a single check-in has no check-in figures (None), not 0 %."""
    day = date - dt.timedelta(days=1)
    checkins = CheckIn.objects.of(organization)
    if not checkins.exists() and not HealthCode.objects.of(organization).exists():
        return None
    days = days_to(day)
    counts = day_counts(organization, days[0], day)
    staff = day_figures.staff_by_unit(organization, days)
    codes = day_figures.code_colours(organization, days)
    follow = day_figures.follow_ups(organization, days)
    labels = day_figures.unit_labels(organization)
    done = [counts[d][0] if counts[d][0] else None for d in days]
    abnormal = [counts[d][1] if counts[d][0] else None for d in days]
    rates = [_rate(counts[d][0], sum(staff[d].values())) for d in days]
    colours = {c: [codes[d].get(c, 0) if codes[d] else None for d in days] for c in CodeColour}
    people = day_figures.abnormal_people(organization, day)
    overdue = day_figures.overdue_follow_ups(organization, day)
    n = {
        "staff": sum(staff[day].values()),
        "done": counts[day][0],
        "abnormal": counts[day][1],
        "green": colours[CodeColour.GREEN][-1] or 0,
        "yellow": colours[CodeColour.YELLOW][-1] or 0,
        "red": colours[CodeColour.RED][-1] or 0,
        "opened": follow[day][0],
        "closed": follow[day][1],
        "overdue": sum(o.count for o in overdue),
        "days": day_figures.FOLLOW_UP_DAYS,
    }
    n["missing"] = max(n["staff"] - n["done"], 0)
    n["rate"] = rates[-1] or 0.0
    flags = _abnormal_flags(people, labels) + _overdue_flags(overdue, labels)
    return BriefingSection(
        _("Health check-ins"),
        key="health",
        order=10,
        lines=[
            Text(
                _(
                    "%(staff)s staff on the roster: %(done)s checked in (%(rate)s%%), "
                    "%(missing)s did not; %(abnormal)s abnormal."
                ),
                **n,
            ),
            Text(
                _(
                    "Health codes at the end of the day: %(green)s green, %(yellow)s yellow, "
                    "%(red)s red."
                ),
                **n,
            ),
            Text(
                _(
                    "Follow-ups: %(opened)s opened, %(closed)s closed; %(overdue)s open for "
                    "more than %(days)s days."
                ),
                **n,
            ),
        ],
        figures=[
            Figure.over_days(
                "health.checkin_rate", _("Check-in rate"), rates, unit="%", better="up", decimals=1
            ),
            Figure.over_days(
                "health.checked_in", _("People checked in"), done, unit=PEOPLE, better="up"
            ),
            Figure.over_days(
                "health.abnormal", _("Abnormal people"), abnormal, unit=PEOPLE, better="down"
            ),
            Figure.over_days(
                "health.codes.green",
                _("Green codes"),
                colours[CodeColour.GREEN],
                unit=PEOPLE,
                better="up",
            ),
            Figure.over_days(
                "health.codes.yellow",
                _("Yellow codes"),
                colours[CodeColour.YELLOW],
                unit=PEOPLE,
                better="down",
            ),
            Figure.over_days(
                "health.codes.red",
                _("Red codes"),
                colours[CodeColour.RED],
                unit=PEOPLE,
                better="down",
            ),
            Figure.over_days(
                "health.follow_ups.opened",
                _("Follow-ups opened"),
                [follow[d][0] for d in days],
                unit=ITEMS,
                better="down",
            ),
            Figure.over_days(
                "health.follow_ups.closed",
                _("Follow-ups closed"),
                [follow[d][1] for d in days],
                unit=ITEMS,
                better="up",
            ),
        ],
        tables=[
            _abnormal_table(people, labels),
            _units_table(organization, day, staff[day], labels),
        ],
        flags=flags,
        quiet="" if flags else _("No abnormal check-ins and no overdue follow-ups."),
    )


def _follow_up_state(checkin: CheckIn):
    item = getattr(checkin, "followup", None)
    if item is None:
        return "—"
    return (
        pgettext_lazy("follow-up", "Closed")
        if item.closed_at
        else pgettext_lazy("follow-up", "Open")
    )


def _abnormal_table(people: list[CheckIn], labels: dict[int, str]) -> Table:
    order = {pk: i for i, pk in enumerate(labels)}
    rows = [
        [labels.get(c.unit_id, ""), c.person.name, described(c), _follow_up_state(c)]
        for c in sorted(people, key=lambda c: (order.get(c.unit_id, 0), c.person.employee_no))
    ]
    header = [_("Unit"), _("Name"), _("What was reported"), _("Follow-up")]
    return Table(pgettext_lazy("table", "Abnormal people"), header, rows)


def _units_table(organization, day: dt.date, staff: dict[int, int], labels) -> Table:
    """Check-ins by reporting unit (each summed over its subtree), as the office overview."""
    units = day_figures.reporting_units(organization)
    paths = dict(Unit.objects.filter(organization=organization).values_list("id", "path"))
    counts = CheckIn.objects.of(organization).counts_by_unit(day)
    rows = []
    for unit in units:
        inside = [pk for pk, path in paths.items() if path.startswith(unit.path)]
        people = sum(staff.get(pk, 0) for pk in inside)
        done = sum(counts.get(pk, (0, 0))[0] for pk in inside)
        abnormal = sum(counts.get(pk, (0, 0))[1] for pk in inside)
        rows.append([labels[unit.pk], people, done, _rate(done, people) or 0.0, abnormal])
    header = [_("Unit"), _("Staff"), _("Checked in"), _("Rate (%)"), _("Abnormal")]
    return Table(_("Check-ins by unit"), header, rows)


def _abnormal_flags(people: list[CheckIn], labels: dict[int, str]) -> list[Flag]:
    """Each abnormal person by name when there are few; else by unit, most first."""
    if len(people) <= NAMED:
        return [
            Flag(
                FlagKind.ABNORMAL,
                Text(
                    _("%(unit)s %(name)s: %(what)s"),
                    unit=labels.get(c.unit_id, ""),
                    name=c.person.name,
                    what=described(c),
                ),
            )
            for c in people
        ]
    by_unit: dict[int, list[CheckIn]] = {}
    for c in people:
        by_unit.setdefault(c.unit_id, []).append(c)
    ranked = sorted(by_unit.items(), key=lambda u: (-len(u[1]), labels.get(u[0], "")))
    flags = []
    for unit_id, rows in ranked[:NAMED]:
        names = "、".join(c.person.name for c in rows[:NAMES_PER_UNIT])
        text = _("%(unit)s: abnormal people: %(n)s (%(names)s)")
        if len(rows) > NAMES_PER_UNIT:
            text = _("%(unit)s: abnormal people: %(n)s (%(names)s …)")
        flags.append(
            Flag(
                FlagKind.ABNORMAL,
                Text(text, unit=labels.get(unit_id, ""), n=len(rows), names=names),
            )
        )
    rest = ranked[NAMED:]
    if rest:
        flags.append(
            Flag(
                FlagKind.ABNORMAL,
                Text(
                    _("Other units (%(units)s): abnormal people: %(n)s"),
                    units=len(rest),
                    n=sum(len(rows) for _, rows in rest),
                ),
            )
        )
    return flags


def _overdue_flags(overdue: list[day_figures.Overdue], labels: dict[int, str]) -> list[Flag]:
    flags = [
        Flag(
            FlagKind.OVERDUE,
            Text(
                _(
                    "%(unit)s: follow-ups open for more than %(days)s days: %(n)s "
                    "(the oldest since %(since)s)"
                ),
                unit=labels.get(o.unit_id, ""),
                n=o.count,
                days=day_figures.FOLLOW_UP_DAYS,
                since=f"{timezone.localtime(o.oldest):%m-%d}",
            ),
        )
        for o in overdue[:NAMED]
    ]
    rest = overdue[NAMED:]
    if rest:
        flags.append(
            Flag(
                FlagKind.OVERDUE,
                Text(
                    _(
                        "Other units (%(units)s): follow-ups open for more than %(days)s days: "
                        "%(n)s"
                    ),
                    units=len(rest),
                    n=sum(o.count for o in rest),
                    days=day_figures.FOLLOW_UP_DAYS,
                ),
            )
        )
    return flags


# --- Unit daily reports --------------------------------------------------------------------


@briefing_section
def reports_section(organization, date: dt.date) -> BriefingSection | None:
    """The day before `date`: each reporting unit's daily report on time, late or missing,
    and the reports that said less than the unit's check-ins (possible concealment, ADR 0011)
    with whether the office has cleared them. None when no unit files reports."""
    day = date - dt.timedelta(days=1)
    days = days_to(day)
    by_day = day_figures.unit_reports(organization, days)
    if not by_day[day]:
        return None
    counts = {d: day_figures.report_counts(rows) for d in days for rows in [by_day[d]]}
    labels = day_figures.unit_labels(organization)
    rows = by_day[day]
    n = {**counts[day], "units": len(rows)}
    lines = [
        Text(
            _(
                "%(units)s units file a daily report: %(on_time)s on time, %(late)s late, "
                "%(missing)s missing; %(flagged)s possible concealment."
            ),
            **n,
        )
    ]
    if n[""]:
        lines.append(Text(_("Reports not yet due: %(n)s."), n=n[""]))
    flags = _report_flags(rows, labels)

    def series(name: str) -> list[int]:
        return [counts[d][name] for d in days]

    return BriefingSection(
        _("Unit daily reports"),
        key="health.reports",
        order=20,
        lines=lines,
        figures=[
            Figure.over_days(
                "health.reports.on_time",
                _("Reports on time"),
                series(ReportStatus.ON_TIME),
                unit=UNITS,
                better="up",
            ),
            Figure.over_days(
                "health.reports.late",
                _("Reports late"),
                series(ReportStatus.LATE),
                unit=UNITS,
                better="down",
            ),
            Figure.over_days(
                "health.reports.missing",
                _("Reports missing"),
                series(ReportStatus.MISSING),
                unit=UNITS,
                better="down",
            ),
            Figure.over_days(
                "health.reports.concealment",
                _("Possible concealment"),
                series("flagged"),
                unit=UNITS,
                better="down",
            ),
        ],
        tables=[_reports_table(rows, labels)],
        flags=flags,
        quiet=""
        if flags
        else _("Every unit filed its daily report on time; no possible concealment."),
    )


def _filed_at(row: day_figures.ReportRow) -> str:
    return f"{timezone.localtime(row.report.submitted_at):%H:%M}" if row.report else "—"


def _reports_table(rows: list[day_figures.ReportRow], labels: dict[int, str]) -> Table:
    def concealment(row):
        if not row.flagged:
            return ""
        return _("Cleared by the office") if row.cleared else _("To be checked")

    table = [
        [
            labels[row.unit.pk],
            ReportStatus(row.status).label if row.status else _("Not yet due"),
            _filed_at(row),
            row.report.abnormal if row.report else "—",
            concealment(row),
        ]
        for row in rows
    ]
    header = [
        _("Unit"),
        _("Status"),
        _("Filed at"),
        _("Abnormal reported"),
        _("Possible concealment"),
    ]
    return Table(_("Unit daily reports"), header, table)


def _report_flags(rows: list[day_figures.ReportRow], labels: dict[int, str]) -> list[Flag]:
    """Each missing and late report (overdue) and each flag of possible concealment the office
    has not cleared (a decision: the office checks and clears it or acts)."""
    flags = []
    for row in rows:
        unit = labels[row.unit.pk]
        if row.status == ReportStatus.MISSING:
            text = Text(_("%(unit)s did not file its daily report."), unit=unit)
            flags.append(Flag(FlagKind.OVERDUE, text))
        elif row.status == ReportStatus.LATE:
            text = Text(
                _("%(unit)s filed its daily report late, at %(time)s."),
                unit=unit,
                time=_filed_at(row),
            )
            flags.append(Flag(FlagKind.OVERDUE, text))
    for row in rows:
        if row.flagged and not row.cleared:
            filing = row.report.flag
            text = Text(
                _(
                    "%(unit)s reported abnormal people: %(reported)s, while its check-ins showed "
                    "%(known)s: possible concealment, for the office to check."
                ),
                unit=labels[row.unit.pk],
                reported=filing.abnormal,
                known=filing.abnormal_known,
            )
            flags.append(Flag(FlagKind.DECISION, text))
    return flags
