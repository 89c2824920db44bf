"""The map's endpoints (/api/v1/network): the current model's geometry, a pipe's burst impact
and the network's work orders (list, open, detail, advance). Thin: reads through
`reads_map` (scoped with `visible_to`), writes through `services/map.py`."""

from django.shortcuts import get_object_or_404
from ninja import Header, Router, Status
from ninja.pagination import paginate

from headwater.core.apiauth import SessionAuth
from headwater.core.apitypes import Id, Pagination
from headwater.core.errors import require
from headwater.network import reads_map
from headwater.network.inputs_map import AdvanceInput, BurstInput, WorkOrderInput
from headwater.network.permissions import VIEW_NETWORK
from headwater.network.schemas_map import (
    Code,
    ElementId,
    NetworkBurstOut,
    NetworkMapOut,
    NetworkWorkOrderAdvanceIn,
    NetworkWorkOrderIn,
    NetworkWorkOrderOut,
)
from headwater.network.services import map as service

router = Router(auth=SessionAuth())
MAP, ORDERS = ["network map"], ["network work orders"]
KEY = Header("", alias="Idempotency-Key")


@router.get("/map", response=NetworkMapOut, tags=MAP)
def network_map(request):
    """The current model to draw: nodes, links with their bends, the valve layer, critical
    customers with their state, active work orders. 404 `network_no_model` without a model."""
    return reads_map.geometry(request.user)


@router.get("/burst", response=NetworkBurstOut, tags=MAP)
def network_burst(
    request,
    pipe: ElementId,
    hydraulic: bool = True,
):
    """What a burst on `pipe` of the current model cuts off: the valves to close, the
    segment, unintended isolation, critical customers, and (hydraulic=true) the
    pressure-dependent check of the rest of the network."""
    data = BurstInput.parse({"pipe": pipe, "hydraulic": hydraulic})
    model = reads_map.current_model(request.user)
    return service.analyse(model, data.pipe, hydraulic=data.hydraulic)


def _order(request, work_order_id: int):
    require(request.user, VIEW_NETWORK)
    return get_object_or_404(reads_map.orders_of(request.user), pk=work_order_id)


@router.get("/work-orders", response=list[NetworkWorkOrderOut], tags=ORDERS)
@paginate(Pagination, page_size=50)
def list_work_orders(
    request,
    state: Code = "",
    kind: Code = "",
):
    """The network's work orders, newest first; `state=active` for the ones not closed."""
    require(request.user, VIEW_NETWORK)
    return [reads_map.order_out(o) for o in reads_map.orders_filtered(request.user, state, kind)]


@router.post(
    "/work-orders", response={200: NetworkWorkOrderOut, 201: NetworkWorkOrderOut}, tags=ORDERS
)
def open_work_order(request, payload: NetworkWorkOrderIn, idempotency_key: str = KEY):
    """Open a work order (office, dispatchers, crews). A burst computes its impact on the
    current model; 201 when opened, 200 for a replayed Idempotency-Key."""
    data = WorkOrderInput.parse(payload.dict())
    order, created = service.open_from_input(request.user, data, key=idempotency_key)
    return Status(201 if created else 200, reads_map.order_out(order))


@router.get("/work-orders/{work_order_id}", response=NetworkWorkOrderOut, tags=ORDERS)
def get_work_order(request, work_order_id: Id):
    return reads_map.order_out(_order(request, work_order_id))


@router.post("/work-orders/{work_order_id}/advance", response=NetworkWorkOrderOut, tags=ORDERS)
def advance_work_order(request, work_order_id: Id, payload: NetworkWorkOrderAdvanceIn):
    """Move the work order to `to` (isolated → repaired → closed; closed early with a note).
    Asking for the state it has already changes nothing (a retry)."""
    order = _order(request, work_order_id)
    order, _changed = service.advance_order(
        order, AdvanceInput.parse(payload.dict()), by=request.user
    )
    return reads_map.order_out(order)
