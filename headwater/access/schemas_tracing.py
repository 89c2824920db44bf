"""Schemas of the contact-tracing API."""

import datetime as dt
from typing import Annotated, Any, Literal

from ninja import Field, Schema

from headwater.core.apitypes import Id, Moment

Reason = Annotated[str, Field(max_length=200)]


class TraceIn(Schema):
    person_id: Id
    start: Moment | None = None
    end: Moment | None = None
    depth: Literal[1, 2] = 2


class TracedOut(Schema):
    person_id: int
    name: str
    unit: str
    level: int
    score: int
    via: list[int]
    kinds: dict[str, int]
    evidence: list[dict[str, Any]]


class TraceOut(Schema):
    person_id: int
    name: str
    start: dt.datetime
    end: dt.datetime
    depth: int
    weights: dict[str, int]
    level1: list[TracedOut]
    level2: list[TracedOut]
    edges: list[dict[str, int]]
    expanded: int
    capped: bool


class FollowupsIn(Schema):
    person_ids: Annotated[list[Id], Field(min_length=1, max_length=500)]
    reason: Reason
    action: Literal["followup", "isolation"] = "followup"
    exposure_on: dt.date | None = None


class FollowupsOut(Schema):
    action: str
    opened: list[int]
    already: list[int]
