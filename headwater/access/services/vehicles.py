"""Vehicles at a gate (车辆登记): plate, driver, cargo, disinfection, the driver's temperature
and the decision, recorded by the gate's guard.

Decisions, in order: a driver with a fever is refused (and the office alerted); a vehicle
going out is allowed; one coming with a visit that is not approved waits for it (refused,
"visit not approved"); at a closed site (封闭管理) an outside vehicle is refused unless a host
let it in — the host of its approved visit when that visit carries an override, or a host the
guard names with the reason they gave (recorded in `override_by`, `override_reason`, audited)
— and a vehicle let in that way must have been disinfected (the entry is refused as input,
nothing recorded, until it is). Everything else is allowed; disinfection is recorded
everywhere."""

import uuid

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from headwater.access.choices import Decision, Direction, RefusalReason, VisitState
from headwater.access.inputs_visits import VehicleInput
from headwater.access.models import Gate, VehicleEntry, Visit
from headwater.access.querysets_visitors import may_guard
from headwater.access.services.visits import find_host, is_closed, is_fever
from headwater.alerts.choices import Severity
from headwater.alerts.services import raise_alert
from headwater.core import audit, clock
from headwater.core.audit import acting_as
from headwater.core.errors import DomainError, NotAllowed
from headwater.core.roles import Role
from headwater.core.writes import Written, idempotent


def record_vehicle(gate: Gate, data: VehicleInput, *, by, key: str = "") -> Written[VehicleEntry]:
    """A vehicle at `gate` and the decision on it (see the module's docstring)."""
    if not may_guard(by, gate):
        raise NotAllowed(_("Only the guards of this gate may register its vehicles."))
    return idempotent(
        "access.vehicle",
        by=by,
        key=key,
        model=VehicleEntry,
        write=lambda: _record(gate, data, by=by, key=key),
    )


def _visit(gate: Gate, pk: int | None) -> Visit | None:
    if pk is None:
        return None
    visit = Visit.objects.filter(organization_id=gate.organization_id, site_id=gate.site_id, pk=pk)
    found = visit.select_related("host").first()
    if found is None:
        message = _("No visit %(id)s at this site.") % {"id": pk}
        raise DomainError(message, fields={"visit_id": message})
    return found


def _decide(gate: Gate, data: VehicleInput, visit: Visit | None, entry: VehicleEntry) -> None:
    org = gate.organization
    if is_fever(org, data.driver_temperature):
        entry.decision, entry.reason = Decision.REFUSE, RefusalReason.FEVER
        return
    entry.decision = Decision.ALLOW
    if data.direction == Direction.OUT:
        return
    if visit is not None and visit.state != VisitState.APPROVED:
        entry.decision, entry.reason = Decision.REFUSE, RefusalReason.VISIT_NOT_APPROVED
        return
    if not is_closed(gate.site):
        return
    if data.override_host:
        entry.override_by = find_host(org, data.override_host)
        entry.override_reason = data.override_reason
    elif visit is not None and visit.override_reason:
        entry.override_by, entry.override_reason = visit.host, visit.override_reason
    else:
        entry.decision, entry.reason = Decision.REFUSE, RefusalReason.SITE_CLOSED
        return
    if not data.disinfected:
        message = _("Disinfect the vehicle before it enters a closed site.")
        raise DomainError(message, fields={"disinfected": message})


def _record(gate: Gate, data: VehicleInput, *, by, key: str) -> Written[VehicleEntry]:
    visit = _visit(gate, data.visit_id)
    entry = VehicleEntry(
        organization_id=gate.organization_id,
        gate=gate,
        at=clock.now(),
        direction=data.direction,
        plate=data.plate,
        driver_name=data.driver_name,
        driver_phone=data.driver_phone,
        driver_temperature=data.driver_temperature,
        cargo=data.cargo,
        disinfected=data.disinfected,
        visit=visit,
        guard=by,
        key=(key or "").strip()[:64] or uuid.uuid4().hex,
    )
    _decide(gate, data, visit, entry)
    with transaction.atomic(), acting_as(by):
        entry.save()
        if entry.override_reason:
            audit.record(entry, actor=by, override_reason=entry.override_reason)
        if entry.reason == RefusalReason.FEVER:
            _alert_fever(entry)
    return entry, True


def _alert_fever(entry: VehicleEntry) -> None:
    raise_alert(
        entry.gate.organization,
        kind="access.driver_fever",
        title=_("Driver with a fever refused at %(gate)s: %(plate)s, %(t)s °C")
        % {"gate": entry.gate, "plate": entry.plate, "t": entry.driver_temperature},
        severity=Severity.CRITICAL,
        link=reverse("access:gate_visitors", args=[entry.gate_id]),
        unit=entry.gate.site.unit,
        to_roles=[Role.OFFICE],
        dedup_key=f"access.driver_fever:{entry.pk}",
    )
