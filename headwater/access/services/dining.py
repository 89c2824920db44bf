"""Staggered dining (错峰就餐), the office's side: a canteen's slots (create, change, delete,
generate a run of them) and the units' places in its daily rotation (one unit, or several
spread evenly over the slots in one step). Every write checks `access.manage_gates` in the
canteen's organization, runs in one transaction on the canteen's locked row (so two
changes to one canteen's slots cannot both pass the overlap check) and is audited.

Meal orders: services/dining_orders.py. Reads (head counts, the week grid, capacity, fill):
dining_reads.py. The rotation rule itself: access/dining.py (`slot_for`)."""

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from headwater.access.errors_dining import DiningError
from headwater.access.inputs_dining import GenerateInput, GroupInput, SlotInput, SpreadInput
from headwater.access.models import DiningGroup, Gate, MealSlot, Passage
from headwater.access.permissions import MANAGE_GATES
from headwater.core import locks
from headwater.core.audit import acting_as
from headwater.core.choices import SiteKind
from headwater.core.errors import DomainError, NotAllowed
from headwater.core.models import Site
from headwater.core.writes import Written


def may_manage(by, organization_id: int) -> bool:
    return by.has_perm(MANAGE_GATES) and (by.is_superuser or by.organization_id == organization_id)


def require_manager(by, organization_id: int) -> None:
    if not may_manage(by, organization_id):
        raise NotAllowed(_("Only the epidemic-prevention office may change canteen slots."))


def canteen_of(organization_id: int, site_id) -> Site:
    """The organization's canteen with this id; refused (404) for any other site."""
    site = Site.objects.filter(
        organization_id=organization_id, pk=site_id, kind=SiteKind.CANTEEN
    ).first()
    if site is None:
        raise DomainError(
            _("No such canteen."),
            code=DiningError.NOT_A_CANTEEN,
            fields={"canteen_id": _("Choose a canteen.")},
            status=404,
        )
    return site


def _window(starts: dt.time, minutes: int) -> tuple[int, int]:
    first = starts.hour * 60 + starts.minute
    return first, first + minutes


def _refuse_overlap(canteen: Site, wanted: list[SlotInput], keep_out: int | None = None):
    """Refuse when one of `wanted` overlaps another of them or a slot of the canteen (other
    than `keep_out`, the slot being changed). Touching ends (11:25 after 11:10–11:25) pass."""
    existing = MealSlot.objects.filter(canteen=canteen).exclude(pk=keep_out or 0)
    taken = [(_window(s.starts, s.minutes), s.name) for s in existing]
    for item in wanted:
        start, end = _window(item.starts, item.minutes)
        for (other_start, other_end), name in taken:
            if start < other_end and other_start < end:
                raise DomainError(
                    _("%(new)s overlaps the slot %(old)s of this canteen.")
                    % {"new": item.name, "old": name},
                    code=DiningError.SLOTS_OVERLAP,
                    status=409,
                )
        taken.append(((start, end), item.name))


def _next_position(canteen: Site) -> int:
    last = MealSlot.objects.filter(canteen=canteen).order_by("-position").first()
    return last.position + 1 if last else 0


def save_slot(
    canteen: Site, data: SlotInput, *, by, slot: MealSlot | None = None
) -> Written[MealSlot]:
    """A new slot of the canteen, or a change of one: refused when it overlaps another."""
    require_manager(by, canteen.organization_id)
    with transaction.atomic(), acting_as(by):
        locks.lock_one(Site, canteen.pk)
        if slot is not None:
            slot = locks.lock_one(MealSlot.objects.filter(canteen=canteen), slot.pk)
        _refuse_overlap(canteen, [data], keep_out=slot.pk if slot else None)
        created = slot is None
        if created:
            slot = MealSlot(organization_id=canteen.organization_id, canteen=canteen)
        position = data.position
        if position is None:
            position = slot.position if not created else _next_position(canteen)
        slot.name, slot.starts, slot.minutes = data.name, data.starts, data.minutes
        slot.capacity, slot.position = data.capacity, position
        slot.save()
    return slot, created


def generate_slots(canteen: Site, data: GenerateInput, *, by) -> Written[MealSlot]:
    """`count` slots one after the other (11:10, 11:25, 11:40 for 15 minutes), after the
    canteen's existing ones in the order; all or none (an overlap refuses the whole run).
    Returns the first slot made."""
    require_manager(by, canteen.organization_id)
    wanted = data.slots()
    with transaction.atomic(), acting_as(by):
        locks.lock_one(Site, canteen.pk)
        _refuse_overlap(canteen, wanted)
        position = _next_position(canteen)
        made = [
            MealSlot.objects.create(
                organization_id=canteen.organization_id,
                canteen=canteen,
                name=item.name,
                starts=item.starts,
                minutes=item.minutes,
                capacity=item.capacity,
                position=position + i,
            )
            for i, item in enumerate(wanted)
        ]
    return made[0], True


def delete_slot(slot: MealSlot, *, by) -> Written[MealSlot]:
    """Remove a slot no passage has been recorded in (a slot people have eaten in stays, so
    the passages and contact tracing keep it: change its times or places instead). The
    units' rotation then runs over the remaining slots."""
    require_manager(by, slot.organization_id)
    with transaction.atomic(), acting_as(by):
        locks.lock_one(Site, slot.canteen_id)
        # Through the canteen's doors, so the (gate, at) index bounds the look-up (the slot
        # key of a passage has no index of its own).
        doors = Gate.objects.filter(site_id=slot.canteen_id).values("pk")
        if Passage.objects.filter(gate__in=doors, slot=slot).exists():
            raise DomainError(
                _(
                    "People have already eaten in the slot %(name)s: it cannot be deleted. "
                    "Change its time or places instead."
                )
                % {"name": slot.name},
                code=DiningError.SLOT_IN_USE,
                status=409,
            )
        slot.delete()
    return slot, False


def _require_slots(canteen: Site, position: int | None = None) -> int:
    count = MealSlot.objects.filter(canteen=canteen).count()
    if not count:
        raise DomainError(
            _("Add the canteen's slots first."), code=DiningError.NO_SLOTS, status=409
        )
    if position is not None and position >= count:
        raise DomainError(
            _("The canteen has %(n)s slots; choose one of them.") % {"n": count},
            code=DiningError.NO_SLOTS,
            fields={"position": _("Choose the slot of the first day.")},
        )
    return count


def _upsert_group(canteen: Site, unit, position: int, starts_on, rotates: bool):
    try:
        with transaction.atomic():
            group, created = DiningGroup.objects.get_or_create(
                canteen=canteen,
                unit=unit,
                defaults={
                    "organization_id": canteen.organization_id,
                    "position": position,
                    "starts_on": starts_on,
                    "rotates": rotates,
                },
            )
    except IntegrityError:  # set in parallel
        group, created = DiningGroup.objects.get(canteen=canteen, unit=unit), False
    if not created:
        group = locks.lock_one(DiningGroup, group.pk)
        changed = (group.position, group.starts_on, group.rotates) != (
            position,
            starts_on,
            rotates,
        )
        if changed:
            group.position, group.starts_on, group.rotates = position, starts_on, rotates
            group.save(update_fields=["position", "starts_on", "rotates"])
    return group, created


def set_group(canteen: Site, data: GroupInput, *, by) -> Written[DiningGroup]:
    """Put a unit in the canteen's rotation (or change its place): from `starts_on` it eats in
    the slot at `position`, one slot later each day when it rotates. A unit under a unit that
    has a group follows its own group (the nearest wins, `dining.slot_for`)."""
    require_manager(by, canteen.organization_id)
    with transaction.atomic(), acting_as(by):
        locks.lock_one(Site, canteen.pk)
        _require_slots(canteen, data.position)
        return _upsert_group(canteen, data.unit, data.position, data.starts_on, data.rotates)


def spread_units(canteen: Site, data: SpreadInput, *, by) -> tuple[list[DiningGroup], bool]:
    """Spread the units evenly over the canteen's slots in one step: the largest unit first
    (by the people it brings: not those of a unit below with a group of its own), each to the
    slot with the fewest people so far
    (the earlier slot on a tie), so that with equal units it is round the slots in the order
    given. All of them start on `starts_on`; rotating, they keep the spread every day."""
    require_manager(by, canteen.organization_id)
    from headwater.access.dining_reads import nearest_heads

    with transaction.atomic(), acting_as(by):
        locks.lock_one(Site, canteen.pk)
        count = _require_slots(canteen)
        others = DiningGroup.objects.filter(canteen=canteen).exclude(unit__in=data.units)
        units = [*data.units, *(g.unit for g in others.select_related("unit"))]
        heads = nearest_heads(canteen.organization_id, units)
        load = [0] * count
        order = sorted(range(len(data.units)), key=lambda i: (-heads[data.units[i].pk], i))
        groups, created_any = [], False
        for i in order:
            unit = data.units[i]
            position = min(range(count), key=lambda p: (load[p], p))
            load[position] += heads[unit.pk]
            group, created = _upsert_group(canteen, unit, position, data.starts_on, data.rotates)
            groups.append(group)
            created_any = created_any or created
    return groups, created_any


def delete_group(group: DiningGroup, *, by) -> Written[DiningGroup]:
    """Take a unit out of the canteen's rotation (it then follows an ancestor's group, if
    any)."""
    require_manager(by, group.organization_id)
    with transaction.atomic(), acting_as(by):
        group.delete()
    return group, False
