# ruff: noqa: F811 (fixtures imported from visitors_fixtures: the app's conftest is shared)
"""The host's answer: approve (the pass valid from now for `access.visit_hours`), refuse with a
note; a closed site needs the host's override reason (recorded, audited); an answer given
twice changes nothing, the opposite answer after one is refused with a clear message; the
guard ends the visit at the exit; only the host or the office decides."""

import datetime as dt

import pytest
import time_machine
from auditlog.models import LogEntry

from headwater.access.choices import VisitState
from headwater.access.errors import AccessError
from headwater.access.models import Visit
from headwater.access.services.visits import (
    approve_visit,
    cancel_visit,
    end_visit,
    refuse_visit,
    register_visit,
)
from headwater.access.tests.factories_visitors import make_gate, switch_level, visit_data
from headwater.access.tests.visitors_fixtures import gate, guard, host, other_guard  # noqa: F401
from headwater.core.errors import DomainError, NotAllowed

pytestmark = pytest.mark.django_db
NOON = dt.datetime(2026, 3, 2, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
def pending(org, gate, guard, host):
    switch_level(org, "level2")
    with time_machine.travel(NOON, tick=False):
        return register_visit(gate, visit_data(host="E2"), by=guard)[0]


def test_the_host_approves_and_the_pass_runs_from_the_approval(pending, host):
    with time_machine.travel(NOON + dt.timedelta(minutes=5), tick=False):
        visit, changed = approve_visit(pending, by=host)

    visit.refresh_from_db()
    assert changed is True
    assert (visit.state, visit.decided_by) == (VisitState.APPROVED, host)
    assert visit.valid_until == NOON + dt.timedelta(minutes=5, hours=8)
    assert visit.override_reason == ""


def test_approving_twice_changes_nothing(pending, host):
    first, _ = approve_visit(pending, by=host)
    again, changed = approve_visit(pending, by=host)

    assert (changed, again.valid_until) == (False, first.valid_until)


def test_approve_after_refuse_is_refused_with_a_clear_message(pending, host):
    with time_machine.travel(NOON, tick=False):
        refuse_visit(pending, "今日不接待", by=host)

    with pytest.raises(DomainError) as e:
        approve_visit(pending, by=host)

    assert e.value.code == AccessError.VISIT_STATE
    assert e.value.status == 409
    assert e.value.message == "该来访已被拒绝：如需进入请重新登记。 （03-02 20:00）"
    visit = Visit.objects.get()
    assert (visit.state, visit.decision_note, visit.valid_until) == (
        VisitState.REFUSED,
        "今日不接待",
        None,
    )


def test_refuse_after_approve_is_refused_and_refusing_twice_changes_nothing(pending, host):
    approve_visit(pending, by=host)
    with pytest.raises(DomainError) as e:
        refuse_visit(pending, "晚了", by=host)
    assert e.value.message.startswith("该来访已获批准。")
    assert Visit.objects.get().state == VisitState.APPROVED


def test_a_refusal_needs_a_note(pending, host):
    with pytest.raises(DomainError) as e:
        refuse_visit(pending, "", by=host)

    assert e.value.fields == {"note": "请填写拒绝来访的理由。"}
    assert Visit.objects.get().state == VisitState.PENDING


def test_only_the_host_or_the_office_decides(pending, guard, unit_head_user, office_user):
    for user in (guard, unit_head_user):
        with pytest.raises(NotAllowed):
            approve_visit(pending, by=user)
    assert Visit.objects.get().state == VisitState.PENDING

    visit, changed = approve_visit(pending, by=office_user)
    assert (changed, visit.decided_by) == (True, office_user)


def test_a_closed_site_needs_the_hosts_override_reason_which_is_audited(org, tree, guard, host):
    switch_level(org, "level1")  # water plants are closed at level 1
    plant = make_gate(org, tree["plant1"], kind="water_plant", name="水厂大门")

    with pytest.raises(DomainError) as no_host:
        register_visit(plant, visit_data(), by=guard)
    assert no_host.value.code == AccessError.HOST_REQUIRED
    assert no_host.value.fields["host"] == "本站点实行封闭管理：外来人员须经被访人批准方可进入。"
    assert Visit.objects.count() == 0

    visit, _ = register_visit(plant, visit_data(host="E2"), by=guard)
    with pytest.raises(DomainError) as no_reason:
        approve_visit(visit, by=host)
    assert no_reason.value.fields == {
        "override_reason": "本站点实行封闭管理：请填写该访客必须进入的理由。"
    }
    assert Visit.objects.get().state == VisitState.PENDING

    approve_visit(visit, by=host, override_reason="抢修加氯设备，厂家工程师")
    visit.refresh_from_db()
    assert (visit.state, visit.override_reason) == (VisitState.APPROVED, "抢修加氯设备，厂家工程师")
    event = LogEntry.objects.get(action=LogEntry.Action.ACCESS, object_pk=str(visit.pk))
    assert event.changes == {"override_reason": [None, "抢修加氯设备，厂家工程师"]}


def test_the_guard_ends_the_visit_at_the_exit_and_the_pass_stops(pending, host, guard):
    approve_visit(pending, by=host)
    with time_machine.travel(NOON + dt.timedelta(hours=2), tick=False):
        visit, changed = end_visit(pending, by=guard)
        again, changed_again = end_visit(pending, by=guard)

    visit.refresh_from_db()
    assert (changed, changed_again) == (True, False)
    assert (visit.state, visit.valid_until) == (VisitState.ENDED, NOON + dt.timedelta(hours=2))


def test_a_pending_visit_cannot_be_ended_but_can_be_cancelled(pending, guard, other_guard):
    with pytest.raises(DomainError) as e:
        end_visit(pending, by=guard)
    assert e.value.message == "该来访仍在等待被访人确认。"
    with pytest.raises(NotAllowed):
        cancel_visit(pending, by=other_guard)
    assert Visit.objects.get().state == VisitState.PENDING

    visit, changed = cancel_visit(pending, by=guard)
    assert (changed, visit.state) == (True, VisitState.CANCELLED)
    with pytest.raises(DomainError):
        approve_visit(pending, by=guard.__class__.objects.get(username="operator"))
