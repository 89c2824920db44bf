"""The map's writes: a work order opened from a burst analysis (or by hand through the API),
and a work order moved on by a crew. They compose `services/workorders.py` with the burst
engine; the write contract is that module's: `(order, created)`, one transaction, idempotent
on the caller's key."""

from __future__ import annotations

from django.utils.translation import gettext as _

from headwater.core import writes
from headwater.core.errors import DomainError, require
from headwater.network import reads_map
from headwater.network.choices import WorkOrderKind, WorkOrderState
from headwater.network.errors import NetworkError
from headwater.network.inputs_map import AdvanceInput, WorkOrderInput
from headwater.network.models import Link, NetworkModel, WorkOrder
from headwater.network.permissions import MANAGE_WORK_ORDERS
from headwater.network.services import workorders

OPEN_ACTION = "network.open_work_order"  # workorders.open_order's idempotency action


def analyse(model: NetworkModel, pipe: str, *, hydraulic: bool = True) -> dict:
    """The burst impact as JSON (`services.burst`), with the hydraulic check left out (and
    said so) when EPANET fails: an emergency must not wait for the solver."""
    from headwater.network.services import burst

    try:
        return burst.impact(model, pipe, hydraulic=hydraulic).as_dict()
    except DomainError as e:
        if not hydraulic or e.code != NetworkError.HYDRAULICS_FAILED:
            raise
        result = burst.impact(model, pipe, hydraulic=False).as_dict()
        result["hydraulic_error"] = e.message
        return result


def burst_title(model: NetworkModel, pipe: str) -> str:
    dn = Link.objects.filter(model=model, name=pipe).values_list("diameter", flat=True).first()
    if dn:
        return _("Burst on pipe %(pipe)s (DN%(dn)s)") % {"pipe": pipe, "dn": round(dn)}
    return _("Burst on pipe %(pipe)s") % {"pipe": pipe}


def open_burst_order(
    user, pipe: str, *, key: str = "", note: str = "", title: str = "", location: str = ""
) -> writes.Written[WorkOrder]:
    """Open the burst work order of `pipe` of the current model with its impact as computed
    now (hydraulics included). A retried key answers the first order before anything is
    computed again."""
    require(user, MANAGE_WORK_ORDERS)
    if (first := writes.replay(OPEN_ACTION, by=user, key=key, model=WorkOrder)) is not None:
        return first, False
    model = reads_map.current_model(user)
    impact = analyse(model, pipe, hydraulic=True)
    x, y = reads_map.midpoint(model, pipe)
    return workorders.open_order(
        user.organization,
        kind=WorkOrderKind.BURST,
        title=title or burst_title(model, pipe),
        by=user,
        key=key,
        model=model,
        link=pipe,
        x=x,
        y=y,
        location=location,
        note=note,
        impact=impact,
    )


def open_from_input(user, data: WorkOrderInput, *, key: str = "") -> writes.Written[WorkOrder]:
    """A work order from the API: a burst computes its impact; another kind sits at its pipe
    or node of the current model when one is given."""
    if data.kind == WorkOrderKind.BURST:
        return open_burst_order(
            user, data.pipe, key=key, note=data.note, title=data.title, location=data.location
        )
    require(user, MANAGE_WORK_ORDERS)
    model, x, y = None, None, None
    if data.pipe or data.node:
        model = reads_map.current_model(user)
        if data.pipe:
            _known_link(model, data.pipe)
            x, y = reads_map.midpoint(model, data.pipe)
        else:
            x, y = _node_place(model, data.node)
    return workorders.open_order(
        user.organization,
        kind=data.kind,
        title=data.title,
        by=user,
        key=key,
        model=model,
        link=data.pipe,
        node=data.node,
        x=x,
        y=y,
        location=data.location,
        note=data.note,
    )


def _known_link(model: NetworkModel, pipe: str) -> None:
    if not Link.objects.filter(model=model, name=pipe).exists():
        message = _("The model has no pipe %(pipe)s.") % {"pipe": pipe}
        raise DomainError(message, code=NetworkError.UNKNOWN_LINK, fields={"pipe": message})


def _node_place(model: NetworkModel, node: str):
    row = model.nodes.filter(name=node).values_list("x", "y").first()
    if row is None:
        message = _("The model has no node %(node)s.") % {"node": node}
        raise DomainError(message, code=NetworkError.UNKNOWN_NODE, fields={"node": message})
    return row


def advance_order(order: WorkOrder, data: AdvanceInput, *, by) -> writes.Written[WorkOrder]:
    """Move a work order to `data.to`. Closing before the repair is done needs a note saying
    why; moving to the state it has already is a retry and changes nothing."""
    early = order.state in (WorkOrderState.OPEN, WorkOrderState.ISOLATED)
    if data.to == WorkOrderState.CLOSED and early and not data.note:
        message = _("Say why the work order is closed before the repair.")
        raise DomainError(message, fields={"note": message})
    return workorders.advance(order, by=by, to=data.to, note=data.note)
