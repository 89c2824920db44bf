"""Plans generate sampling tasks; overdue tasks are marked missed and the lab head alerted;
exceedances open re-sampling tasks (quality.services.sampling and .plans)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from headwater.alerts.models import Alert, InboxItem
from headwater.core.audit import history
from headwater.core.models import Organization, ResponseLevelChange
from headwater.quality import services
from headwater.quality.models import Sample, SamplingPlan, SamplingPoint, SamplingTask
from headwater.quality.tests.conftest import at

NOV_1 = dt.date(2026, 11, 1)
NOVEMBER = (at(NOV_1, 0), at(dt.date(2026, 12, 1), 0))


@pytest.fixture
def make_plan(org, labs):
    def make(frequency="daily", **fields):
        fields.setdefault("lab", labs["plant1"])
        fields.setdefault("starts_on", dt.date(2026, 1, 1))
        fields.setdefault("indicators", ["turbidity", "free_chlorine"])
        return SamplingPlan.objects.create(
            organization=org, name=f"plan {frequency}", frequency=frequency, **fields
        )

    return make


def generate(org, start, end) -> int:
    # A fresh instance: the response level is read once per instance.
    return services.generate_tasks(Organization.objects.get(pk=org.pk), start, end)


# Generation -------------------------------------------------------------------------------


def test_daily_plan_makes_one_routine_task_per_day_of_november(org, labs, points, make_plan):
    daily = make_plan(point=points["finished"], window_hours=6)

    assert generate(org, *NOVEMBER) == 30

    tasks = list(SamplingTask.objects.order_by("due_at"))
    assert len(tasks) == 30
    first = tasks[0]
    assert (first.plan, first.point, first.lab) == (daily, points["finished"], labs["plant1"])
    assert (first.kind, first.status) == ("routine", "open")
    assert first.indicators == ["turbidity", "free_chlorine"]
    assert first.due_at == at(NOV_1, 8)
    assert first.deadline == at(NOV_1, 14)
    assert tasks[-1].due_at == at(dt.date(2026, 11, 30), 8)


def test_each_frequency_makes_its_count_of_november_tasks(org, points, make_plan):
    finished = points["finished"]
    plans = {
        "daily": make_plan("daily", point=finished),
        "twice": make_plan("times", point=finished, times=["08:00", "16:00"]),
        "mon_tue": make_plan("weekdays", point=finished, weekdays=[0, 1]),
        "six_hours": make_plan("hours", point=finished, every_hours=6),
        "monthly": make_plan("monthly", point=finished, day_of_month=31),
    }

    assert generate(org, *NOVEMBER) == 30 + 60 + 9 + 120 + 1

    def due(name):
        return list(plans[name].tasks.order_by("due_at").values_list("due_at", flat=True))

    assert len(due("daily")) == 30
    assert len(due("twice")) == 60
    assert due("mon_tue") == [
        at(dt.date(2026, 11, d), 8) for d in (2, 3, 9, 10, 16, 17, 23, 24, 30)
    ]
    assert len(due("six_hours")) == 120
    assert due("monthly") == [at(dt.date(2026, 11, 30), 8)]


def test_half_yearly_plan_makes_two_tasks_a_year(org, points, make_plan):
    make_plan("half_yearly", point=points["raw"], day_of_month=1, months=[1, 7])

    assert generate(org, at(dt.date(2026, 1, 1), 0), at(dt.date(2027, 1, 1), 0)) == 2

    assert list(SamplingTask.objects.values_list("due_at", flat=True)) == [
        at(dt.date(2026, 1, 1), 8),
        at(dt.date(2026, 7, 1), 8),
    ]


def test_plan_for_a_kind_covers_every_active_point_of_that_kind(org, tree, labs, points, make_plan):
    SamplingPoint.objects.create(
        organization=org,
        code="NET-2",
        name="河西管网末梢",
        kind="network",
        unit=tree["company"],
        lab=labs["plant1"],
    )
    SamplingPoint.objects.create(
        organization=org,
        code="NET-9",
        name="停用点",
        kind="network",
        unit=tree["company"],
        lab=labs["central"],
        active=False,
    )
    make_plan("weekdays", point_kind="network", weekdays=[0, 1], lab=labs["central"])

    assert generate(org, *NOVEMBER) == 18

    per_point = {
        code: SamplingTask.objects.filter(point__code=code).count()
        for code in ("NET-1", "NET-2", "NET-9", "SEC-1", "TAP-1")
    }
    assert per_point == {"NET-1": 9, "NET-2": 9, "NET-9": 0, "SEC-1": 0, "TAP-1": 0}
    # The task goes to the plan's lab, not to the point's own.
    assert set(SamplingTask.objects.values_list("lab__code", flat=True)) == {"QC"}


def test_generating_again_or_over_an_overlapping_window_creates_nothing_new(org, points, make_plan):
    make_plan("times", point=points["finished"], times=["08:00", "16:00"])
    assert generate(org, *NOVEMBER) == 60

    assert generate(org, *NOVEMBER) == 0
    assert generate(org, at(dt.date(2026, 11, 30), 12), at(dt.date(2026, 12, 1), 12)) == 1

    assert SamplingTask.objects.count() == 61


def test_nothing_is_generated_before_the_plan_starts(org, points, make_plan):
    make_plan(point=points["finished"], starts_on=dt.date(2026, 11, 21))

    assert generate(org, *NOVEMBER) == 10

    assert SamplingTask.objects.order_by("due_at").first().due_at == at(dt.date(2026, 11, 21), 8)


def test_plan_for_response_levels_runs_only_at_those_levels(org, points, make_plan):
    make_plan(point=points["network"], levels=["level1", "level2"])

    assert generate(org, *NOVEMBER) == 0

    ResponseLevelChange.objects.create(organization=org, level="level2", reason="疫情")
    assert generate(org, *NOVEMBER) == 30

    ResponseLevelChange.objects.create(
        organization=org,
        level="level3",
        reason="降级",
        changed_at=ResponseLevelChange.objects.get().changed_at + dt.timedelta(minutes=1),
    )
    assert generate(org, at(dt.date(2026, 12, 1), 0), at(dt.date(2026, 12, 2), 0)) == 0
    assert SamplingTask.objects.count() == 30


def test_inactive_plan_generates_nothing(org, points, make_plan):
    make_plan(point=points["finished"], active=False)

    assert generate(org, *NOVEMBER) == 0

    assert SamplingTask.objects.count() == 0


def test_plan_of_an_inactive_point_generates_nothing(org, points, make_plan):
    make_plan(point=points["raw"])
    SamplingPoint.objects.filter(pk=points["raw"].pk).update(active=False)

    assert generate(org, *NOVEMBER) == 0


def test_generation_reads_with_four_queries_however_many_points(org, tree, labs, make_plan):
    for n in range(60):
        SamplingPoint.objects.create(
            organization=org,
            code=f"N{n:02d}",
            name=f"管网点{n}",
            kind="network",
            unit=tree["company"],
            lab=labs["central"],
        )
    make_plan("times", point_kind="network", times=["08:00", "16:00"], lab=labs["central"])
    make_plan("hours", point_kind="network", every_hours=2, lab=labs["central"])
    fresh = Organization.objects.get(pk=org.pk)

    with CaptureQueriesContext(connection) as queries:
        created = services.generate_tasks(
            fresh, at(NOV_1, 0), at(NOV_1, 0) + dt.timedelta(hours=26)
        )

    # 26 hours from midnight: 08:00 and 16:00 once, every 2 hours 12 + 1 times (00:00 next
    # day). Reads: level, plans, points, existing tasks; then inserts in batches.
    reads = [q for q in queries.captured_queries if not q["sql"].startswith("INSERT")]
    assert len(reads) == 4
    assert created == 60 * 2 + 60 * (12 + 1) == SamplingTask.objects.count()


# Missed tasks -----------------------------------------------------------------------------


def make_task(org, point, *, due=None, window=8, status="open") -> SamplingTask:
    due = due or at(NOV_1, 8)
    return SamplingTask.objects.create(
        organization=org,
        point=point,
        lab=point.lab,
        indicators=["turbidity"],
        due_at=due,
        deadline=due + dt.timedelta(hours=window),
        status=status,
    )


def test_task_is_missed_only_after_its_deadline(org, points, lab_head):
    task = make_task(org, points["finished"])  # deadline 16:00

    assert services.mark_missed(org, at(NOV_1, 16)) == 0
    task.refresh_from_db()
    assert (task.status, task.missed_alerted) == ("open", False)
    assert Alert.objects.count() == 0

    assert services.mark_missed(org, at(NOV_1, 16, 1)) == 1
    task.refresh_from_db()
    assert (task.status, task.missed_alerted) == ("missed", True)


def test_missing_is_recorded_in_the_audit_trail(org, points):
    task = make_task(org, points["finished"])

    services.mark_missed(org, at(NOV_1, 17))

    entry = history(task).first()
    assert entry.changes_dict["status"] == ["open", "missed"]


def test_one_alert_per_lab_lists_its_missed_points_and_reaches_the_lab_head(
    org, points, lab_head, approver, technician
):
    make_task(org, points["raw"])
    make_task(org, points["finished"])
    make_task(org, points["finished"], due=at(NOV_1, 10))
    make_task(org, points["network"])
    make_task(org, points["tap"], due=at(NOV_1, 12))  # deadline 20:00: not yet

    assert services.mark_missed(org, at(NOV_1, 19)) == 4

    alerts = list(Alert.objects.order_by("id"))
    assert len(alerts) == 2
    plant, central = alerts
    assert plant.title == "第一水厂化验室：3 个采样任务已漏采"
    assert plant.body.splitlines() == [
        "FIN-1 一厂出厂水 · 2026-11-01 08:00",
        "RAW-1 一厂取水口 · 2026-11-01 08:00",
        "FIN-1 一厂出厂水 · 2026-11-01 10:00",
    ]
    assert central.title == "中心化验室：1 个采样任务已漏采"
    for alert in alerts:
        assert (alert.kind, alert.severity, alert.link) == (
            "quality.task_missed",
            "warning",
            "/quality/tasks/",
        )
    assert list(InboxItem.objects.filter(user=lab_head).values_list("alert", flat=True)) == [
        plant.pk
    ]
    assert InboxItem.objects.filter(user=approver).count() == 2
    assert InboxItem.objects.filter(user=technician).count() == 0


def test_missed_tasks_are_alerted_once(org, points):
    make_task(org, points["raw"])
    services.mark_missed(org, at(NOV_1, 17))

    assert services.mark_missed(org, at(NOV_1, 18)) == 0

    assert Alert.objects.count() == 1


def test_done_and_cancelled_tasks_are_never_missed(org, points):
    done = make_task(org, points["raw"], status="done")
    cancelled = make_task(org, points["finished"], status="cancelled")

    assert services.mark_missed(org, at(dt.date(2026, 11, 3), 8)) == 0

    done.refresh_from_db()
    cancelled.refresh_from_db()
    assert (done.status, cancelled.status) == ("done", "cancelled")
    assert Alert.objects.count() == 0


# Re-sampling ------------------------------------------------------------------------------


def test_resample_task_is_due_now_at_the_point_and_its_lab(org, points, clock_at):
    clock_at(at(NOV_1, 9, 30))

    task, _created = services.open_resample_task(points["network"], ["free_chlorine"], 4)

    assert (task.kind, task.status, task.point, task.lab) == (
        "resample",
        "open",
        points["network"],
        points["network"].lab,
    )
    assert task.plan is None
    assert task.indicators == ["free_chlorine"]
    assert (task.due_at, task.deadline) == (at(NOV_1, 9, 30), at(NOV_1, 13, 30))


def test_second_exceedance_at_a_point_joins_its_open_resample_task(org, points, clock_at):
    clock_at(at(NOV_1, 9))
    first, _created = services.open_resample_task(
        points["network"], ["free_chlorine", "turbidity"], 4
    )
    clock_at(at(NOV_1, 10))

    again, _created = services.open_resample_task(points["network"], ["turbidity", "ph"], 4)
    same, _created = services.open_resample_task(points["network"], ["ph"], 4)

    assert again.pk == first.pk == same.pk
    first.refresh_from_db()
    assert first.indicators == ["free_chlorine", "turbidity", "ph"]
    assert first.deadline == at(NOV_1, 13)
    assert SamplingTask.objects.count() == 1


def test_resample_opens_a_new_task_once_the_last_one_is_done(org, points, clock_at):
    clock_at(at(NOV_1, 9))
    first, _created = services.open_resample_task(points["network"], ["ph"], 4)
    SamplingTask.objects.filter(pk=first.pk).update(status="done")
    services.open_resample_task(points["tap"], ["ph"], 4)

    second, _created = services.open_resample_task(points["network"], ["ph"], 4)

    assert second.pk != first.pk
    assert SamplingTask.objects.filter(point=points["network"], status="open").count() == 1


def test_resample_from_a_result_names_it_as_the_cause(org, points, clock_at):
    from headwater.quality.models import Result

    clock_at(at(NOV_1, 9))
    point = points["finished"]
    sample = Sample.objects.create(
        organization=org, point=point, lab=point.lab, sampled_at=at(NOV_1, 8), source="task"
    )
    result = Result.objects.create(
        organization=org,
        sample=sample,
        point=point,
        unit=point.unit,
        point_kind=point.kind,
        sampled_at=sample.sampled_at,
        sampled_on=NOV_1,
        indicator="turbidity",
        raw="1.5",
        value="1.5",
        outcome="fail",
    )

    task, _created = services.open_resample_task(result, ["turbidity"], 8)

    assert (task.cause, task.point, task.deadline) == (result, point, at(NOV_1, 17))


# Plan validation --------------------------------------------------------------------------


@pytest.fixture
def catalog_ready(monkeypatch):
    """Three known indicators: validation is tested apart from the catalog's contents."""
    from headwater.quality import catalog

    known = {"turbidity": object(), "free_chlorine": object(), "ph": object()}
    monkeypatch.setattr(catalog, "indicators", lambda: known, raising=False)


def unsaved(org, labs, points, **fields) -> SamplingPlan:
    values = {
        "organization": org,
        "name": " 出厂水日检 ",
        "lab": labs["plant1"],
        "point": points["finished"],
        "indicators": ["turbidity", "turbidity", "free_chlorine"],
        "frequency": "daily",
    }
    return SamplingPlan(**{**values, **fields})


def test_valid_plan_is_normalized(org, labs, points, catalog_ready):
    plan = unsaved(org, labs, points, frequency="times", times=["16:00", "8:00"])

    assert services.clean_plan(plan) == {}

    assert (plan.name, plan.indicators, plan.times) == (
        "出厂水日检",
        ["turbidity", "free_chlorine"],
        ["08:00", "16:00"],
    )


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"frequency": "hours", "every_hours": 5}, "every_hours"),
        ({"frequency": "hours", "every_hours": None}, "every_hours"),
        ({"frequency": "hours", "every_hours": 48}, "every_hours"),
        ({"frequency": "times", "times": []}, "times"),
        ({"times": ["8 o'clock"]}, "times"),
        ({"frequency": "weekdays", "weekdays": []}, "weekdays"),
        ({"frequency": "weekdays", "weekdays": [7]}, "weekdays"),
        ({"frequency": "monthly", "day_of_month": None}, "day_of_month"),
        ({"frequency": "half_yearly", "day_of_month": 1, "months": [13]}, "months"),
        ({"frequency": "yearly"}, "frequency"),
        ({"point": None}, "point_kind"),
        ({"point_kind": "network"}, "point_kind"),
        ({"indicators": []}, "indicators"),
        ({"indicators": ["unobtainium"]}, "indicators"),
        ({"levels": ["level9"]}, "levels"),
        ({"window_hours": 0}, "window_hours"),
    ],
)
def test_invalid_plan_names_the_bad_field(org, labs, points, catalog_ready, fields, field):
    plan = unsaved(org, labs, points, **fields)

    assert list(services.clean_plan(plan)) == [field]


def test_every_hours_dividing_24_is_accepted(org, labs, points, catalog_ready):
    for hours in (1, 2, 3, 4, 6, 8, 12, 24):
        assert (
            services.clean_plan(unsaved(org, labs, points, frequency="hours", every_hours=hours))
            == {}
        )


# Periodic tasks ---------------------------------------------------------------------------


def test_hourly_run_generates_the_next_26_hours(org, points, make_plan, clock_at):
    from headwater.quality import tasks

    make_plan(point=points["finished"])
    clock_at(at(NOV_1, 7))

    assert tasks.generate_sampling_tasks.call_local() == 2

    due = SamplingTask.objects.order_by("due_at").values_list("due_at", flat=True)
    assert list(due) == [at(NOV_1, 8), at(dt.date(2026, 11, 2), 8)]


def test_quarter_hourly_run_marks_overdue_tasks_missed(org, points, clock_at):
    from headwater.quality import tasks

    make_task(org, points["finished"])
    clock_at(at(NOV_1, 16, 15))

    assert tasks.mark_missed_tasks.call_local() == 1

    assert SamplingTask.objects.get().status == "missed"
