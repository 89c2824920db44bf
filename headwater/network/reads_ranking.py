"""Reads of the criticality ranking for the page, the API and the Excel file: the ranking of
the user's current model (filtered by customer kind and minimum DN, in rank order), each
row's critical customers, and one customer's risks (the pipes that cut it off — its single
points of failure — and those that leave it on one feed)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from headwater.network.choices import CustomerKind
from headwater.network.models import CriticalCustomer, NetworkModel, PipeRank
from headwater.network.services.ranking import pending

ORDER = ("-score", "-diameter", "material", "link")  # the ranking's order and tie-breaks
MAX_DN = 10_000  # mm; a bigger minimum is no filter anybody means


@dataclass(frozen=True)
class Filters:
    kind: str = ""  # a CustomerKind value, or "" for every pipe
    min_dn: int = 0

    @classmethod
    def of(cls, data) -> Filters:
        """From a query string: an unknown kind or a bad number is no filter."""
        kind = str(data.get("kind") or "")
        try:
            min_dn = min(max(int(data.get("min_dn") or 0), 0), MAX_DN)
        except (TypeError, ValueError):
            min_dn = 0
        return cls(kind if kind in CustomerKind.values else "", min_dn)


def current_model(user) -> NetworkModel | None:
    return NetworkModel.objects.visible_to(user).filter(current=True).first()


def is_pending(model: NetworkModel) -> bool:
    return pending(model)


def customers_of(user) -> dict[int, CriticalCustomer]:
    return {c.pk: c for c in CriticalCustomer.objects.visible_to(user).order_by("kind", "name")}


def ranking(user, model: NetworkModel, filters: Filters) -> QuerySet[PipeRank]:
    """The model's pipes in rank order, filtered: with a kind, only the pipes whose burst
    cuts off or leaves low a critical customer of that kind."""
    rows = PipeRank.objects.visible_to(user).filter(model=model)
    if filters.min_dn:
        rows = rows.filter(diameter__gte=filters.min_dn)
    if filters.kind:
        kind_ids = set(
            CriticalCustomer.objects.visible_to(user)
            .filter(kind=filters.kind)
            .values_list("pk", flat=True)
        )
        # The customer ids are JSON lists (SQLite has no JSON containment): pick in Python.
        picked = [
            pk
            for pk, cut, low in rows.exclude(cut=[], low=[]).values_list("pk", "cut", "low")
            if kind_ids.intersection(cut) or kind_ids.intersection(low)
        ]
        rows = rows.filter(pk__in=picked)
    return rows.order_by(*ORDER)


def with_customers(rows, customers: dict[int, CriticalCustomer]) -> list[PipeRank]:
    """Each row with `cut_customers` and `low_customers` (the ones the user sees)."""
    rows = list(rows)
    for row in rows:
        row.cut_customers = [customers[pk] for pk in row.cut if pk in customers]
        row.low_customers = [customers[pk] for pk in row.low if pk in customers]
    return rows


@dataclass
class Risks:
    """A customer's pipes whose burst cuts it off (single points of failure) and those that
    leave it on one feed, each in rank order."""

    cut: list[PipeRank]
    low: list[PipeRank]


def risks(user, model: NetworkModel, customer: CriticalCustomer) -> Risks:
    rows = (
        PipeRank.objects.visible_to(user)
        .filter(model=model)
        .exclude(cut=[], low=[])
        .order_by(*ORDER)
    )
    out = Risks([], [])
    for row in rows:
        if customer.pk in row.cut:
            out.cut.append(row)
        elif customer.pk in row.low:
            out.low.append(row)
    return out
