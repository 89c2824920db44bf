"""The isolation part of `headwater demo`: besides the cases, service requests in each state,
escalation flows at three steps and today's supervision sample with a correction, all seen
by the office."""

import pytest

from headwater.core.models import User
from headwater.core.tests.demo_kit import demo_with
from headwater.isolation import demo as isolation_demo
from headwater.isolation.models import Case, ServiceRequest
from headwater.isolation.models_flow import Flow, FlowStep
from headwater.isolation.models_supervision import Correction, SupervisionCall


@pytest.fixture
def demo_org(db, settings, monkeypatch):
    return demo_with(settings, monkeypatch, isolation_demo.build, staff=1600)


def test_the_demo_has_service_requests_in_each_state(demo_org):
    requests = ServiceRequest.objects.filter(organization=demo_org).order_by("pk")
    assert [r.state for r in requests] == ["open", "accepted", "delivered", "closed", "reopened"]
    assert [r.accepted_by_id == r.case.volunteer_id for r in requests[1:]] == [True] * 4
    events = [list(r.events.order_by("at").values_list("state", flat=True)) for r in requests]
    assert events == [
        ["open"],
        ["open", "accepted"],
        ["open", "accepted", "delivered"],
        ["open", "accepted", "delivered", "closed"],
        ["open", "accepted", "delivered", "reopened"],
    ]


def test_the_demo_has_escalation_flows_at_three_steps(demo_org):
    flows = Flow.objects.filter(organization=demo_org).order_by("pk")
    assert [f.state for f in flows] == ["reported", "office_informed", "cleared"]
    assert [f.due_at is None for f in flows] == [False, False, True]
    steps = [list(f.steps.order_by("done_at").values_list("step", flat=True)) for f in flows]
    assert steps == [
        ["reported"],
        ["reported", "head_informed", "office_informed"],
        ["reported", "head_informed", "office_informed", "cleared"],
    ]
    assert FlowStep.objects.filter(organization=demo_org).count() == 8


def test_the_demo_has_todays_supervision_calls_and_a_correction(demo_org):
    calls = SupervisionCall.objects.filter(organization=demo_org).order_by("pk")
    assert [c.called_at is not None for c in calls] == [True, True, False]
    correction = Correction.objects.get(organization=demo_org)
    assert (correction.call, correction.finding, correction.closed_at) == (
        calls[1],
        "supplies",
        None,
    )


def test_the_office_sees_all_of_it(demo_org):
    office = User.objects.get(username="office")
    assert Case.objects.visible_to(office).count() == 3
    assert ServiceRequest.objects.visible_to(office).count() == 5
    assert Flow.objects.visible_to(office).count() == 3
    assert SupervisionCall.objects.visible_to(office).count() == 3
