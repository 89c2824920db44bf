"""Entering results, exceedances, the three-level review, internal limits and relaxations."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils.translation import gettext

from headwater.alerts.models import Alert, InboxItem
from headwater.core import levels
from headwater.core.errors import DomainError, NotAllowed
from headwater.core.tests.factories import PersonFactory, make_user
from headwater.quality import services
from headwater.quality.imports import import_results
from headwater.quality.inputs import LimitInput, RelaxationInput
from headwater.quality.models import Relaxation, Result, Sample, SamplingTask
from headwater.quality.tests.conftest import at

DAY = dt.date(2026, 11, 2)


@pytest.fixture
def monday(clock_at):
    clock_at(at(DAY, 10))


def enter(point, by, hour=9, **values):
    sample, _created = services.record_sample(point, sampled_at=at(DAY, hour), values=values, by=by)
    return sample


def outcomes(sample):
    return dict(sample.results.values_list("indicator", "outcome"))


def test_results_are_evaluated_when_entered(monday, points, technician):
    sample = enter(points["finished"], technician, turbidity="0.3", ph="8.5", free_chlorine="0.29")
    assert outcomes(sample) == {"turbidity": "pass", "ph": "pass", "free_chlorine": "fail"}
    chlorine = sample.results.get(indicator="free_chlorine")
    assert chlorine.value == Decimal("0.29")
    assert chlorine.status == "entered"
    assert chlorine.standard == "GB 5749-2022"
    assert chlorine.sampled_on == DAY


def test_a_bad_value_names_the_field_and_stores_nothing(monday, points, technician):
    with pytest.raises(DomainError) as e:
        enter(points["finished"], technician, turbidity="0.3", ph="abc")
    assert set(e.value.fields) == {"ph"}
    assert Sample.objects.count() == 0
    assert Result.objects.count() == 0


def test_a_sampling_time_in_the_future_is_refused(monday, points, technician):
    with pytest.raises(DomainError):
        services.record_sample(
            points["finished"], sampled_at=at(DAY, 12), values={"ph": "7"}, by=technician
        )
    assert Sample.objects.count() == 0


def test_a_technician_cannot_enter_results_for_another_plant(monday, points, other_plant_tech):
    with pytest.raises(NotAllowed):
        enter(points["finished"], other_plant_tech, ph="7")


def test_an_exceedance_alerts_the_lab_head_and_opens_one_resampling_task(
    monday, points, technician, lab_head, office_user
):
    sample = enter(points["finished"], technician, turbidity="1.2", ph="7.0")
    alert = Alert.objects.get(kind="quality.exceedance")
    assert alert.severity == "critical"
    assert alert.link == f"/quality/samples/{sample.pk}/"
    recipients = set(InboxItem.objects.filter(alert=alert).values_list("user__username", flat=True))
    assert {"labhead", "office"} <= recipients
    assert "tech" not in recipients
    task = SamplingTask.objects.get(kind="resample")
    assert (task.point, task.indicators) == (points["finished"], ["turbidity"])
    assert task.deadline == at(DAY, 10) + dt.timedelta(hours=24)


def test_entering_the_same_task_again_corrects_and_creates_nothing_new(
    monday, points, labs, technician
):
    task = SamplingTask.objects.create(
        organization=points["finished"].organization,
        point=points["finished"],
        lab=labs["plant1"],
        indicators=["ph", "turbidity"],
        due_at=at(DAY, 8),
        deadline=at(DAY, 16),
    )
    first, _created = services.record_sample(
        task.point, sampled_at=at(DAY, 8, 30), values={"ph": "7.0"}, by=technician, task=task
    )
    again, _created = services.record_sample(
        task.point,
        sampled_at=at(DAY, 9),
        values={"ph": "7.1", "turbidity": "0.2"},
        by=technician,
        task=task,
    )
    assert again.pk == first.pk
    assert dict(again.results.values_list("indicator", "raw")) == {"ph": "7.1", "turbidity": "0.2"}
    task.refresh_from_db()
    assert task.status == "done"


def test_an_indicator_outside_the_task_is_refused(monday, points, labs, technician):
    task = SamplingTask.objects.create(
        organization=points["finished"].organization,
        point=points["finished"],
        lab=labs["plant1"],
        indicators=["ph"],
        due_at=at(DAY, 8),
        deadline=at(DAY, 16),
    )
    with pytest.raises(DomainError) as e:
        services.record_sample(
            task.point,
            sampled_at=at(DAY, 9),
            values={"turbidity": "0.2"},
            by=technician,
            task=task,
        )
    assert set(e.value.fields) == {"turbidity"}


def test_repeated_exceedances_escalate_to_the_leaders(monday, points, technician, org, people):
    leader = make_user(
        "leader", person=PersonFactory(unit=people["clerk"].unit), roles=[("leader", None)]
    )
    assert levels.value(org, "quality.escalate_after") == 3
    for hour in (6, 7):
        enter(points["finished"], technician, hour=hour, turbidity="1.5")
    assert not InboxItem.objects.filter(user=leader).exists()
    enter(points["finished"], technician, hour=8, turbidity="1.5")
    last = Alert.objects.filter(kind="quality.exceedance").order_by("-id").first()
    assert InboxItem.objects.filter(user=leader, alert=last).exists()
    assert last.severity == "critical"
    # One re-sampling task stays open for the point; it gathers the indicators.
    assert SamplingTask.objects.filter(kind="resample", status="open").count() == 1


def test_raw_water_is_classified_and_class_four_alerts(monday, points, technician):
    sample = enter(points["raw"], technician, ammonia="0.4")
    result = sample.results.get()
    assert (result.outcome, result.source_class) == ("classified", 2)
    assert not Alert.objects.filter(kind="quality.exceedance").exists()
    sample = enter(points["raw"], technician, hour=8, ammonia="1.2")
    assert sample.results.get().source_class == 4
    assert Alert.objects.filter(kind="quality.exceedance").count() == 1


# --- The three-level review --------------------------------------------------------------


def test_results_go_entered_checked_approved_and_only_then_count(
    monday, points, technician, lab_head, approver
):
    sample = enter(points["finished"], technician, ph="7.0", turbidity="0.2")
    results = list(sample.results.all())
    assert Result.objects.official().count() == 0
    assert services.check_results(results, by=lab_head) == 2
    assert Result.objects.official().count() == 0
    assert services.approve_results(Result.objects.filter(sample=sample), by=approver) == 2
    assert Result.objects.official().count() == 2
    r = Result.objects.get(sample=sample, indicator="ph")
    assert (r.checked_by, r.approved_by) == (lab_head, approver)


def test_approving_before_the_check_is_refused(monday, points, technician, approver):
    sample = enter(points["finished"], technician, ph="7.0")
    with pytest.raises(DomainError) as e:
        services.approve_results(sample.results.all(), by=approver)
    assert e.value.code == "wrong_state"
    assert sample.results.get().status == "entered"


def test_a_technician_cannot_check(monday, points, technician):
    sample = enter(points["finished"], technician, ph="7.0")
    with pytest.raises(NotAllowed):
        services.check_results(sample.results.all(), by=technician)


def test_a_lab_head_cannot_check_another_plants_results(monday, points, technician, tree):
    other_head = make_user(
        "head2", person=PersonFactory(unit=tree["plant2"]), roles=[("lab_reviewer", tree["plant2"])]
    )
    sample = enter(points["finished"], technician, ph="7.0")
    with pytest.raises(NotAllowed):
        services.check_results(sample.results.all(), by=other_head)


def test_returning_needs_a_reason_and_tells_the_technician(monday, points, technician, lab_head):
    sample = enter(points["finished"], technician, ph="7.0")
    with pytest.raises(DomainError) as e:
        services.return_results(sample.results.all(), by=lab_head, reason="  ")
    assert set(e.value.fields) == {"reason"}
    services.return_results(sample.results.all(), by=lab_head, reason="复测pH，仪器未校准")
    r = sample.results.get()
    assert (r.status, r.return_reason) == ("returned", "复测pH，仪器未校准")
    assert InboxItem.objects.filter(user=technician, alert__kind="quality.returned").exists()
    # The technician corrects it: it is entered again, waiting for the check.
    services.record_sample(
        points["finished"], sampled_at=at(DAY, 9), values={"ph": "7.2"}, by=technician
    )
    r.refresh_from_db()
    assert (r.status, r.raw, r.return_reason) == ("entered", "7.2", "")


def test_a_checked_result_can_no_longer_be_changed_by_the_technician(
    monday, points, technician, lab_head
):
    sample = enter(points["finished"], technician, ph="7.0")
    services.check_results(sample.results.all(), by=lab_head)
    with pytest.raises(DomainError) as e:
        enter(points["finished"], technician, ph="7.4")
    assert e.value.code == "already_checked"
    assert sample.results.get().raw == "7.0"


# --- Internal limits and relaxations -----------------------------------------------------


def test_an_internal_limit_warns_without_failing_the_national_one(
    monday, points, technician, approver, org
):
    services.save_internal_limit(
        LimitInput(
            indicator="turbidity",
            point_kind="finished",
            maximum=Decimal("0.5"),
            valid_from=DAY,
        ),
        by=approver,
    )
    sample = enter(points["finished"], technician, turbidity="0.6")
    r = sample.results.get()
    assert (r.outcome, r.internal_outcome) == ("pass", "fail")


@pytest.fixture
def leader(people):
    return make_user(
        "leader", person=PersonFactory(unit=people["clerk"].unit), roles=[("leader", None)]
    )


def relaxation(org, **fields):
    values = {
        "indicator": "turbidity",
        "point_kind": "",
        "maximum": Decimal("3"),
        "valid_from": DAY,
        "valid_until": DAY + dt.timedelta(days=30),
        "reason": "暴雨后原水浊度高",
        "risk_assessment": "经专家评估，短期内浑浊度≤3 NTU 风险可控。",
    }
    return RelaxationInput(**(values | fields))


def test_an_approved_relaxation_applies_and_is_shown_on_the_result(
    monday, points, technician, approver, leader, org
):
    r, _created = services.propose_relaxation(relaxation(org), by=approver)
    before = enter(points["finished"], technician, hour=7, turbidity="2").results.get()
    assert before.outcome == "fail"
    services.decide_relaxation(r, by=leader, approve=True)
    after = enter(points["finished"], technician, hour=8, turbidity="2").results.get()
    assert after.outcome == "pass"
    assert after.relaxation == r
    assert "3" in after.limit_text


def test_the_proposer_cannot_approve_their_own_relaxation(monday, people, office_user, org):
    both = make_user(
        "both",
        person=PersonFactory(unit=people["clerk"].unit),
        roles=[("quality", None), ("leader", None)],
    )
    r, _created = services.propose_relaxation(relaxation(org), by=both)
    with pytest.raises(NotAllowed) as e:
        services.decide_relaxation(r, by=both, approve=True)
    assert e.value.message == gettext(
        "A relaxation must be approved by someone other than its proposer."
    )
    services.decide_relaxation(r, by=office_user, approve=False)
    r.refresh_from_db()
    assert r.status == "rejected"


def test_only_general_indicators_may_be_relaxed(monday, approver, org):
    with pytest.raises(DomainError) as e:
        services.propose_relaxation(
            relaxation(org, indicator="arsenic", maximum=Decimal("0.05")), by=approver
        )
    assert set(e.value.fields) == {"indicator"}
    assert Relaxation.objects.count() == 0


def test_a_relaxation_is_time_limited(monday, approver, org):
    with pytest.raises(DomainError) as e:
        services.propose_relaxation(
            relaxation(org, valid_until=DAY + dt.timedelta(days=91)), by=approver
        )
    assert set(e.value.fields) == {"valid_until"}


def test_nobody_checks_their_own_entries_nor_approves_their_own_checks(
    monday, points, lab_head, tree, people
):
    sample = enter(points["finished"], lab_head, ph="7.0")
    with pytest.raises(NotAllowed):
        services.check_results(sample.results.all(), by=lab_head)
    both = make_user(
        "both",
        person=PersonFactory(unit=people["clerk"].unit),
        roles=[("lab_reviewer", tree["plant1"]), ("quality", None)],
    )
    services.check_results(sample.results.all(), by=both)
    with pytest.raises(NotAllowed):
        services.approve_results(sample.results.all(), by=both)
    assert sample.results.get().status == "checked"


def test_the_trihalomethane_ratio_sum_is_stored_with_its_members(monday, points, technician):
    sample = enter(points["finished"], technician, chloroform="0.03", bromodichloromethane="0.031")
    thm = sample.results.get(indicator="thm")
    assert thm.value == Decimal("1.01666667")
    assert thm.outcome == "fail"


def test_an_old_exceedance_is_history_not_an_alert(monday, points, technician):
    old = DAY - dt.timedelta(days=services.RECENT_DAYS + 1)
    services.record_sample(
        points["finished"], sampled_at=at(old, 9), values={"turbidity": "1.5"}, by=technician
    )
    assert Result.objects.get().outcome == "fail"
    assert not Alert.objects.filter(kind="quality.exceedance").exists()
    assert not SamplingTask.objects.filter(kind="resample").exists()


def test_an_import_with_many_exceedances_at_a_point_raises_one_alert(
    monday, points, technician, org
):
    rows = "".join(f"FIN-1,2026-10-3{i // 12} {i % 12:02d}:00,浑浊度,1.{i}\n" for i in range(24))
    report = import_results(
        ("采样点编号,采样时间,指标,结果\n" + rows).encode(),
        "t.csv",
        organization=org,
        by=technician,
    )
    assert report.ok, report.bad_rows
    alert = Alert.objects.get(kind="quality.exceedance")
    assert alert.title.count("浑浊度") == 1
    assert len(alert.body.splitlines()) == services.MAX_LINES + 2  # the rest counted; repeated
    assert SamplingTask.objects.filter(kind="resample").count() == 1


def test_an_import_adding_to_a_sample_with_a_trihalomethane_sum_keeps_the_stored_one(
    monday, points, technician, org
):
    enter(points["finished"], technician, hour=8, chloroform="0.03")
    csv = "采样点编号,采样时间,指标,结果\nFIN-1,2026-11-02 08:00,三溴甲烷,0.01\n"
    report = import_results(csv.encode(), "t.csv", organization=org, by=technician)
    assert report.ok, report.bad_rows
    sample = Sample.objects.get()
    assert sorted(sample.results.values_list("indicator", flat=True)) == [
        "bromoform",
        "chloroform",
        "thm",
    ]
