"""The customers part's rows of the shared sweep world (core/tests/world.py): a critical
customer of the victim organization. The network is organization-wide (ADR 0026), so its
name carries the organization's marker (ORGV-): nobody outside the organization may see it."""

from headwater.core.tests.world import ORGV
from headwater.network.models import CriticalCustomer


def victim_rows(world) -> dict:
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
    )
    return {"customer": customer.pk}
