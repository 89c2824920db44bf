# ruff: noqa: F811 (fixtures imported from visitors_fixtures: the app's conftest is shared)
"""Vehicles at a gate: allowed and recorded with their disinfection; a driver with a fever is
refused and the office alerted once; a closed site refuses an outside vehicle unless a host
let it in (their name and reason recorded, audited) and then only disinfected; a vehicle with
a visit not yet approved waits; a retry with the same key records nothing more."""

import pytest
from auditlog.models import LogEntry

from headwater.access.choices import Decision, RefusalReason
from headwater.access.models import VehicleEntry
from headwater.access.services.vehicles import record_vehicle
from headwater.access.services.visits import approve_visit, register_visit
from headwater.access.tests.factories_visitors import (
    make_gate,
    switch_level,
    vehicle_data,
    visit_data,
)
from headwater.access.tests.visitors_fixtures import gate, guard, host, other_guard  # noqa: F401
from headwater.alerts.models import Alert
from headwater.core.errors import DomainError, NotAllowed

pytestmark = pytest.mark.django_db


@pytest.fixture
def plant(org, tree):
    switch_level(org, "level1")
    return make_gate(org, tree["plant1"], kind="water_plant", name="水厂大门")


def test_a_vehicle_is_allowed_and_recorded(gate, guard):
    entry, created = record_vehicle(gate, vehicle_data(plate="浙a·12345"), by=guard, key="v1")

    entry.refresh_from_db()
    assert created is True
    assert (entry.plate, entry.decision, entry.reason, entry.disinfected, entry.guard) == (
        "浙A12345",
        Decision.ALLOW,
        "",
        True,
        guard,
    )


def test_a_retry_with_the_same_key_records_one_entry(gate, guard):
    first, _ = record_vehicle(gate, vehicle_data(), by=guard, key="v2")
    again, created = record_vehicle(gate, vehicle_data(cargo="别的"), by=guard, key="v2")

    assert (created, again.pk, VehicleEntry.objects.count()) == (False, first.pk, 1)


def test_a_driver_with_a_fever_is_refused_and_the_office_alerted_once(gate, guard, office_user):
    entry, _ = record_vehicle(gate, vehicle_data(driver_temperature="37.8"), by=guard, key="f")
    record_vehicle(gate, vehicle_data(driver_temperature="37.8"), by=guard, key="f")

    assert (entry.decision, entry.reason) == (Decision.REFUSE, RefusalReason.FEVER)
    alert = Alert.objects.get(kind="access.driver_fever")
    assert list(alert.inbox_items.values_list("user_id", flat=True)) == [office_user.pk]
    assert VehicleEntry.objects.count() == 1


def test_a_closed_site_refuses_an_outside_vehicle_without_override(plant, guard):
    entry, _ = record_vehicle(plant, vehicle_data(), by=guard)

    assert (entry.decision, entry.reason, entry.override_by) == (
        Decision.REFUSE,
        RefusalReason.SITE_CLOSED,
        None,
    )


def test_a_hosts_override_lets_a_disinfected_vehicle_into_a_closed_site(plant, guard, host):
    entry, _ = record_vehicle(
        plant,
        vehicle_data(override_host="E2", override_reason="运送应急次氯酸钠"),
        by=guard,
    )

    assert (entry.decision, entry.override_by_id, entry.override_reason) == (
        Decision.ALLOW,
        host.person_id,
        "运送应急次氯酸钠",
    )
    event = LogEntry.objects.get(action=LogEntry.Action.ACCESS, object_pk=str(entry.pk))
    assert event.changes == {"override_reason": [None, "运送应急次氯酸钠"]}


def test_an_override_without_disinfection_is_refused_and_nothing_recorded(plant, guard, host):
    with pytest.raises(DomainError) as e:
        record_vehicle(
            plant,
            vehicle_data(disinfected=False, override_host="E2", override_reason="急需"),
            by=guard,
        )

    assert e.value.fields == {"disinfected": "车辆须先消毒，才能进入封闭管理的站点。"}
    assert VehicleEntry.objects.count() == 0


def test_an_override_names_both_the_host_and_the_reason():
    with pytest.raises(DomainError) as e:
        vehicle_data(override_host="E2")

    assert e.value.fields == {"override_reason": "特批须写明准许进入的被访人和理由。"}


def test_the_vehicle_of_an_approved_visit_with_override_carries_it(plant, guard, host):
    visit, _ = register_visit(plant, visit_data(host="E2", plate="浙A12345"), by=guard)
    waiting, _ = record_vehicle(plant, vehicle_data(visit_id=visit.pk), by=guard)
    approve_visit(visit, by=host, override_reason="厂家工程师")

    entry, _ = record_vehicle(plant, vehicle_data(visit_id=visit.pk), by=guard)

    assert (waiting.decision, waiting.reason) == (
        Decision.REFUSE,
        RefusalReason.VISIT_NOT_APPROVED,
    )
    assert (entry.decision, entry.override_by_id, entry.override_reason, entry.visit_id) == (
        Decision.ALLOW,
        host.person_id,
        "厂家工程师",
        visit.pk,
    )


def test_bad_plates_and_a_guard_of_another_gate_are_refused(gate, other_guard):
    with pytest.raises(DomainError) as e:
        vehicle_data(plate="12345")
    assert "plate" in e.value.fields
    with pytest.raises(NotAllowed):
        record_vehicle(gate, vehicle_data(), by=other_guard)
    assert VehicleEntry.objects.count() == 0


@pytest.mark.parametrize("plate", ["浙A12345", "浙AD12345", "京B1234学", "粤Z1234港"])
def test_plates_accepted(plate):
    assert vehicle_data(plate=plate).plate == plate
