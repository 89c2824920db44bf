"""Deadlines of the escalation flow with the test clock: at, before and after each one
(15 minutes to inform the unit head, 30 more to inform the office, 120 to refer, per level);
an overdue step alerts the next level once."""

import datetime as dt

import pytest

from headwater.alerts.models import Alert
from headwater.isolation.models_flow import Flow
from headwater.isolation.services import flow as flows
from headwater.isolation.services.flow_sweep import escalate_overdue_flows
from headwater.isolation.tests.conftest import at, setting

pytestmark = pytest.mark.django_db


@pytest.fixture
def flow(org, office_user, unit_head_user, people, time_machine):
    time_machine.move_to(at(9), tick=False)
    return flows.open_flow(org, people["operator"], "发热 38.5°C", by=office_user)[0]


def sweep(when):
    return escalate_overdue_flows(when)


def alerts():
    return sorted(
        (a.dedup_key, tuple(sorted(i.user.username for i in a.inbox_items.all())))
        for a in Alert.objects.all()
    )


def test_opening_sets_the_first_deadline_15_minutes_on(flow):
    assert flow.due_at == at(9, 15)
    assert list(flow.steps.values_list("step", "deadline")) == [("reported", None)]


@pytest.mark.parametrize(
    ("minute", "raised"), [(14, 0), (15, 1), (16, 1)], ids=["before", "at", "after"]
)
def test_the_unit_head_is_alerted_when_nobody_informed_them_in_time(flow, minute, raised):
    assert sweep(at(9, minute)) == raised
    expected = [(f"isolation.flow:{flow.pk}:reported", ("head",))] if raised else []
    assert alerts() == expected


def test_an_overdue_step_alerts_once(flow):
    assert sweep(at(9, 15)) == 1
    assert sweep(at(9, 16)) == 0
    assert sweep(at(10)) == 0
    assert Alert.objects.count() == 1


def test_a_step_done_in_time_raises_nothing(flow, office_user, time_machine):
    time_machine.move_to(at(9, 14), tick=False)
    flows.advance(flow, "inform_head", by=office_user)
    assert sweep(at(9, 20)) == 0
    assert Alert.objects.count() == 0


@pytest.mark.parametrize(
    ("minute", "raised"), [(39, 0), (40, 1), (41, 1)], ids=["before", "at", "after"]
)
def test_the_office_is_alerted_when_the_head_does_not_inform_it_in_30_minutes(
    flow, unit_head_user, time_machine, minute, raised
):
    time_machine.move_to(at(9, 10), tick=False)
    flow, _ = flows.advance(flow, "inform_head", by=unit_head_user)
    assert flow.due_at == at(9, 40)
    assert flow.steps.last().deadline == at(9, 15)

    assert sweep(at(9, minute)) == raised
    expected = [(f"isolation.flow:{flow.pk}:head_informed", ("office",))] if raised else []
    assert alerts() == expected


@pytest.mark.parametrize(
    ("minutes", "raised"), [(119, 0), (120, 1), (121, 1)], ids=["before", "at", "after"]
)
def test_a_late_referral_alerts_the_office_and_leaders(
    flow, office_user, time_machine, minutes, raised
):
    time_machine.move_to(at(9, 5), tick=False)
    flows.advance(flow, "inform_head", by=office_user)
    flow, _ = flows.advance(flow, "inform_office", by=office_user)
    assert flow.due_at == at(11, 5)

    assert sweep(at(9, 5) + dt.timedelta(minutes=minutes)) == raised
    expected = [(f"isolation.flow:{flow.pk}:office_informed", ("office",))] if raised else []
    assert alerts() == expected


def test_an_outcome_has_no_deadline(flow, office_user):
    for action in ("inform_head", "inform_office", "refer", "confirmed"):
        flow, _ = flows.advance(flow, action, by=office_user)
    assert flow.due_at is None
    assert sweep(at(23)) == 0


def test_the_minutes_are_a_per_level_setting(org, office_user, people, time_machine):
    setting(org, "isolation.flow_inform_head_minutes", 5)
    time_machine.move_to(at(9), tick=False)
    flow, _ = flows.open_flow(org, people["operator"], "咳嗽", by=office_user)
    assert flow.due_at == at(9, 5)


def test_the_sweep_reads_in_one_query_when_nothing_is_late(flow, django_assert_num_queries):
    Flow.objects.update(alerted=False)
    with django_assert_num_queries(1):
        assert sweep(at(9, 1)) == 0
