"""What a scanner device downloads to decide offline (GET /api/v1/access/scanner/sync): the
organization's public keys, the revoked cards, the codes that are not green, the fever
threshold, today's canteen slots (canteen posts) and the names to show. Reads only."""

from __future__ import annotations

from headwater.access import dining
from headwater.access.choices import GateKind
from headwater.access.models import DiningGroup, PassCard
from headwater.access.scan_reads import GateContext
from headwater.core import clock, codes
from headwater.core.choices import EmploymentStatus
from headwater.core.models import Person, Unit

MAX_PEOPLE = 5000  # beyond this the device shows the person's id instead of the name
CHUNK = 2000


def _active_people(organization_id: int):
    return Person.objects.filter(organization_id=organization_id).exclude(
        employment_status=EmploymentStatus.LEFT
    )


def not_green(organization_id: int) -> dict[str, str]:
    """{person id: "red" | "yellow"} of the people whose code is not green (green is what a
    device assumes of anybody else who has a code)."""
    ids = list(_active_people(organization_id).values_list("pk", flat=True))
    found: dict[str, str] = {}
    for start in range(0, len(ids), CHUNK):
        for pid, view in codes.current_many(ids[start : start + CHUNK]).items():
            if view.colour != "green":
                found[str(pid)] = view.colour
    return found


def canteen_slots(organization_id: int, canteen_id: int, day) -> dict[str, list]:
    """{person id: ["HH:MM", minutes]} of today's slot of each person eating at the canteen:
    their unit's group or the nearest ancestor's (as `dining.slot_for`), for every unit at
    once."""
    group_units = list(
        DiningGroup.objects.filter(canteen_id=canteen_id).values_list("unit_id", flat=True)
    )
    if not group_units:
        return {}
    by_unit = {
        unit_id: next((s for s in slots if s.canteen_id == canteen_id), None)
        for unit_id, slots in dining.slots_for_unit_ids(group_units, day).items()
    }
    units = dict(Unit.objects.filter(organization_id=organization_id).values_list("pk", "path"))
    slot_of_path = {units[u]: slot for u, slot in by_unit.items() if slot and u in units}
    step = Unit.steplen
    nearest: dict[int, object] = {}
    for unit_id, path in units.items():
        for length in range(len(path), 0, -step):
            slot = slot_of_path.get(path[:length])
            if slot is not None:
                nearest[unit_id] = slot
                break
    answer = {}
    for pid, unit_id in _active_people(organization_id).values_list("pk", "unit_id"):
        slot = nearest.get(unit_id)
        if slot is not None:
            answer[str(pid)] = [slot.starts.strftime("%H:%M"), slot.minutes]
    return answer


def names(organization_id: int) -> dict[str, list[str]]:
    """{person id: [name, unit]} of the organization's people, none beyond MAX_PEOPLE."""
    people = _active_people(organization_id)
    if people.count() > MAX_PEOPLE:
        return {}
    rows = people.values_list("pk", "name", "unit__name")
    return {str(pid): [name, unit] for pid, name, unit in rows}


def payload(ctx: GateContext) -> dict:
    org_id, gate = ctx.organization.pk, ctx.gate
    today = clock.today()
    revoked = PassCard.objects.of(org_id).filter(revoked_at__isnull=False, expires_on__gte=today)
    return {
        "organization_id": org_id,
        "gate": {
            "id": gate.pk,
            "name": gate.name,
            "kind": gate.kind,
            "site_id": gate.site_id,
            "site_name": gate.site.name,
            "checks_temperature": gate.checks_temperature,
            "closed_to_outsiders": ctx.closed_to_outsiders,
        },
        "keys": dict(ctx.keys),
        "revoked_cards": sorted(revoked.values_list("serial", flat=True)),
        "codes": not_green(org_id),
        "fever_tenths": ctx.fever_tenths,
        "slots": canteen_slots(org_id, gate.site_id, today)
        if gate.kind == GateKind.CANTEEN
        else {},
        "people": names(org_id),
        "synced_at": clock.now(),
        "pass_seconds": ctx.pass_seconds,
    }
