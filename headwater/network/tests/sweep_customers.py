"""The customers part's rows of the shared sweep world (core/tests/world.py): a critical
customer of the victim organization. The network is organization-wide (ADR 0026), so its
name carries the organization's marker (ORGV-): nobody outside the organization may see it."""

from headwater.core.tests.world import ORGV
from headwater.network.models import CriticalCustomer, PressurePoint


def victim_rows(world) -> dict:
    """The customer, metered by the world's pressure point (made here unless the pressure
    part's rows made one already)."""
    point_id = world.victim.get("pressure_point")
    if point_id is None:
        point_id = PressurePoint.objects.create(
            organization=world.org, code="ORGV-P01", name=ORGV + "医院进水口", node="J1"
        ).pk
    customer = CriticalCustomer.objects.create(
        organization=world.org,
        name=ORGV + "市第一人民医院",
        kind="designated_hospital",
        address=ORGV + "解放西路61号",
        contact=ORGV + "周主任",
        duty_phone="0731-84440120",
        nodes=["J1"],
        feeds=1,
        min_pressure=28,
        pressure_point_id=point_id,
    )
    return {"customer": customer.pk, "pressure_point": point_id}
