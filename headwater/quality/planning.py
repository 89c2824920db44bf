"""Sampling plans at work: they generate the sampling tasks of the coming hours, overdue tasks
are marked missed (and the lab head told), and exceedances open re-sampling tasks.

Generation runs every hour for the next 26 hours (quality.tasks), so windows overlap and a
worker may run twice: it is idempotent (one task per plan, point and time).
"""

import datetime as dt
from collections import defaultdict

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from headwater.alerts.choices import Severity
from headwater.alerts.services import raise_alert
from headwater.core import clock
from headwater.core.audit import acting_as
from headwater.core.choices import ResponseLevel
from headwater.core.errors import DomainError, require
from headwater.core.models import Organization
from headwater.quality import schedule
from headwater.quality.choices import Frequency, PointKind, TaskKind, TaskStatus
from headwater.quality.models import Result, SamplingPlan, SamplingPoint, SamplingTask

MISSED_KIND = "quality.task_missed"
TASKS_LINK = "/quality/tasks/"


def generate_tasks(organization: Organization, start: dt.datetime, end: dt.datetime) -> int:
    """Create the routine tasks of the organization's active plans falling due in [start, end);
    returns how many were created. Tasks that already exist are left alone."""
    level = organization.response_level
    plans = [
        plan
        for plan in SamplingPlan.objects.filter(organization=organization, active=True)
        if not plan.levels or level in plan.levels
    ]
    if not plans:
        return 0
    targets = _targets(organization, plans)
    existing = set(
        SamplingTask.objects.filter(plan__in=plans, due_at__gte=start, due_at__lt=end).values_list(
            "plan_id", "point_id", "due_at"
        )
    )
    new = []
    for plan in plans:
        window = dt.timedelta(hours=plan.window_hours)
        for due in schedule.occurrences(plan, start, end):
            for point in targets[plan.pk]:
                if (plan.pk, point.pk, due) in existing:
                    continue
                new.append(
                    SamplingTask(
                        organization=organization,
                        plan=plan,
                        point=point,
                        lab_id=plan.lab_id,
                        kind=TaskKind.ROUTINE,
                        indicators=list(plan.indicators),
                        due_at=due,
                        deadline=due + window,
                    )
                )
    # ignore_conflicts: a worker running the same window at the same time loses quietly.
    SamplingTask.objects.bulk_create(new, ignore_conflicts=True, batch_size=500)
    return len(new)


def _targets(organization: Organization, plans: list[SamplingPlan]) -> dict[int, list]:
    """Each plan's points: its one point, or every active point of its kind."""
    points = SamplingPoint.objects.filter(organization=organization, active=True)
    by_kind = defaultdict(list)
    by_pk = {}
    for point in points:
        by_kind[point.kind].append(point)
        by_pk[point.pk] = point
    targets = {}
    for plan in plans:
        if plan.point_id:
            # An inactive point is no longer sampled, even by a plan naming it.
            targets[plan.pk] = [by_pk[plan.point_id]] if plan.point_id in by_pk else []
        else:
            targets[plan.pk] = by_kind[plan.point_kind]
    return targets


@transaction.atomic
def mark_missed(organization: Organization, now: dt.datetime) -> int:
    """Mark the open tasks whose deadline has passed missed and raise one alert per lab to its
    head (and the quality department) listing the points; returns how many were missed.

    Each task is saved on its own so that the audit trail records the change; tasks are
    locked first so that two workers never alert twice."""
    overdue = list(
        SamplingTask.objects.select_for_update()
        .filter(organization=organization, status=TaskStatus.OPEN, deadline__lt=now)
        .select_related("lab__unit", "point__unit")
        .order_by("lab_id", "due_at", "point__code")
    )
    by_lab: dict[int, list[SamplingTask]] = defaultdict(list)
    for task in overdue:
        task.status = TaskStatus.MISSED
        task.missed_alerted = True
        task.save(update_fields=["status", "missed_alerted"])
        by_lab[task.lab_id].append(task)
    for tasks in by_lab.values():
        _alert_missed(organization, tasks)
    return len(overdue)


def _alert_missed(organization: Organization, tasks: list[SamplingTask]) -> None:
    lab = tasks[0].lab
    units = {task.point.unit_id for task in tasks}
    # The points' own unit decides who is told; a lab sampling for several units tells the
    # people over the lab's unit instead of sending one alert per unit.
    unit = tasks[0].point.unit if len(units) == 1 else lab.unit
    lines = [
        f"{task.point.code} {task.point.name} · {timezone.localtime(task.due_at):%Y-%m-%d %H:%M}"
        for task in tasks
    ]
    raise_alert(
        organization,
        kind=MISSED_KIND,
        title=ngettext(
            "%(lab)s: %(count)d sampling task missed",
            "%(lab)s: %(count)d sampling tasks missed",
            len(tasks),
        )
        % {"lab": lab.name, "count": len(tasks)},
        body="\n".join(lines),
        severity=Severity.WARNING,
        link=TASKS_LINK,
        unit=unit,
        to_roles=["lab_reviewer", "quality"],
    )


@transaction.atomic
def open_resample_task(
    result_or_point: Result | SamplingPoint, indicators: list[str], due_within_hours: int
) -> SamplingTask:
    """Open a re-sampling task at the point (of the result), due now and to be done within
    `due_within_hours`. An open re-sampling task at the same point takes the indicators
    instead, so several exceedances of one sample make one visit."""
    if isinstance(result_or_point, Result):
        cause, point = result_or_point, result_or_point.point
    else:
        cause, point = None, result_or_point
    open_task = (
        SamplingTask.objects.select_for_update()
        .filter(point=point, kind=TaskKind.RESAMPLE, status=TaskStatus.OPEN)
        .order_by("due_at", "pk")
        .first()
    )
    if open_task:
        merged = list(dict.fromkeys([*open_task.indicators, *indicators]))
        if merged != open_task.indicators:
            open_task.indicators = merged
            open_task.save(update_fields=["indicators"])
        return open_task
    now = clock.now()
    return SamplingTask.objects.create(
        organization_id=point.organization_id,
        point=point,
        lab_id=point.lab_id,
        kind=TaskKind.RESAMPLE,
        indicators=list(dict.fromkeys(indicators)),
        due_at=now,
        deadline=now + dt.timedelta(hours=due_within_hours),
        cause=cause,
    )


def clean_plan(plan: SamplingPlan) -> dict[str, str]:
    """Normalize the plan in place; return a message for every bad field."""
    errors: dict[str, str] = {}
    plan.name = (plan.name or "").strip()
    if not plan.name:
        errors["name"] = _("This field is required.")
    errors.update(_clean_target(plan))
    errors.update(_clean_indicators(plan))
    errors.update(_clean_frequency(plan))
    if not plan.window_hours or plan.window_hours < 1:
        errors["window_hours"] = _("Allow at least one hour to do the task.")
    if not isinstance(plan.levels, list) or not set(plan.levels) <= set(ResponseLevel.values):
        errors["levels"] = _("Unknown response level.")
    return errors


def _clean_target(plan: SamplingPlan) -> dict[str, str]:
    errors = {}
    if plan.lab_id is None or plan.lab.organization_id != plan.organization_id:
        errors["lab"] = _("Choose a lab.")
    if plan.point_id and plan.point_kind:
        errors["point_kind"] = _("Choose one sampling point or a kind of point, not both.")
    elif plan.point_id:
        if plan.point.organization_id != plan.organization_id:
            errors["point"] = _("Unknown sampling point.")
    elif plan.point_kind not in PointKind.values:
        errors["point_kind"] = _("Choose one sampling point or a kind of point.")
    return errors


def _clean_indicators(plan: SamplingPlan) -> dict[str, str]:
    from headwater.quality import catalog

    codes = plan.indicators if isinstance(plan.indicators, list) else []
    plan.indicators = list(dict.fromkeys(str(code).strip() for code in codes if str(code).strip()))
    if not plan.indicators:
        return {"indicators": _("Choose at least one indicator.")}
    known = catalog.indicators()
    unknown = [code for code in plan.indicators if code not in known]
    if unknown:
        return {"indicators": _("Unknown indicators: %(codes)s") % {"codes": ", ".join(unknown)}}
    return {}


def _clean_frequency(plan: SamplingPlan) -> dict[str, str]:
    errors = {}
    if plan.frequency not in Frequency.values:
        return {"frequency": _("Choose a frequency.")}
    try:
        times = sorted({schedule.parse_time(t) for t in plan.times or []})
    except (TypeError, ValueError):
        errors["times"] = _("Enter times of day as HH:MM, e.g. 08:00.")
    else:
        # The first time is the one daily, weekly and monthly plans use: keep the user's order.
        if plan.frequency == Frequency.TIMES_DAILY:
            plan.times = [f"{t:%H:%M}" for t in times]
        else:
            plan.times = [f"{schedule.parse_time(t):%H:%M}" for t in plan.times or []]
        if plan.frequency == Frequency.TIMES_DAILY and not times:
            errors["times"] = _("Enter at least one time of day.")
    if plan.frequency == Frequency.EVERY_N_HOURS:
        hours = plan.every_hours
        if not hours or hours > 24 or 24 % hours:
            errors["every_hours"] = _("Enter a number of hours that divides 24 (1, 2, 3, 4, 6…).")
    if plan.frequency == Frequency.WEEKDAYS:
        days = plan.weekdays if isinstance(plan.weekdays, list) else None
        if not days or not all(isinstance(d, int) and 0 <= d <= 6 for d in days):
            errors["weekdays"] = _("Choose at least one weekday.")
        else:
            plan.weekdays = sorted(set(days))
    if plan.frequency in (Frequency.MONTHLY, Frequency.HALF_YEARLY):
        if not plan.day_of_month or not 1 <= plan.day_of_month <= 31:
            errors["day_of_month"] = _("Enter a day of the month from 1 to 31.")
    if plan.frequency == Frequency.HALF_YEARLY:
        months = plan.months or list(schedule.DEFAULT_MONTHS)
        if not isinstance(months, list) or not all(
            isinstance(m, int) and 1 <= m <= 12 for m in months
        ):
            errors["months"] = _("Choose months from 1 to 12.")
        else:
            plan.months = sorted(set(months))
    return errors


def save_plan(plan: SamplingPlan, *, by) -> SamplingPlan:
    """Validate (clean_plan; a single point must be one the user sees), save audited, and
    generate the plan's coming tasks once the transaction commits. Pages and the API."""
    from headwater.quality.permissions import MANAGE
    from headwater.quality.tasks import generate_for

    require(by, MANAGE)
    errors = clean_plan(plan)
    if plan.point_id and not SamplingPoint.objects.visible_to(by).filter(pk=plan.point_id).exists():
        errors["point"] = _("Unknown sampling point.")
    if errors:
        raise DomainError(_("Please correct the marked fields."), fields=errors)
    with acting_as(by):
        plan.save()
    transaction.on_commit(lambda: generate_for(plan.organization_id))
    return plan
