"""Sampling tasks: generated from the plans for the coming hours, marked missed (and the lab
head told) when their deadline passes, and opened by an exceedance for re-sampling.

Generation runs every hour for the next 26 hours (quality.tasks), so windows overlap and a
worker may run twice: it is idempotent (one task per plan, point and time).
"""

import datetime as dt
from collections import defaultdict

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext
from huey.contrib.djhuey import db_task

from headwater.alerts.choices import Severity
from headwater.alerts.services import raise_alert
from headwater.core import clock, locks
from headwater.core.models import Organization
from headwater.core.roles import Role
from headwater.core.writes import Written
from headwater.quality import schedule
from headwater.quality.choices import TaskKind, TaskStatus
from headwater.quality.models import Result, SamplingPlan, SamplingPoint, SamplingTask

MISSED_KIND = "quality.task_missed"
# Hourly runs over the next 26 hours overlap, so one or two failed runs lose no task and the
# technicians see tomorrow morning's tasks the evening before.
LOOKAHEAD = dt.timedelta(hours=26)


def generate_tasks(organization: Organization, start: dt.datetime, end: dt.datetime) -> int:
    """Create the routine tasks of the organization's active plans falling due in [start, end);
    returns how many were created. Tasks that already exist are left alone."""
    level = organization.response_level
    plans = [
        plan
        for plan in SamplingPlan.objects.of(organization).filter(active=True)
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


@db_task()
def generate_for(organization_id: int) -> int:
    """Right after a plan is saved (on commit, on the task queue): its tasks of the next 26
    hours, without waiting for the hourly run."""
    now = clock.now()
    return generate_tasks(Organization.objects.get(pk=organization_id), now, now + LOOKAHEAD)


def _targets(organization: Organization, plans: list[SamplingPlan]) -> dict[int, list]:
    """Each plan's points: its one point, or every active point of its kind."""
    points = SamplingPoint.objects.of(organization).active()
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
    overdue = (
        SamplingTask.objects.of(organization)
        .filter(status=TaskStatus.OPEN, deadline__lt=now)
        .select_related("lab__unit", "point__unit")
    )
    by_lab: dict[int, list[SamplingTask]] = defaultdict(list)
    locked = locks.lock(overdue)
    for task in sorted(locked, key=lambda t: (t.lab_id, t.due_at, t.point.code)):
        task.status = TaskStatus.MISSED
        task.missed_alerted = True
        task.save(update_fields=["status", "missed_alerted"])
        by_lab[task.lab_id].append(task)
    for tasks in by_lab.values():
        _alert_missed(organization, tasks)
    return len(locked)


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
        link=reverse("quality:tasks"),
        unit=unit,
        to_roles=[Role.LAB_REVIEWER, Role.QUALITY],
    )


@transaction.atomic
def open_resample_task(
    result_or_point: Result | SamplingPoint, indicators: list[str], due_within_hours: int
) -> Written[SamplingTask]:
    """Open a re-sampling task at the point (of the result), due now and to be done within
    `due_within_hours`. An open re-sampling task at the same point takes the indicators
    instead, so several exceedances of one sample make one visit: (task, False)."""
    if isinstance(result_or_point, Result):
        cause, point = result_or_point, result_or_point.point
    else:
        cause, point = None, result_or_point
    open_tasks = locks.lock(
        SamplingTask.objects.filter(point=point, kind=TaskKind.RESAMPLE, status=TaskStatus.OPEN)
    )
    if open_tasks:
        open_task = min(open_tasks, key=lambda t: (t.due_at, t.pk))
        merged = list(dict.fromkeys([*open_task.indicators, *indicators]))
        if merged != open_task.indicators:
            open_task.indicators = merged
            open_task.save(update_fields=["indicators"])
        return open_task, False
    now = clock.now()
    task = SamplingTask.objects.create(
        organization_id=point.organization_id,
        point=point,
        lab_id=point.lab_id,
        kind=TaskKind.RESAMPLE,
        indicators=list(dict.fromkeys(indicators)),
        due_at=now,
        deadline=now + dt.timedelta(hours=due_within_hours),
        cause=cause,
    )
    return task, True
