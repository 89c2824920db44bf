"""The office's canteen slots: made one by one or as a run (11:10, 15 minutes, 3 slots),
changed, deleted; an overlap with another slot of the canteen is refused with nothing
changed; a slot people have eaten in cannot be deleted; only the office may change them."""

import datetime as dt

import pytest

from headwater.access.inputs_dining import GenerateInput, SlotInput
from headwater.access.models import MealSlot
from headwater.access.services import dining as service
from headwater.access.tests.factories_dining import (
    make_canteen,
    make_door,
    make_passage,
    make_slots,
)
from headwater.core.errors import DomainError, NotAllowed
from headwater.core.tests.factories import SiteFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def canteen(org):
    return make_canteen(org)


def times(canteen):
    return [
        (s.name, s.starts.strftime("%H:%M"), s.minutes, s.capacity, s.position)
        for s in MealSlot.objects.filter(canteen=canteen).order_by("position")
    ]


def test_generating_three_slots_of_fifteen_minutes_from_1110(canteen, office_user):
    data = GenerateInput.parse({"first": "11:10", "minutes": "15", "count": "3", "capacity": "120"})
    first, created = service.generate_slots(canteen, data, by=office_user)

    assert created is True
    assert first.name == "11:10–11:25"
    assert times(canteen) == [
        ("11:10–11:25", "11:10", 15, 120, 0),
        ("11:25–11:40", "11:25", 15, 120, 1),
        ("11:40–11:55", "11:40", 15, 120, 2),
    ]


def test_a_slot_touching_another_is_added_after_the_others(canteen, office_user):
    make_slots(canteen, count=2)  # 11:10–11:25, 11:25–11:40
    slot, created = service.save_slot(
        canteen, SlotInput.parse({"starts": "11:40", "minutes": 15, "capacity": 80}), by=office_user
    )

    assert created is True
    assert (slot.position, slot.name) == (2, "11:40–11:55")


def test_an_overlapping_slot_is_refused_and_nothing_changes(canteen, office_user):
    make_slots(canteen, count=2)
    before = times(canteen)
    with pytest.raises(DomainError) as e:
        service.save_slot(
            canteen,
            SlotInput.parse({"starts": "11:30", "minutes": 15, "capacity": 80}),
            by=office_user,
        )

    assert e.value.code == "dining_slots_overlap"
    assert e.value.status == 409
    assert e.value.message == "11:30–11:45 与本食堂的时段 第2批 重叠。"
    assert times(canteen) == before


def test_a_run_overlapping_an_existing_slot_is_refused_whole(canteen, office_user):
    make_slots(canteen, first=dt.time(11, 40), count=1)
    data = GenerateInput.parse({"first": "11:10", "minutes": "15", "count": "3", "capacity": "120"})
    with pytest.raises(DomainError):
        service.generate_slots(canteen, data, by=office_user)

    assert MealSlot.objects.filter(canteen=canteen).count() == 1


def test_moving_a_slot_onto_another_is_refused_but_changing_itself_passes(canteen, office_user):
    first, second, _third = make_slots(canteen)
    with pytest.raises(DomainError):
        service.save_slot(
            canteen,
            SlotInput.parse({"starts": "11:20", "minutes": 15, "capacity": 100}),
            by=office_user,
            slot=first,
        )
    slot, created = service.save_slot(
        canteen,
        SlotInput.parse({"starts": "11:05", "minutes": 20, "capacity": 150, "name": "早批"}),
        by=office_user,
        slot=first,
    )

    assert created is False
    first.refresh_from_db()
    assert (first.name, first.starts, first.minutes, first.capacity, first.position) == (
        "早批",
        dt.time(11, 5),
        20,
        150,
        0,
    )


def test_slots_of_another_canteen_do_not_overlap(org, canteen, office_user):
    make_slots(make_canteen(org, name="二食堂"))
    service.save_slot(
        canteen, SlotInput.parse({"starts": "11:10", "minutes": 15, "capacity": 80}), by=office_user
    )

    assert MealSlot.objects.filter(canteen=canteen).count() == 1


def test_bad_input_names_every_field_in_chinese():
    with pytest.raises(DomainError) as e:
        SlotInput.parse({"starts": "25:00", "minutes": "2", "capacity": "0"})

    assert e.value.fields == {
        "starts": "请输入时间，例如 11:10。",
        "minutes": "请输入 5 到 240 分钟。",
        "capacity": "请输入 1 到 100000 个座位。",
    }


def test_a_slot_people_ate_in_cannot_be_deleted(canteen, office_user, people):
    slot, other, _ = make_slots(canteen)
    make_passage(
        make_door(canteen), dt.datetime(2026, 3, 2, 11, 12), person=people["head"], slot=slot
    )
    with pytest.raises(DomainError) as e:
        service.delete_slot(slot, by=office_user)

    assert e.value.code == "dining_slot_in_use"
    assert MealSlot.objects.filter(pk=slot.pk).exists()
    service.delete_slot(other, by=office_user)
    assert not MealSlot.objects.filter(pk=other.pk).exists()


def test_only_the_office_changes_slots(canteen, unit_head_user, staff_user):
    data = SlotInput.parse({"starts": "11:10", "minutes": 15, "capacity": 80})
    for user in (unit_head_user, staff_user):
        with pytest.raises(NotAllowed):
            service.save_slot(canteen, data, by=user)

    assert MealSlot.objects.count() == 0


def test_a_site_that_is_not_a_canteen_is_refused(org):
    plant = SiteFactory(organization=org, kind="water_plant")
    with pytest.raises(DomainError) as e:
        service.canteen_of(org.pk, plant.pk)

    assert e.value.status == 404
