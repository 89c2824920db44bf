"""Request and response bodies of the water-quality API.

Values are sent as text ("0.35", "<0.01", "未检出") and parsed by the evaluator, so a bad
value is refused by the service with a message naming its indicator in the user's language.
"""

import datetime as dt
from decimal import Decimal

from ninja import Field, Schema

from headwater.core.apitypes import Count, Day, Id, Moment, Patch
from headwater.quality import catalog


def _plain(value: Decimal | None) -> str | None:
    """A stored decimal as the number people wrote: 1.50000000 → "1.5"."""
    if value is None:
        return None
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _indicator(code: str):
    try:
        return catalog.indicator(code)
    except KeyError:
        return None


def _user_name(user) -> str | None:
    return user.username if user is not None else None


# --- Sampling points and plans -----------------------------------------------------------


class PointOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    kind_label: str
    unit_id: int
    unit_name: str = Field(..., alias="unit.name")
    lab_id: int
    site_id: int | None
    supply_type: str
    network_node: str
    active: bool

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return str(obj.get_kind_display())


class PointIn(Schema):
    code: str
    name: str
    kind: str
    unit_id: Id
    lab_id: Id
    site_id: Id | None = None
    supply_type: str = "urban"
    network_node: str = ""
    active: bool = True


class PointPatch(Patch):
    nullable = frozenset({"site_id"})  # null clears the site

    code: str | None = None
    name: str | None = None
    kind: str | None = None
    unit_id: Id | None = None
    lab_id: Id | None = None
    site_id: Id | None = None
    supply_type: str | None = None
    network_node: str | None = None
    active: bool | None = None


class PlanOut(Schema):
    id: int
    name: str
    lab_id: int
    point_kind: str
    point_id: int | None
    indicators: list[str]
    frequency: str
    every_hours: int | None
    times: list[str]
    weekdays: list[int]
    day_of_month: int | None
    months: list[int]
    window_hours: int
    levels: list[str]
    starts_on: dt.date
    active: bool


class PlanIn(Schema):
    name: str
    lab_id: Id
    point_kind: str = ""
    point_id: Id | None = None
    indicators: list[str]
    frequency: str
    every_hours: Count | None = None
    times: list[str] = []
    weekdays: list[Count] = []
    day_of_month: Count | None = None
    months: list[Count] = []
    window_hours: Count = 8
    levels: list[str] = []
    starts_on: Day | None = None
    active: bool = True


class PlanPatch(Patch):
    # A plan is of one point or of a kind of point (null point_kind: of one point); the
    # schedule fields a frequency does not use are empty.
    nullable = frozenset({"point_kind", "point_id", "every_hours", "day_of_month"})

    name: str | None = None
    lab_id: Id | None = None
    point_kind: str | None = None
    point_id: Id | None = None
    indicators: list[str] | None = None
    frequency: str | None = None
    every_hours: Count | None = None
    times: list[str] | None = None
    weekdays: list[Count] | None = None
    day_of_month: Count | None = None
    months: list[Count] | None = None
    window_hours: Count | None = None
    levels: list[str] | None = None
    starts_on: Day | None = None
    active: bool | None = None


# --- Tasks, samples and results ----------------------------------------------------------


class TaskOut(Schema):
    id: int
    point_id: int
    point_code: str = Field(..., alias="point.code")
    point_name: str = Field(..., alias="point.name")
    lab_id: int
    plan_id: int | None
    kind: str
    indicators: list[str]
    due_at: dt.datetime
    deadline: dt.datetime
    status: str
    status_label: str
    cause_id: int | None
    done_at: dt.datetime | None
    sample_id: int | None

    @staticmethod
    def resolve_status_label(obj) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_sample_id(obj) -> int | None:
        sample = getattr(obj, "sample", None)
        return sample.pk if sample is not None else None


class ValuesIn(Schema):
    """The results of a task's sample; `sampled_at` defaults to now."""

    sampled_at: Moment | None = None
    values: dict[str, str | int | float] = Field(
        ..., description='by indicator code: {"turbidity": "0.3", "total_coliforms": "未检出"}'
    )


class SampleIn(ValuesIn):
    """Results without a task: the point by code or id."""

    point: str | int


class ResultOut(Schema):
    id: int
    sample_id: int
    point_id: int
    sampled_at: dt.datetime
    indicator: str
    name: str
    unit: str
    raw: str
    qualifier: str
    value: str | None
    outcome: str
    outcome_label: str
    limit_text: str
    standard: str
    source_class: int | None
    internal_outcome: str
    relaxation_id: int | None
    status: str
    status_label: str
    return_reason: str
    checked_by: str | None
    checked_at: dt.datetime | None
    approved_by: str | None
    approved_at: dt.datetime | None

    @staticmethod
    def resolve_name(obj) -> str:
        ind = _indicator(obj.indicator)
        return ind.name_zh if ind else obj.indicator

    @staticmethod
    def resolve_unit(obj) -> str:
        ind = _indicator(obj.indicator)
        return ind.unit if ind else ""

    @staticmethod
    def resolve_value(obj) -> str | None:
        return _plain(obj.value)

    @staticmethod
    def resolve_outcome_label(obj) -> str:
        return str(obj.get_outcome_display())

    @staticmethod
    def resolve_status_label(obj) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_checked_by(obj) -> str | None:
        return _user_name(obj.checked_by) if obj.checked_by_id else None

    @staticmethod
    def resolve_approved_by(obj) -> str | None:
        return _user_name(obj.approved_by) if obj.approved_by_id else None


class SampleOut(Schema):
    id: int
    point_id: int
    point_code: str = Field(..., alias="point.code")
    point_name: str = Field(..., alias="point.name")
    lab_id: int
    task_id: int | None
    sampled_at: dt.datetime
    source: str
    entered_by: str | None
    entered_at: dt.datetime
    results: list[ResultOut]

    @staticmethod
    def resolve_entered_by(obj) -> str | None:
        return _user_name(obj.entered_by) if obj.entered_by_id else None

    @staticmethod
    def resolve_results(obj) -> list:
        return list(obj.results.all())


class IdsIn(Schema):
    ids: list[Id]


class ReturnIn(IdsIn):
    reason: str = ""


class CountOut(Schema):
    count: int


class ImportOut(Schema):
    total: int = Field(..., description="rows read")
    samples: int = Field(..., description="new samples")
    results: int = Field(..., description="results stored")
    exceedances: int = Field(..., description="results exceeding their limit")


# --- Internal limits and relaxations -----------------------------------------------------


class InternalLimitIn(Schema):
    indicator: str
    point_kind: str = ""
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None
    note: str = ""


class _BoundsOut(Schema):
    id: int
    indicator: str
    point_kind: str
    minimum: str | None
    maximum: str | None
    valid_from: dt.date

    @staticmethod
    def resolve_minimum(obj) -> str | None:
        return _plain(obj.minimum)

    @staticmethod
    def resolve_maximum(obj) -> str | None:
        return _plain(obj.maximum)


class InternalLimitOut(_BoundsOut):
    valid_until: dt.date | None
    note: str


class RelaxationIn(Schema):
    indicator: str
    point_kind: str = ""
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    valid_from: dt.date
    valid_until: dt.date
    reason: str
    risk_assessment: str


class RelaxationOut(_BoundsOut):
    valid_until: dt.date
    reason: str
    risk_assessment: str
    status: str
    status_label: str
    proposed_by: str | None
    proposed_at: dt.datetime
    decided_by: str | None
    decided_at: dt.datetime | None

    @staticmethod
    def resolve_status_label(obj) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_proposed_by(obj) -> str | None:
        return _user_name(obj.proposed_by) if obj.proposed_by_id else None

    @staticmethod
    def resolve_decided_by(obj) -> str | None:
        return _user_name(obj.decided_by) if obj.decided_by_id else None


# --- Online analyzers --------------------------------------------------------------------


class ReadingIn(Schema):
    point: str = Field(..., description="the sampling point's code")
    indicator: str
    at: Moment
    value: str | int | float


class ReadingsIn(Schema):
    readings: list[ReadingIn] = Field(..., min_length=1)


class ReadingsOut(Schema):
    received: int
    stored: int
    duplicates: int


class ReadingOut(Schema):
    id: int
    point_id: int
    point_code: str = Field(..., alias="point.code")
    indicator: str
    at: dt.datetime
    value: str
    outcome: str

    @staticmethod
    def resolve_value(obj) -> str:
        return _plain(obj.value)
