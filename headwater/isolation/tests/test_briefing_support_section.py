"""The isolation briefing's second section: service requests booked and confirmed by day,
escalation flows open and late on the day reported — figures hand-computed."""

import datetime as dt

import pytest

from headwater.core.tiles import resolve
from headwater.isolation.models import Flow, ServiceRequest
from headwater.isolation.sections_support import support_section
from headwater.isolation.tests.conftest import DAY, at, open_case

pytestmark = pytest.mark.django_db
REPORTED = DAY + dt.timedelta(days=6)  # the 7 days end here
BRIEFING = REPORTED + dt.timedelta(days=1)


def _request(case, booked, closed=None):
    return ServiceRequest.objects.create(
        organization=case.organization,
        case=case,
        kind="shopping",
        details="代购",
        window_start=booked,
        window_end=booked + dt.timedelta(hours=2),
        created_at=booked,
        closed_at=closed,
        state="closed" if closed else "open",
    )


def _flow(case, state, opened, due):
    return Flow.objects.create(
        organization=case.organization,
        person=case.person,
        case=case,
        unit=case.unit,
        finding="发热",
        state=state,
        opened_at=opened,
        due_at=due,
    )


def test_no_section_without_any_request_or_flow(org, office_user, people, time_machine):
    time_machine.move_to(at(9))
    open_case(org, office_user, people["operator"])
    assert support_section(org, BRIEFING) is None


def test_requests_by_day_and_the_late_escalation_steps_are_named(
    org, office_user, people, time_machine
):
    time_machine.move_to(at(9))
    case = open_case(org, office_user, people["operator"])
    other = open_case(org, office_user, people["other_plant"])
    day5 = DAY + dt.timedelta(days=5)
    _request(case, at(10, day=day5))  # booked the day before
    _request(case, at(10, day=REPORTED), closed=at(15, day=REPORTED))
    _request(other, at(11, day=REPORTED))
    _request(other, at(23, 30, day=REPORTED))  # 23:30 local is still the day reported
    _request(case, at(9, day=BRIEFING))  # the next morning: not counted
    # Open at the end of the day: one late (its step due at 16:00), one in time (due next day).
    _flow(case, "reported", at(15, day=REPORTED), at(15, 15, day=REPORTED))
    _flow(other, "head_informed", at(23, day=REPORTED), at(9, day=BRIEFING))
    _flow(other, "cleared", at(8, day=day5), None)  # closed

    data = resolve(support_section(org, BRIEFING), "en")

    figures = {f["key"]: (f["value"], f["previous"], f["trend"]) for f in data["figures"]}
    assert figures["isolation.requests_opened"] == (3, 1, [0, 0, 0, 0, 0, 1, 3])
    assert figures["isolation.requests_closed"] == (1, 0, [0, 0, 0, 0, 0, 0, 1])
    assert figures["isolation.flows_late"][0] == 1
    assert data["lines"] == [
        "Service requests: 3 booked, 1 confirmed as delivered.",
        "Escalation flows open: 2; steps past their deadline: 1.",
    ]
    assert data["flags"] == [
        {
            "kind": "overdue",
            "text": f"{case.unit.name} {case.person.name}: the escalation step "
            "“Inform the unit head” is past its deadline",
        }
    ]
    assert data["quiet"] == ""
    zh = resolve(support_section(org, BRIEFING), "zh-hans")
    assert zh["title"] == "隔离服务与应急处置"
