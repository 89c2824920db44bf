"""The network's work orders (管网工单): opened from a burst's impact, a pressure alarm or
a hidden-risk check; advanced open → isolated → repaired → closed (or closed from any
active state with a note). One write contract: `(order, created)`, one transaction,
idempotent on the caller's key, audited through the tracked model.

A work order of a pressure point is opened at most once while one is active for that
point (`open_for_point`): a retried or repeated alarm returns the active one."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from headwater.core import clock, locks, writes
from headwater.core.errors import DomainError, require
from headwater.network.choices import WorkOrderKind, WorkOrderState
from headwater.network.errors import NetworkError
from headwater.network.models import NetworkModel, PressurePoint, WorkOrder
from headwater.network.permissions import MANAGE_WORK_ORDERS

NEXT = {
    WorkOrderState.OPEN: WorkOrderState.ISOLATED,
    WorkOrderState.ISOLATED: WorkOrderState.REPAIRED,
    WorkOrderState.REPAIRED: WorkOrderState.CLOSED,
}


def _number(organization) -> str:
    """GD<yyyymmdd>-<n>: the n-th work order of the organization that day."""
    day = clock.today()
    prefix = f"GD{day:%Y%m%d}-"
    taken = WorkOrder.objects.filter(organization=organization, number__startswith=prefix)
    return f"{prefix}{taken.count() + 1:03d}"


def _create(organization, **fields) -> WorkOrder:
    """Insert with the next number; a parallel insert that took it makes us take the next."""
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return WorkOrder.objects.create(
                    organization=organization, number=_number(organization), **fields
                )
        except IntegrityError:
            continue
    raise DomainError(_("The work order could not be numbered; please try again."))


def open_order(
    organization,
    *,
    kind: str,
    title: str,
    by,
    key: str = "",
    model: NetworkModel | None = None,
    link: str = "",
    node: str = "",
    x: float | None = None,
    y: float | None = None,
    location: str = "",
    note: str = "",
    impact: dict | None = None,
    point: PressurePoint | None = None,
) -> writes.Written[WorkOrder]:
    """Open a work order. `impact` is what the burst service computed (burst.Impact.as_dict()),
    kept as it was when opened: the board reads the cut and low customers from it."""
    if by is not None:
        require(by, MANAGE_WORK_ORDERS)
    if kind not in WorkOrderKind.values:
        message = _("Choose a kind of work order.")
        raise DomainError(message, fields={"kind": message})
    title = (title or "").strip()
    if not title:
        message = _("Give the work order a title.")
        raise DomainError(message, fields={"title": message})

    def write():
        order = _create(
            organization,
            kind=kind,
            title=title[:200],
            model=model,
            link=link,
            node=node,
            x=x,
            y=y,
            location=location[:200],
            note=note,
            impact=impact or {},
            point=point,
            opened_by=by,
        )
        return order, True

    return writes.idempotent(
        "network.open_work_order", by=by, key=key, model=WorkOrder, write=write
    )


def open_for_point(
    point: PressurePoint, *, title: str, note: str = ""
) -> writes.Written[WorkOrder]:
    """The alarm's work order of a pressure point (by the system, no user): the active one if
    there is one, else a new one. Runs in the caller's transaction when there is one."""
    with transaction.atomic():
        locks.lock_one(PressurePoint.objects.all(), point.pk)
        active = WorkOrder.objects.filter(
            organization_id=point.organization_id,
            point=point,
            state__in=WorkOrderState.active(),
        ).first()
        if active is not None:
            return active, False
        order = _create(
            point.organization,
            kind=WorkOrderKind.PRESSURE,
            title=title[:200],
            node=point.node,
            note=note,
            point=point,
        )
        return order, True


def advance(order: WorkOrder, *, by, to: str = "", note: str = "") -> writes.Written[WorkOrder]:
    """Move an active work order to its next state (or to `to`: "closed" from any active
    state). Moving to the state it already has changes nothing (a retry); anything else
    out of order is refused with the states named. Returns (order, changed)."""
    require(by, MANAGE_WORK_ORDERS)
    with transaction.atomic():
        order = locks.lock_one(WorkOrder.objects.all(), order.pk)
        target = to or NEXT.get(order.state, "")
        if target == order.state:
            return order, False
        allowed = {NEXT.get(order.state), WorkOrderState.CLOSED} - {None}
        if order.state == WorkOrderState.CLOSED or target not in allowed:
            raise DomainError(
                _("This work order is %(state)s; it cannot become %(target)s.")
                % {
                    "state": WorkOrderState(order.state).label,
                    "target": WorkOrderState(target).label
                    if target in WorkOrderState.values
                    else target,
                },
                code=NetworkError.WORK_ORDER_STATE,
                status=409,
            )
        order.state = target
        fields = ["state"]
        if note:
            order.note = f"{order.note}\n{note}".strip()
            fields.append("note")
        if target == WorkOrderState.CLOSED:
            order.closed_at, order.closed_by = clock.now(), by
            fields += ["closed_at", "closed_by"]
        order.save(update_fields=fields)
        return order, True
