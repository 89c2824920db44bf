"""Pressure and flow points (压力监测点) and their telemetry devices: the office's
(`network.manage_network`). A point's code is unique in the organization; its node, when
given, must be a node of the current network model; its thresholds are bounded by the kind
(inputs_pressure.BOUNDS) with low below high. A telemetry device is a core device token
(`core.devices.enrol`, raw token returned once); one device may feed several points (bind an
enrolled one with `device_id`). One transaction per use-case, audited (the model is tracked),
each write returning `(point, created)` or `(point, changed)`."""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from headwater.core import devices, locks, writes
from headwater.core.audit import acting_as
from headwater.core.errors import DomainError, invalid, require
from headwater.core.models import DeviceToken
from headwater.network.errors import NetworkError
from headwater.network.inputs_pressure import DeviceInput, PointInput
from headwater.network.models import Node, PressurePoint
from headwater.network.permissions import MANAGE_NETWORK

FIELDS = ("code", "name", "kind", "node", "low", "high", "open_work_order", "active")


def _check_node(organization_id: int, node: str) -> None:
    if not node:
        return
    current = Node.objects.filter(model__organization_id=organization_id, model__current=True)
    if not current.exists():
        raise DomainError(
            _("There is no network model yet: import one before naming a node."),
            code=NetworkError.NO_MODEL,
            fields={"node": _("There is no network model yet.")},
        )
    if not current.filter(name=node).exists():
        raise DomainError(
            _("Node %(node)s is not in the current network model.") % {"node": node},
            code=NetworkError.UNKNOWN_NODE,
            fields={"node": _("Not a node of the current network model.")},
        )


def _device(organization_id: int, device_id: int | None) -> DeviceToken | None:
    if device_id is None:
        return None
    device = DeviceToken.objects.filter(
        pk=device_id, organization_id=organization_id, revoked_at__isnull=True
    ).first()
    if device is None:
        raise invalid({"device_id": _("Choose an enrolled device of your organization.")})
    return device


def _code_taken() -> DomainError:
    return invalid({"code": _("Another pressure point has this code.")})


def save_point(
    data: PointInput, *, by, point: PressurePoint | None = None, key: str = ""
) -> writes.Written[PressurePoint]:
    """Create a point (idempotent on `key`) or change one; `device_id` binds an enrolled
    device (None leaves the binding as it is)."""
    require(by, MANAGE_NETWORK)
    org_id = by.organization_id
    _check_node(org_id, data.node)
    device = _device(org_id, data.device_id)
    values = {f: getattr(data, f) for f in FIELDS}
    if device is not None:
        values["device"] = device

    def create():
        if PressurePoint.objects.filter(organization_id=org_id, code=data.code).exists():
            raise _code_taken()
        try:
            with transaction.atomic():
                return PressurePoint.objects.create(organization_id=org_id, **values), True
        except IntegrityError:
            raise _code_taken() from None

    with acting_as(by):
        if point is None:
            return writes.idempotent(
                "network.create_point", by=by, key=key, model=PressurePoint, write=create
            )
        with transaction.atomic():
            point = locks.lock_one(PressurePoint, point.pk)
            if (
                data.code != point.code
                and PressurePoint.objects.filter(organization_id=org_id, code=data.code).exists()
            ):
                raise _code_taken()
            changed = [f for f, v in values.items() if getattr(point, f) != v]
            for f in changed:
                setattr(point, f, values[f])
            if changed:
                point.save(update_fields=changed)
        return point, False


def deactivate_point(point: PressurePoint, *, by) -> writes.Written[PressurePoint]:
    """Stop watching a point: no alarms, not silent; its readings stay. False when it was
    inactive already."""
    require(by, MANAGE_NETWORK)
    with transaction.atomic(), acting_as(by):
        point = locks.lock_one(PressurePoint, point.pk)
        if not point.active:
            return point, False
        point.active = False
        point.save(update_fields=["active"])
    return point, True


def enrol_device(point: PressurePoint, data: DeviceInput, *, by) -> tuple[PressurePoint, str]:
    """A new telemetry device for the point: a core device token bound to it. The raw token
    is returned here once (shown as text), never again."""
    require(by, MANAGE_NETWORK)
    with transaction.atomic(), acting_as(by):
        token, raw = devices.enrol(point.organization, data.name, None, by=by)
        point = locks.lock_one(PressurePoint, point.pk)
        point.device = token
        point.save(update_fields=["device"])
    return point, raw


def revoke_device(point: PressurePoint, *, by) -> writes.Written[PressurePoint]:
    """The point's device stops authenticating (for every point it feeds). False when it had
    none or it was revoked already."""
    require(by, MANAGE_NETWORK)
    if point.device_id is None:
        return point, False
    device = DeviceToken.objects.get(pk=point.device_id)
    return point, devices.revoke(device, by=by)
