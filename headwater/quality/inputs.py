"""What each write use-case of the water-quality app takes: one typed input per use-case, fed
by the page's form (`Form.input()`) and by the API's schema (`PointInput(**payload.dict())`),
so that the service validates one shape and each rule is written once, in the service.

An input carries ids, not objects (`unit_id`, `lab_id`): the service checks that the user may
use them. `of(obj)` reads an existing row back, so that a partial update (the API's PATCH) is
`replace(PointInput.of(point), **changes)`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields, replace
from decimal import Decimal
from typing import Any, Self

from headwater.quality.choices import SupplyType


class _Input:
    """Reading an input from a row or from a form's cleaned data, and writing it to a row."""

    @classmethod
    def of(cls, obj) -> Self:
        """The input that would save `obj` as it is."""
        return cls(**{f.name: getattr(obj, f.name) for f in fields(cls)})

    @classmethod
    def from_form(cls, cleaned: dict[str, Any]) -> Self:
        """From a form's cleaned data: a model choice field `unit` gives `unit_id`."""
        values = {}
        for f in fields(cls):
            if f.name in cleaned:
                values[f.name] = cleaned[f.name]
            elif f.name.endswith("_id") and (name := f.name.removesuffix("_id")) in cleaned:
                values[f.name] = getattr(cleaned[name], "pk", None)
        return cls(**values)

    def changed(self, **changes) -> Self:
        return replace(self, **changes)

    def apply(self, obj) -> None:
        """Copy every field onto the row (not saved)."""
        for f in fields(self):
            setattr(obj, f.name, getattr(self, f.name))


def _text(value) -> str:
    return value.strip() if isinstance(value, str) else ("" if value is None else value)


@dataclass
class PointInput(_Input):
    """A sampling point: where it is, who owns it, which lab samples it."""

    code: str
    name: str
    kind: str
    unit_id: int | None
    lab_id: int | None
    site_id: int | None = None
    supply_type: str = SupplyType.URBAN
    network_node: str = ""
    active: bool = True

    def __post_init__(self) -> None:
        for name in ("code", "name", "kind", "supply_type", "network_node"):
            setattr(self, name, _text(getattr(self, name)))


@dataclass
class PlanInput(_Input):
    """A sampling plan: what to test, where, how often (quality.services.plans.clean_plan
    holds the rules). `starts_on` None is today."""

    name: str
    lab_id: int | None
    indicators: list[str]
    frequency: str
    point_kind: str = ""
    point_id: int | None = None
    every_hours: int | None = None
    times: list[str] = field(default_factory=list)
    weekdays: list[int] = field(default_factory=list)
    day_of_month: int | None = None
    months: list[int] = field(default_factory=list)
    window_hours: int = 8
    levels: list[str] = field(default_factory=list)
    starts_on: dt.date | None = None
    active: bool = True

    def __post_init__(self) -> None:
        self.point_kind = self.point_kind or ""  # the API may send null for "one point"


@dataclass
class LimitInput(_Input):
    """An internal limit (内控指标). `valid_from` None is today."""

    indicator: str
    point_kind: str = ""
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None
    note: str = ""


@dataclass
class RelaxationInput(_Input):
    """A proposed temporary relaxation of a limit, with its period and risk assessment."""

    indicator: str
    valid_from: dt.date
    valid_until: dt.date
    reason: str
    risk_assessment: str
    point_kind: str = ""
    minimum: Decimal | None = None
    maximum: Decimal | None = None
