"""Reads of staggered dining: how many people each group brings, the week's rotation as a grid
(days × slots, which units eat when), the days a slot would be over its places, and the
live fill of today's slots. Pure reads over a few grouped queries; the rotation rule is
`dining.slot_index`."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone

from headwater.access.choices import Decision, Direction, GateKind
from headwater.access.dining import slot_index, slots_of
from headwater.access.models import DiningGroup, Gate, MealSlot, Passage
from headwater.access.permissions import VIEW_PASSAGES
from headwater.core import clock
from headwater.core.choices import EmploymentStatus
from headwater.core.models import Person, Site
from headwater.core.querysets import grants_for

WEEK = 7


def _people_by_path(organization_id: int) -> dict[str, int]:
    rows = (
        Person.objects.filter(organization_id=organization_id)
        .exclude(employment_status=EmploymentStatus.LEFT)
        .values("unit__path")
        .annotate(n=Count("pk"))
    )
    return {row["unit__path"]: row["n"] for row in rows}


def nearest_heads(organization_id: int, units) -> dict[int, int]:
    """{unit id: people (not left) whose nearest unit among `units` (themselves or an
    ancestor) it is}: a unit's subtree less the subtrees of the other `units` below it."""
    by_path = _people_by_path(organization_id)
    paths = {u.path: u.pk for u in units}
    heads = dict.fromkeys(paths.values(), 0)
    for path, n in by_path.items():
        nearest = max((p for p in paths if path.startswith(p)), key=len, default=None)
        if nearest is not None:
            heads[paths[nearest]] += n
    return heads


def heads_of_groups(groups: list[DiningGroup]) -> dict[int, int]:
    """{group id: the people it brings}: the people of its unit's subtree, less those under a
    sub-unit with a group of its own at the same canteen (they follow the nearest group)."""
    if not groups:
        return {}
    heads = nearest_heads(groups[0].organization_id, [g.unit for g in groups])
    return {g.pk: heads[g.unit_id] for g in groups}


@dataclass
class Cell:
    slot: MealSlot
    units: list[tuple[str, int]] = field(default_factory=list)  # (unit name, people)

    @property
    def people(self) -> int:
        return sum(n for _name, n in self.units)

    @property
    def over(self) -> bool:
        return self.people > self.slot.capacity


@dataclass
class Day:
    day: dt.date
    cells: list[Cell]


@dataclass
class Week:
    canteen: Site
    slots: list[MealSlot]
    days: list[Day]
    groups: list[DiningGroup]
    heads: dict[int, int]

    @property
    def warnings(self) -> list[tuple[dt.date, Cell]]:
        """Each (day, slot) whose units bring more people than its places."""
        return [(d.day, c) for d in self.days for c in d.cells if c.over]


def week(canteen: Site, first: dt.date | None = None, days: int = WEEK) -> Week:
    """The rotation made visible: for each of `days` days from `first` (today), each slot and
    the units eating in it with their people. Four queries whatever the size."""
    first = first or clock.today()
    slots = slots_of(canteen.pk)
    groups = list(
        DiningGroup.objects.filter(canteen=canteen).select_related("unit").order_by("unit__path")
    )
    heads = heads_of_groups(groups)
    for group in groups:
        group.people = heads[group.pk]
    rows = []
    for offset in range(days):
        day = first + dt.timedelta(days=offset)
        cells = [Cell(slot) for slot in slots]
        for group in groups:
            index = slot_index(group, day, len(slots))
            if index is not None:
                cells[index].units.append((group.unit.name, heads[group.pk]))
        rows.append(Day(day, cells))
    return Week(canteen, slots, rows, groups, heads)


def slot_window(slot: MealSlot, day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    start = timezone.make_aware(dt.datetime.combine(day, slot.starts))
    return start, start + dt.timedelta(minutes=slot.minutes)


@dataclass
class SlotFill:
    slot: MealSlot
    starts: dt.datetime
    ends: dt.datetime
    people: int
    state: str  # "past", "now", "next"

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.people / self.slot.capacity)) if self.slot.capacity else 0

    @property
    def over(self) -> bool:
        return self.people > self.slot.capacity


@dataclass
class CanteenFill:
    canteen: Site
    slots: list[SlotFill]

    @property
    def people(self) -> int:
        return sum(s.people for s in self.slots)


def live_canteens(user) -> list[Site]:
    """The canteens whose fill the user may watch: every canteen with slots for a grant of
    `access.view_passages` over the organization (office, leaders); otherwise those with a
    canteen door the user sees (a unit head's sites, a door's duty team)."""
    with_slots = Site.objects.visible_to(user).filter(
        pk__in=MealSlot.objects.visible_to(user).values("canteen_id")
    )
    org_wide, _paths = grants_for(user, VIEW_PASSAGES)
    if not (org_wide or user.is_superuser):
        doors = Gate.objects.visible_to(user).filter(kind=GateKind.CANTEEN)
        with_slots = with_slots.filter(pk__in=doors.values("site_id"))
    return list(with_slots.order_by("name", "pk"))


def fill(user, canteens: list[Site], day: dt.date | None = None) -> list[CanteenFill]:
    """Each canteen's slots of `day` (today) with the people let in at its canteen doors
    within the slot's window (allowed passages going in; a person scanned twice counts once,
    a visitor by their visit), and which slot is on now. One query for the slots and one
    for the counts, through the passages the user may see."""
    day = day or clock.today()
    now = clock.now()
    slots = MealSlot.objects.filter(canteen__in=canteens).order_by("position", "starts", "pk")
    by_canteen: dict[int, list[MealSlot]] = defaultdict(list)
    for slot in slots:
        by_canteen[slot.canteen_id].append(slot)
    counts: dict[str, int] = {}
    aggregates = {}
    for slot in (s for group in by_canteen.values() for s in group):
        start, end = slot_window(slot, day)
        within = Q(gate__site_id=slot.canteen_id, at__gte=start, at__lt=end)
        aggregates[f"p{slot.pk}"] = Count("person", filter=within, distinct=True)
        aggregates[f"v{slot.pk}"] = Count("visit", filter=within, distinct=True)
    if aggregates:
        first, last = clock.day_bounds(day)
        counts = (
            Passage.objects.visible_to(user)
            .filter(
                gate__kind=GateKind.CANTEEN,
                gate__site__in=canteens,
                decision=Decision.ALLOW,
                direction=Direction.IN,
                at__gte=first,
                at__lt=last,
            )
            .aggregate(**aggregates)
        )
    answer = []
    for canteen in canteens:
        rows = []
        for slot in by_canteen.get(canteen.pk, []):
            start, end = slot_window(slot, day)
            state = "past" if end <= now else "now" if start <= now else "next"
            people = counts.get(f"p{slot.pk}", 0) + counts.get(f"v{slot.pk}", 0)
            rows.append(SlotFill(slot, start, end, people, state))
        answer.append(CanteenFill(canteen, rows))
    return answer
