# ruff: noqa: F811 (fixtures imported from visitors_fixtures: the app's conftest is shared)
"""Registering a visitor at a gate: approved at once when the level does not ask for the
host, pending (and the host told) when it does, refused without a host where one is required
(nothing written), refused for a fever (recorded, the office alerted once), idempotent."""

import datetime as dt

import pytest
import time_machine

from headwater.access.choices import VisitState
from headwater.access.errors import AccessError
from headwater.access.models import Visit
from headwater.access.services.visits import register_visit
from headwater.access.tests.factories_visitors import (
    add_to_team,
    set_setting,
    switch_level,
    visit_data,
)
from headwater.access.tests.visitors_fixtures import gate, guard, host, other_guard  # noqa: F401
from headwater.alerts.models import Alert, InboxItem
from headwater.core.errors import DomainError, NotAllowed
from headwater.core.tests.factories import PersonFactory, make_user

pytestmark = pytest.mark.django_db
NOON = dt.datetime(2026, 3, 2, 12, 0, tzinfo=dt.UTC)


@time_machine.travel(NOON, tick=False)
def test_without_host_requirement_the_visit_is_approved_for_the_configured_hours(gate, guard):
    visit, created = register_visit(gate, visit_data(), by=guard, key="k1")

    visit.refresh_from_db()
    assert created is True
    assert (visit.state, visit.site_id, visit.gate_id) == (
        VisitState.APPROVED,
        gate.site_id,
        gate.pk,
    )
    assert visit.valid_until == NOON + dt.timedelta(hours=8)
    assert (visit.registered_by, visit.decided_by, visit.host) == (guard, guard, None)
    assert visit.id_number == "330784199001011231"


@time_machine.travel(NOON, tick=False)
def test_the_level_that_asks_for_the_host_leaves_the_visit_pending_and_tells_the_host(
    org, gate, guard, host
):
    switch_level(org, "level2")  # visit_needs_host is on at levels 1 and 2

    visit, _ = register_visit(gate, visit_data(host="E2"), by=guard)

    assert (visit.state, visit.host_id, visit.valid_until) == (
        VisitState.PENDING,
        host.person_id,
        None,
    )
    alert = Alert.objects.get(kind="access.visit_pending")
    assert list(InboxItem.objects.filter(alert=alert).values_list("user_id", flat=True)) == [
        host.pk
    ]
    assert alert.deliveries.count() == 0  # the host's inbox only, no group robot


def test_a_setting_per_level_asks_for_the_host_at_normal_level_too(org, gate, guard, host):
    set_setting(org, "access.visit_needs_host", True, level="normal")

    visit, _ = register_visit(gate, visit_data(host="13912345678"), by=guard)

    assert (visit.state, visit.host_id) == (VisitState.PENDING, host.person_id)


def test_a_visitor_without_a_host_where_required_is_refused_and_nothing_written(org, gate, guard):
    switch_level(org, "level1")

    with pytest.raises(DomainError) as e:
        register_visit(gate, visit_data(), by=guard, key="k2")

    assert e.value.code == AccessError.HOST_REQUIRED
    assert "host" in e.value.fields
    assert (Visit.objects.count(), Alert.objects.count()) == (0, 0)


def test_an_unknown_or_ambiguous_host_is_refused_by_name(org, gate, guard, tree):
    PersonFactory(unit=tree["plant2"], name="同名", employee_no="N1")
    PersonFactory(unit=tree["plant2"], name="同名", employee_no="N2")

    with pytest.raises(DomainError) as unknown:
        register_visit(gate, visit_data(host="无此人"), by=guard)
    with pytest.raises(DomainError) as several:
        register_visit(gate, visit_data(host="同名"), by=guard)

    assert unknown.value.fields["host"] == "组织内没有名字或工号为 无此人 的人员。"
    assert several.value.fields["host"] == "有多人名为 同名，请填写工号。"
    assert Visit.objects.count() == 0


def test_a_fever_refuses_the_visit_and_alerts_the_office_once(org, gate, guard, office_user):
    visit, created = register_visit(gate, visit_data(temperature="38.2"), by=guard, key="f1")
    again, created_again = register_visit(gate, visit_data(temperature="38.2"), by=guard, key="f1")

    assert (created, created_again, again.pk) == (True, False, visit.pk)
    visit.refresh_from_db()
    assert visit.state == VisitState.REFUSED
    assert visit.decision_note == "登记时发热：38.2 °C"
    assert visit.valid_until is None
    assert Visit.objects.count() == 1
    alert = Alert.objects.get(kind="access.visitor_fever")
    assert list(alert.inbox_items.values_list("user_id", flat=True)) == [office_user.pk]


def test_a_visitor_temperature_outside_the_body_range_is_measured_again(gate, guard):
    with pytest.raises(DomainError) as e:
        register_visit(gate, visit_data(temperature="43.0"), by=guard)

    assert e.value.fields == {"temperature": "43.0 °C 超出 34.0–42.5 °C 范围，请重新测量。"}
    assert Visit.objects.count() == 0


def test_the_temperature_is_required_at_a_gate_that_takes_it(gate, guard):
    with pytest.raises(DomainError) as e:
        register_visit(gate, visit_data(temperature=""), by=guard)

    assert e.value.fields == {"temperature": "请先测量来访人员体温。"}
    assert Visit.objects.count() == 0


def test_a_retry_with_the_same_key_returns_the_first_visit(gate, guard):
    first, created = register_visit(gate, visit_data(), by=guard, key="same")
    second, created_again = register_visit(gate, visit_data(name="王另一"), by=guard, key="same")

    assert (created, created_again, second.pk) == (True, False, first.pk)
    assert list(Visit.objects.values_list("name", flat=True)) == ["张来访"]


def test_bad_input_names_each_field_in_chinese():
    with pytest.raises(DomainError) as e:
        visit_data(name="", phone="123", id_number="330784199001011230", reason="", plate="ABC")

    assert e.value.fields == {
        "name": "请填写来访人员姓名。",
        "phone": "手机号码格式不正确：123",
        "id_number": "身份证号码格式不正确：330784199001011230",
        "reason": "请填写来访事由。",
        "plate": "车牌号为省份简称、一个字母和 5 或 6 位字母或数字，例如 浙A12345 或 浙AD12345。",
    }


def test_a_guard_of_another_gate_may_not_register_here(gate, other_guard):
    with pytest.raises(NotAllowed):
        register_visit(gate, visit_data(), by=other_guard)

    assert Visit.objects.count() == 0


def test_a_member_of_the_gates_team_registers_without_a_guard_grant(gate, tree):
    person = PersonFactory(unit=tree["plant2"], name="队员", employee_no="T1")
    member = make_user("member", person=person, roles=[("staff", None)])
    add_to_team(gate, person)

    visit, created = register_visit(gate, visit_data(), by=member)

    assert (created, visit.registered_by) == (True, member)
