"""Critical customers endpoints (/api/v1/network): the registry (list, create, detail, patch,
deactivate) and the board (each active customer's state with its reasons).

Thin: reads through `visible_to` and services/board.py, writes through services/customers.py;
refusals come back in the one error shape."""

from django.shortcuts import get_object_or_404
from ninja import Header, Router, Status
from ninja.pagination import paginate

from headwater.core.apiauth import SessionAuth
from headwater.core.apitypes import Id, Pagination
from headwater.core.errors import require
from headwater.network.choices import CustomerKind, SupplyState
from headwater.network.inputs_customers import CustomerInput
from headwater.network.models import CriticalCustomer
from headwater.network.permissions import VIEW_NETWORK
from headwater.network.schemas_customers import (
    NetworkBoardOut,
    NetworkCustomerIn,
    NetworkCustomerOut,
    NetworkCustomerPatch,
)
from headwater.network.services import board
from headwater.network.services import customers as service

router = Router(auth=SessionAuth())
TAGS = ["critical customers"]


def customer_out(c: CriticalCustomer) -> dict:
    return {
        "id": c.pk,
        "name": c.name,
        "kind": c.kind,
        "kind_label": str(c.get_kind_display()),
        "address": c.address,
        "contact": c.contact,
        "contact_phone": c.contact_phone,
        "duty_phone": c.duty_phone,
        "nodes": list(c.nodes),
        "feeds": c.feeds,
        "min_pressure": c.min_pressure,
        "x": c.x,
        "y": c.y,
        "pressure_point_id": c.pressure_point_id,
        "note": c.note,
        "active": c.active,
    }


def _customers(request):
    require(request.user, VIEW_NETWORK)
    return CriticalCustomer.objects.visible_to(request.user)


def _customer(request, customer_id: int) -> CriticalCustomer:
    return get_object_or_404(_customers(request), pk=customer_id)


@router.get("/customers", response=list[NetworkCustomerOut], tags=TAGS)
@paginate(Pagination, page_size=100)
def list_customers(request, kind: str | None = None, active: bool | None = None):
    """The organization's critical customers, by kind and name."""
    qs = _customers(request).order_by("kind", "name", "pk")
    if kind:
        qs = qs.filter(kind=kind[:30])
    if active is not None:
        qs = qs.filter(active=active)
    return [customer_out(c) for c in qs]


@router.post("/customers", response={200: NetworkCustomerOut, 201: NetworkCustomerOut}, tags=TAGS)
def create_customer(
    request,
    payload: NetworkCustomerIn,
    idempotency_key: str = Header("", alias="Idempotency-Key"),
):
    """Register a critical customer; 201 when created, 200 for a retry (same Idempotency-Key,
    or the same values sent again)."""
    customer, created = service.create_customer(
        request.user.organization,
        CustomerInput.parse(payload.dict()),
        by=request.user,
        key=idempotency_key,
    )
    return Status(201 if created else 200, customer_out(customer))


@router.get("/customers/{int:customer_id}", response=NetworkCustomerOut, tags=TAGS)
def get_customer(request, customer_id: Id):
    return customer_out(_customer(request, customer_id))


@router.patch("/customers/{int:customer_id}", response=NetworkCustomerOut, tags=TAGS)
def edit_customer(request, customer_id: Id, payload: NetworkCustomerPatch):
    """Change the fields sent; `active: true` puts a deactivated customer back on the board."""
    customer = _customer(request, customer_id)
    changes = payload.dict(exclude_unset=True)
    customer, _created = service.update_customer(
        customer, service.as_input(customer, **changes), by=request.user
    )
    return customer_out(customer)


@router.post("/customers/{int:customer_id}/deactivate", response=NetworkCustomerOut, tags=TAGS)
def deactivate_customer(request, customer_id: Id):
    """Take the customer off the board (kept for the record); again changes nothing."""
    customer, _changed = service.deactivate_customer(
        _customer(request, customer_id), by=request.user
    )
    return customer_out(customer)


def board_out(rows: list[board.CustomerState]) -> dict:
    return {
        "counts": board.counts(rows),
        "items": [
            {
                "customer": customer_out(r.customer),
                "state": r.state,
                "state_label": r.state_label,
                "reasons": [str(reason) for reason in r.reasons],
                "redundancy": r.redundancy,
                "pressure": r.pressure,
                "pressure_at": r.pressure_at,
                "silent": r.silent,
                "orders": [vars(o) for o in r.orders],
            }
            for r in rows
        ],
    }


@router.get("/board", response=NetworkBoardOut, tags=TAGS)
def get_board(request, state: str | None = None, kind: str | None = None):
    """Every active critical customer's supply state now (fed, at_risk, cut), worst first,
    with the reasons; `counts` are of the customers of the kind asked for."""
    rows = board.states(request.user.organization, _customers(request).filter(active=True))
    if kind in CustomerKind.values:
        rows = [r for r in rows if r.customer.kind == kind]
    out = board_out(rows)
    if state in SupplyState.values:
        out["items"] = [i for i in out["items"] if i["state"] == state]
    return out
