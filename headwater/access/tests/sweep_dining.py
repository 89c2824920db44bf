"""Staggered dining's rows of the shared sweep world (core/tests/world.py): a canteen of the
victim unit with a slot, the victim unit's place in its rotation, a meal order of the victim
unit and a passage of the victim's person at its door; returns the ids the sweep fills path
parameters with."""

import datetime as dt

from headwater.access.models import DiningGroup, Gate, MealOrder, MealSlot, Passage
from headwater.core.models import Site


def victim_rows(world) -> dict:
    org, unit = world.org, world.unit
    person = world.users["victim_staff"].person
    canteen = Site.objects.create(
        organization=org, unit=unit, name="ORGV-食堂", code="SWEEP-CANTEEN", kind="canteen"
    )
    slot = MealSlot.objects.create(
        organization=org,
        canteen=canteen,
        name="ORGV-第1批",
        starts=dt.time(11, 10),
        minutes=15,
        capacity=50,
    )
    group = DiningGroup.objects.create(
        organization=org, canteen=canteen, unit=unit, position=0, starts_on=dt.date(2025, 3, 1)
    )
    MealOrder.objects.create(
        organization=org,
        canteen=canteen,
        unit=unit,
        day=dt.date(2025, 3, 5),
        kind="box",
        count=7,
        note="VICTIM-素食",
    )
    door = Gate.objects.create(organization=org, site=canteen, name="ORGV-食堂门", kind="canteen")
    Passage.objects.create(
        organization=org,
        gate=door,
        at=dt.datetime(2025, 3, 4, 3, 12, tzinfo=dt.UTC),
        person=person,
        credential="pass",
        decision="allow",
        slot=slot,
        key="sweep-dining-1",
    )
    return {"canteen": canteen.pk, "meal_slot": slot.pk, "dining_group": group.pk}
