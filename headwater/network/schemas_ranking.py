"""Schemas of the criticality-ranking API (names prefixed: ninja names OpenAPI schemas by
class name across the whole project)."""

import datetime as dt

from ninja import Schema


class NetworkRankCustomerOut(Schema):
    id: int
    name: str
    kind: str
    kind_label: str


class NetworkPipeRankOut(Schema):
    pipe: str
    diameter: float
    material: str
    score: float
    cut: list[NetworkRankCustomerOut]
    low: list[NetworkRankCustomerOut]
    nodes_cut: int
    demand_cut: float
    population_cut: int
    burst_url: str


class NetworkRankingStateOut(Schema):
    model: int
    version: int
    ranked_at: dt.datetime | None
    ranking_wanted_at: dt.datetime | None
    pending: bool


class NetworkCustomerRisksOut(Schema):
    customer: NetworkRankCustomerOut
    model: int | None
    cut: list[NetworkPipeRankOut]
    low: list[NetworkPipeRankOut]
