"""Missing daily follow-ups escalate up the monitoring chain (三级盯控): a case without a
follow-up by `isolation.followup_due_at` is reported to its unit's head, and if still
missing at `isolation.followup_escalate_office_at` to the office — once per level and day.

One alert per unit and day (naming its cases) for the unit heads, one per day for the office
(counting by unit): the sweep reads the missing cases in one query and the alerts already
raised today in another, so a sweep with nothing new costs two queries however many cases
are open. Cases opened after the due time are not due until the next day."""

import datetime as dt
from collections import defaultdict

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from headwater.alerts.choices import Severity
from headwater.alerts.models import Alert
from headwater.alerts.services import raise_alert
from headwater.core import clock, levels
from headwater.core.models import Organization
from headwater.isolation.models import Case

NAMES = 20
UNIT, OFFICE = "unit_head", "office"


def _moment(day: dt.date, hhmm: str) -> dt.datetime:
    hour, minute = (int(x) for x in hhmm.split(":"))
    return clock.day_bounds(day)[0].replace(hour=hour, minute=minute)


def due_moments(organization: Organization, day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    return (
        _moment(day, levels.value(organization, "isolation.followup_due_at")),
        _moment(day, levels.value(organization, "isolation.followup_escalate_office_at")),
    )


def _unchecked(organization: Organization, day: dt.date, due: dt.datetime):
    """Open cases of the organization, opened before `due`, without a follow-up on `day`."""
    return Case.objects.of(organization).unchecked_on(day).filter(opened_at__lt=due)


def escalate_missing_checks(organization: Organization, now: dt.datetime | None = None) -> int:
    """Raise what is due at `now` and not raised yet today; returns how many alerts.

    Reads the alerts raised today and the missing cases counted by unit (two queries); only
    for what is still to raise does it read the cases' names (one more)."""
    now = now or clock.now()
    day = timezone.localdate(now)
    unit_due, office_due = due_moments(organization, day)
    if now < unit_due:
        return 0
    prefix = f"isolation.missing:{day}:"
    raised = set(
        Alert.objects.filter(organization=organization, dedup_key__startswith=prefix).values_list(
            "dedup_key", flat=True
        )
    )
    missing = _unchecked(organization, day, unit_due)
    counts = dict(
        missing.order_by()
        .values_list("unit_id")
        .annotate(n=Count("id"))
        .values_list("unit_id", "n")
    )
    to_raise = [u for u in counts if f"{prefix}{UNIT}:{u}" not in raised]
    office = now >= office_due and counts and f"{prefix}{OFFICE}" not in raised
    if not to_raise and not office:
        return 0
    by_unit: dict[int, list[Case]] = defaultdict(list)
    rows = missing.filter(unit_id__in=to_raise) if not office else missing
    for case in rows.select_related("unit", "person", "household_member").order_by("unit_id", "id"):
        by_unit[case.unit_id].append(case)
    for unit_id in to_raise:
        _raise_unit(organization, by_unit[unit_id], f"{prefix}{UNIT}:{unit_id}")
    if office:
        _raise_office(organization, by_unit, f"{prefix}{OFFICE}", day)
    return len(to_raise) + bool(office)


def _link() -> str:
    return reverse("isolation:list") + "?overdue=1"


def _raise_unit(organization, rows: list[Case], key: str) -> None:
    names = "、".join(c.subject_name for c in rows[:NAMES])
    if len(rows) > NAMES:
        names += " …"
    raise_alert(
        organization,
        kind="isolation.missing_followup",
        severity=Severity.WARNING,
        title=_("%(n)s isolated people not followed up today") % {"n": len(rows)},
        body=_("No follow-up recorded by the monitor today: %(names)s") % {"names": names},
        link=_link(),
        unit=rows[0].unit,
        to_roles=[UNIT],
        dedup_key=key,
    )


def _raise_office(organization, by_unit: dict[int, list[Case]], key: str, day) -> None:
    total = sum(len(rows) for rows in by_unit.values())
    parts = [f"{rows[0].unit.name} {len(rows)}" for rows in by_unit.values()][:NAMES]
    raise_alert(
        organization,
        kind="isolation.missing_followup",
        severity=Severity.CRITICAL,
        title=_("%(n)s isolated people still not followed up today") % {"n": total},
        body=_("Missing follow-ups by unit: %(units)s") % {"units": "，".join(parts)},
        link=_link(),
        to_roles=[OFFICE],
        dedup_key=key,
    )
