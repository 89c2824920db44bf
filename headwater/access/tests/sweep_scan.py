"""The scan's rows of the shared sweep world (core/tests/world.py): a gate at a site of the
victim unit and a passage of the victim through it; returns the id the sweep fills `gate_id`
with."""

from headwater.access.models import Gate, Passage
from headwater.core.models import Site


def victim_rows(world, moment) -> dict:
    org, unit = world.org, world.unit
    person = world.users["victim_staff"].person
    site = Site.objects.filter(organization=org, unit=unit).order_by("pk").first()
    if site is None:
        site = Site.objects.create(
            organization=org, unit=unit, name="ORGV-水厂", code="ORGV-S", kind="water_plant"
        )
    gate = Gate.objects.create(organization=org, site=site, name="ORGV-一号门", kind="gate")
    Passage.objects.create(
        organization=org,
        gate=gate,
        at=moment,
        person=person,
        credential="typed",
        decision="allow",
        key="sweep-victim-passage",
    )
    return {"scan_gate": gate.pk}
