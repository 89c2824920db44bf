"""Missing daily follow-ups escalate up the monitoring chain (三级盯控): a case without a
follow-up by `isolation.followup_due_at` is reported to its unit's head, and if still
missing at `isolation.followup_escalate_office_at` to the office — once per level and day.

One alert per unit and day (naming its cases) for the unit heads, one per day for the office
(counting by unit): the sweep reads the missing cases in one query and the alerts already
raised today in another, so a sweep with nothing new costs two queries however many cases
are open. Cases opened after the due time are not due until the next day."""

import datetime as dt
from collections import defaultdict

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


def missing_cases(organization: Organization, day: dt.date, due: dt.datetime) -> list[Case]:
    """Open cases of the organization, opened before `due`, without a follow-up on `day`."""
    return list(
        Case.objects.of(organization)
        .unchecked_on(day)
        .filter(opened_at__lt=due)
        .select_related("unit", "person", "household_member")
        .order_by("unit_id", "id")
    )


def escalate_missing_checks(organization: Organization, now: dt.datetime | None = None) -> int:
    """Raise what is due at `now` and not raised yet today; returns how many alerts."""
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
    cases = missing_cases(organization, day, unit_due)
    by_unit: dict[int, list[Case]] = defaultdict(list)
    for case in cases:
        by_unit[case.unit_id].append(case)
    count = 0
    for unit_id, rows in by_unit.items():
        key = f"{prefix}{UNIT}:{unit_id}"
        if key not in raised:
            _raise_unit(organization, rows, key)
            count += 1
    key = f"{prefix}{OFFICE}"
    if now >= office_due and cases and key not in raised:
        _raise_office(organization, by_unit, key, day)
        count += 1
    return count


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
