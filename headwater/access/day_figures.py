"""The gates' figures of a run of days, for the daily briefing: one grouped query per table
for all the days (passages by day, decision and reason; visits; vehicle entries; meal-slot
fill; bus trips), by timestamps rather than current states where a state can change later, so
that a briefing generated again tells the same day."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from headwater.access.choices import Decision, Direction, GateKind, RefusalReason, VisitState
from headwater.access.models import BusTrip, MealSlot, Passage, VehicleEntry, Visit
from headwater.core import clock, levels


def span(days: list[dt.date]) -> tuple[dt.datetime, dt.datetime]:
    return clock.day_bounds(days[0])[0], clock.day_bounds(days[-1])[1]


def fever_from(organization) -> Decimal:
    """The temperature refused at the gate under the organization's level (37.3 by default)."""
    return Decimal(levels.value(organization, "access.fever_tenths")) / 10


def fever_q(organization) -> Q:
    return Q(reason=RefusalReason.FEVER) | Q(temperature__gte=fever_from(organization))


def _local_day(field: str) -> TruncDate:
    return TruncDate(field, tzinfo=timezone.get_current_timezone())


def passages(organization, days: list[dt.date]) -> dict[dt.date, dict]:
    """day -> {"passages": allowed in, "refused", "reasons": {reason: n}, "fevers",
    "boarded": allowed bus boardings}."""
    start, end = span(days)
    rows = (
        Passage.objects.filter(organization=organization, at__gte=start, at__lt=end)
        .annotate(day=_local_day("at"))
        .order_by()
        .values("day", "decision", "reason", "direction")
        .annotate(
            n=Count("id"),
            fevers=Count("id", filter=fever_q(organization)),
            boarded=Count("id", filter=Q(trip__isnull=False)),
        )
    )
    answer = {
        d: {"passages": 0, "refused": 0, "reasons": defaultdict(int), "fevers": 0, "boarded": 0}
        for d in days
    }
    for row in rows:
        day = answer.get(row["day"])
        if day is None:
            continue
        day["fevers"] += row["fevers"]
        if row["decision"] == Decision.REFUSE:
            day["refused"] += row["n"]
            day["reasons"][row["reason"]] += row["n"]
        elif row["direction"] == Direction.IN:
            day["passages"] += row["n"]
            day["boarded"] += row["boarded"]
    return answer


def visits(organization, days: list[dt.date]) -> dict[dt.date, dict[str, int]]:
    """day -> {"registered", "refused" (by the host that day), "pending" (awaiting the host at
    the end of the day)}, in one aggregate query."""
    bounds = [clock.day_bounds(d) for d in days]
    aggregates = {}
    for i, (start, end) in enumerate(bounds):
        aggregates[f"r{i}"] = Count("id", filter=Q(registered_at__gte=start, registered_at__lt=end))
        aggregates[f"x{i}"] = Count(
            "id",
            filter=Q(state=VisitState.REFUSED, decided_at__gte=start, decided_at__lt=end),
        )
        aggregates[f"p{i}"] = Count(
            "id",
            filter=Q(registered_at__lt=end)
            & (Q(decided_at__isnull=True, state=VisitState.PENDING) | Q(decided_at__gte=end)),
        )
    found = Visit.objects.filter(organization=organization).aggregate(**aggregates)
    return {
        d: {"registered": found[f"r{i}"], "refused": found[f"x{i}"], "pending": found[f"p{i}"]}
        for i, d in enumerate(days)
    }


def vehicles(organization, days: list[dt.date]) -> dict[dt.date, dict[str, int]]:
    """day -> {"entries", "refused"} of the vehicle entries."""
    start, end = span(days)
    rows = (
        VehicleEntry.objects.filter(organization=organization, at__gte=start, at__lt=end)
        .annotate(day=_local_day("at"))
        .order_by()
        .values("day")
        .annotate(n=Count("id"), refused=Count("id", filter=Q(decision=Decision.REFUSE)))
    )
    answer = {d: {"entries": 0, "refused": 0} for d in days}
    for row in rows:
        if row["day"] in answer:
            answer[row["day"]] = {"entries": row["n"], "refused": row["refused"]}
    return answer


def slot_fill(organization, days: list[dt.date]) -> dict[dt.date, dict[int, int]]:
    """day -> {slot id: people let in at a canteen door in that slot}."""
    start, end = span(days)
    rows = (
        Passage.objects.filter(
            organization=organization,
            at__gte=start,
            at__lt=end,
            decision=Decision.ALLOW,
            gate__kind=GateKind.CANTEEN,
            slot__isnull=False,
        )
        .annotate(day=_local_day("at"))
        .order_by()
        .values_list("day", "slot_id")
        .annotate(n=Count("id"))
    )
    answer: dict[dt.date, dict[int, int]] = {d: {} for d in days}
    for day, slot_id, n in rows:
        if day in answer:
            answer[day][slot_id] = n
    return answer


def fullest(slots: list[MealSlot], fill: dict[int, int]) -> dict[int, tuple[MealSlot, int]]:
    """canteen id -> (its fullest slot by share of places, people in it)."""
    best: dict[int, tuple[MealSlot, int]] = {}
    for slot in slots:
        n = fill.get(slot.pk, 0)
        share = n / slot.capacity if slot.capacity else 0
        held = best.get(slot.canteen_id)
        if held is None or share > (held[1] / held[0].capacity if held[0].capacity else 0):
            best[slot.canteen_id] = (slot, n)
    return best


def fullest_share(slots: list[MealSlot], fill: dict[int, int]) -> int | None:
    """The fullest slot's fill in % of its places over every canteen (None: no slots)."""
    shares = [round(100 * fill.get(s.pk, 0) / s.capacity) for s in slots if s.capacity]
    return max(shares) if shares else None


def trips(organization, days: list[dt.date]) -> dict[dt.date, dict[str, int]]:
    """day -> {"trips", "not_disinfected"} of the bus trips."""
    rows = (
        BusTrip.objects.filter(organization=organization, day__in=days)
        .order_by()
        .values("day")
        .annotate(n=Count("id"), missing=Count("id", filter=Q(disinfected_at__isnull=True)))
    )
    answer = {d: {"trips": 0, "not_disinfected": 0} for d in days}
    for row in rows:
        answer[row["day"]] = {"trips": row["n"], "not_disinfected": row["missing"]}
    return answer


def fevers(organization, day: dt.date, limit: int):
    """The day's passages with a fever, with the person or visitor and the gate, in order."""
    start, end = clock.day_bounds(day)
    return list(
        Passage.objects.filter(organization=organization, at__gte=start, at__lt=end)
        .filter(fever_q(organization))
        .select_related("person", "visit", "gate")
        .order_by("at", "pk")[:limit]
    )
