"""The map part's rows of the shared sweep world (core/tests/world.py): a current network model
of the victim organization (a reservoir, two junctions, pipes VP1 and VP2 — ids without a
marker, because the other organization's own model has the same ids and a refusal may name
the pipe asked for), a critical customer fed from it and a burst work order whose kept impact
names that customer and its phones; the other organization gets the same small model, so
its office sees a map of its own. Returns the ids the sweep fills path parameters with."""

from headwater.network.models import NetworkModel, WorkOrder
from headwater.network.tests.factories_map import customer, network_model

TINY_INP = """[TITLE]
Sweep network

[JUNCTIONS]
 J1  10  1
 J2  10  1

[RESERVOIRS]
 R1  60

[PIPES]
 VP1  R1  J1  100  300  100  0  Open
 VP2  J1  J2  100  200  100  0  Open

[OPTIONS]
 Units  LPS

[TIMES]
 Duration  0

[COORDINATES]
 R1  0    0
 J1  100  0
 J2  200  0

[END]
"""


def _current(org) -> NetworkModel:
    model = NetworkModel.objects.filter(organization=org, current=True).first()
    return model or network_model(org, TINY_INP, valves=False)


def victim_rows(world) -> dict:
    org, marker = world.org, "ORGV-"
    model = _current(world.org)
    _current(world.other)
    pipe = model.links.filter(kind="pipe").order_by("name").values_list("name", flat=True)[0]
    hospital = customer(
        org,
        f"{marker}城东传染病医院",
        [model.nodes.filter(kind="junction").values_list("name", flat=True)[0]],
        contact=f"{marker}张主任",
        duty_phone="0571-80009999",
        contact_phone="13800009998",
    )
    impact = {
        "pipe": pipe,
        "critical": [
            {
                "id": hospital.pk,
                "name": hospital.name,
                "effect": "cut",
                "duty_phone": hospital.duty_phone,
                "contact": hospital.contact,
                "contact_phone": hospital.contact_phone,
            }
        ],
    }
    order = WorkOrder.objects.create(
        organization=org,
        number="GD-SWEEP-1",
        kind="burst",
        title=f"{marker}爆管",
        model=model,
        link=pipe,
        location=f"{marker}东门路口",
        impact=impact,
    )
    return {"work_order": order.pk, "network_pipe": pipe, "critical_customer": hospital.pk}
