"""Criticality-ranking endpoints (/api/v1/network): the ranking of the current model's pipes
(paged, filtered by customer kind and minimum DN), one critical customer's risks, the
ranking's state, and "recompute now" (office). Thin: read or call the service."""

from typing import Annotated

from django.shortcuts import get_object_or_404
from ninja import Field, Header, Router, Status
from ninja.pagination import paginate

from headwater.core.apiauth import SessionAuth
from headwater.core.apitypes import Id, Pagination
from headwater.core.errors import require
from headwater.network import reads_ranking as reads
from headwater.network.models import CriticalCustomer, NetworkModel
from headwater.network.permissions import VIEW_NETWORK
from headwater.network.schemas_ranking import (
    NetworkCustomerRisksOut,
    NetworkPipeRankOut,
    NetworkRankingStateOut,
)
from headwater.network.services import ranking as service
from headwater.network.views_ranking import BURST_PAGE

router = Router(auth=SessionAuth(), tags=["network criticality"])
PAGE = 50
KEY = Header("", alias="Idempotency-Key")
Kind = Annotated[str, Field(max_length=30)]
MinDn = Annotated[int, Field(ge=0, le=reads.MAX_DN)]


def _customer(c: CriticalCustomer) -> dict:
    return {"id": c.pk, "name": c.name, "kind": c.kind, "kind_label": c.get_kind_display()}


def _row(row) -> dict:
    return {
        "pipe": row.link,
        "diameter": row.diameter,
        "material": row.material,
        "score": row.score,
        "cut": [_customer(c) for c in row.cut_customers],
        "low": [_customer(c) for c in row.low_customers],
        "nodes_cut": row.nodes_cut,
        "demand_cut": row.demand_cut,
        "population_cut": row.population_cut,
        "burst_url": f"{BURST_PAGE}?pipe={row.link}",
    }


def _state(model: NetworkModel) -> dict:
    return {
        "model": model.pk,
        "version": model.version,
        "ranked_at": model.ranked_at,
        "ranking_wanted_at": model.ranking_wanted_at,
        "pending": reads.is_pending(model),
    }


def _current(request) -> NetworkModel:
    require(request.user, VIEW_NETWORK)
    model = reads.current_model(request.user)
    if model is None:
        raise service.no_model()
    return model


@router.get("/criticality", response=list[NetworkPipeRankOut])
@paginate(Pagination, page_size=PAGE)
def list_ranking(request, kind: Kind = "", min_dn: MinDn = 0):
    """The current model's pipes in rank order (score, then DN larger first, material,
    pipe id); `kind` keeps the pipes that cut off or leave low a customer of that kind."""
    require(request.user, VIEW_NETWORK)
    model = reads.current_model(request.user)
    if model is None:
        return []
    rows = reads.ranking(request.user, model, reads.Filters.of({"kind": kind, "min_dn": min_dn}))
    return _Rows(rows, reads.customers_of(request.user))


class _Rows:
    """The filtered ranking, turned into rows only for the page the pagination slices."""

    def __init__(self, rows, customers):
        self.rows, self.customers = rows, customers

    def __len__(self) -> int:
        return self.rows.count()

    def __getitem__(self, index):
        return [_row(r) for r in reads.with_customers(self.rows[index], self.customers)]


@router.get("/criticality/state", response=NetworkRankingStateOut)
def ranking_state(request):
    """When the current model was ranked, when a new ranking was asked for, and whether
    one is pending. 409 when no model has been imported."""
    return _state(_current(request))


@router.post(
    "/criticality/recompute", response={200: NetworkRankingStateOut, 202: NetworkRankingStateOut}
)
def recompute(request, idempotency_key: str = KEY):
    """Queue the current model's ranking (office): 202 when asked now, 200 when it was
    already pending (nothing queued again) or the Idempotency-Key was seen."""
    model, asked = service.recompute(request.user, key=idempotency_key)
    model.refresh_from_db()
    return Status(202 if asked else 200, _state(model))


@router.get("/customers/{customer_id}/risks", response=NetworkCustomerRisksOut)
def customer_risks(request, customer_id: Id):
    """The pipes whose burst cuts the customer off (its single points of failure) and those
    that leave it on one feed, in rank order."""
    require(request.user, VIEW_NETWORK)
    customer = get_object_or_404(CriticalCustomer.objects.visible_to(request.user), pk=customer_id)
    model = reads.current_model(request.user)
    if model is None:
        return {"customer": _customer(customer), "model": None, "cut": [], "low": []}
    risks = reads.risks(request.user, model, customer)
    customers = reads.customers_of(request.user)
    return {
        "customer": _customer(customer),
        "model": model.pk,
        "cut": [_row(r) for r in reads.with_customers(risks.cut, customers)],
        "low": [_row(r) for r in reads.with_customers(risks.low, customers)],
    }
