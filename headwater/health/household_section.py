"""The daily briefing's section on the relatives of staff (家属): registered, lines reported,
abnormal (each named with the member of staff and their unit) and not reported, on the day
before the briefing's date, with the day before and the 7-day trend (core.tiles interface).

Figures of the organization as a whole; each series is one grouped query over the 7 days.
Relatives are counted by their registration (`created_at`) among those in the household now:
the register keeps no date of leaving, so a relative since removed is left out of past days."""

import datetime as dt

from django.db.models import Count, Q
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from headwater.core import clock
from headwater.core.choices import EmploymentStatus
from headwater.core.models import HouseholdMember
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
from headwater.health.models import HouseholdCheckIn
from headwater.health.services.household import describe_line

NAMED = 10  # abnormal relatives named one by one; the rest counted in one flag
described = lazy(describe_line, str)  # in the language the briefing is resolved in


def registered_by_day(organization, days: list[dt.date]) -> list[int]:
    """Relatives in the household registered by the end of each day (one query)."""
    counts = {
        f"d{i}": Count("id", filter=Q(created_at__lt=clock.day_bounds(day)[1]))
        for i, day in enumerate(days)
    }
    row = _members(organization).aggregate(**counts)
    return [row[f"d{i}"] for i in range(len(days))]


def lines_by_day(organization, days: list[dt.date]) -> dict[dt.date, tuple[int, int]]:
    """day -> (lines reported, abnormal lines) of the relatives in the household (one query)."""
    rows = (
        HouseholdCheckIn.objects.of(organization)
        .filter(date__gte=days[0], date__lte=days[-1], member__is_active=True)
        .exclude(person__employment_status=EmploymentStatus.LEFT)
        .order_by()
        .values("date")
        .annotate(n=Count("id"), abnormal=Count("id", filter=Q(is_abnormal=True)))
    )
    found = {r["date"]: (r["n"], r["abnormal"]) for r in rows}
    return {day: found.get(day, (0, 0)) for day in days}


def _members(organization):
    return (
        HouseholdMember.objects.of(organization)
        .filter(is_active=True)
        .exclude(person__employment_status=EmploymentStatus.LEFT)
    )


def abnormal_lines(organization, day: dt.date) -> list[HouseholdCheckIn]:
    return list(
        HouseholdCheckIn.objects.of(organization)
        .filter(date=day, is_abnormal=True, member__is_active=True)
        .exclude(person__employment_status=EmploymentStatus.LEFT)
        .select_related("member", "person")
        .order_by("person__unit__path", "person__employee_no", "member_id")
    )


@briefing_section
def household_section(organization, date: dt.date) -> BriefingSection | None:
    """The relatives of staff on the day before `date`; None when nobody has registered one."""
    if not HouseholdMember.objects.of(organization).exists():
        return None
    day = date - dt.timedelta(days=1)
    days = days_to(day)
    registered = registered_by_day(organization, days)
    lines = lines_by_day(organization, days)
    reported = [lines[d][0] for d in days]
    abnormal = [lines[d][1] for d in days]
    missing = [max(r - n, 0) for r, n in zip(registered, reported, strict=True)]
    people = abnormal_lines(organization, day)
    labels = day_figures.unit_labels(organization) if people else {}
    flags = _flags(people, labels)
    n = {"registered": registered[-1], "reported": reported[-1], "abnormal": abnormal[-1]}
    n["missing"] = missing[-1]
    return BriefingSection(
        _("Household members of staff"),
        key="health.household",
        order=15,
        lines=[
            Text(
                _(
                    "%(registered)s household members registered: %(reported)s reported, "
                    "%(missing)s not reported; %(abnormal)s abnormal."
                ),
                **n,
            )
        ],
        figures=[
            Figure.over_days(
                "health.household.registered", _("Household members"), registered, unit=PEOPLE
            ),
            Figure.over_days(
                "health.household.reported",
                _("Household members reported"),
                reported,
                unit=PEOPLE,
                better="up",
            ),
            Figure.over_days(
                "health.household.abnormal",
                _("Household members abnormal"),
                abnormal,
                unit=PEOPLE,
                better="down",
            ),
            Figure.over_days(
                "health.household.not_reported",
                _("Household members not reported"),
                missing,
                unit=PEOPLE,
                better="down",
            ),
        ],
        tables=[_table(people, labels)] if people else [],
        flags=flags,
        quiet="" if flags else _("No household member of staff reported abnormal."),
    )


def _table(people: list[HouseholdCheckIn], labels: dict[int, str]) -> Table:
    header = [_("Unit"), _("Member of staff"), _("What was reported")]
    rows = [[labels.get(r.person.unit_id, ""), r.person.name, described(r)] for r in people]
    return Table(_("Household members abnormal"), header, rows)


def _flags(people: list[HouseholdCheckIn], labels: dict[int, str]) -> list[Flag]:
    flags = [
        Flag(
            FlagKind.ABNORMAL,
            Text(
                _("%(unit)s %(name)s's household member %(what)s"),
                unit=labels.get(r.person.unit_id, ""),
                name=r.person.name,
                what=described(r),
            ),
        )
        for r in people[:NAMED]
    ]
    if len(people) > NAMED:
        flags.append(
            Flag(
                FlagKind.ABNORMAL,
                Text(_("Other household members abnormal: %(n)s"), n=len(people) - NAMED),
            )
        )
    return flags
