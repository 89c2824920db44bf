"""Reads of the scan path: where a logged-in guard may scan, and the per-gate facts a scan
needs (the gate and its site, the organization, its public keys, the fever threshold, whether
the site is closed to outsiders), kept in the process's memory (core.memo) because every scan
reads them and they change a few times a month."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q
from django.db.models.signals import post_delete, post_save

from headwater.access import signing
from headwater.access.models import Gate, GateDevice, GateTeamMember, SigningKey
from headwater.access.permissions import SCAN
from headwater.core import grants, levels, memo
from headwater.core.models import DeviceToken, Organization, hash_token
from headwater.core.roles import ROLE_PERMISSIONS, Role


@dataclass(frozen=True)
class GateContext:
    """What every scan at one gate reads: loaded once per memory lifetime per process."""

    gate: Gate
    organization: Organization
    keys: dict[str, str]
    fever_tenths: int
    closed_to_outsiders: bool
    pass_seconds: int


def gate_context(organization_id: int, gate_id: int) -> GateContext | None:
    """The gate `gate_id` of the organization with its scan facts; None when there is none."""

    def load() -> GateContext | None:
        gate = (
            Gate.objects.select_related("site", "organization")
            .filter(organization_id=organization_id, pk=gate_id)
            .first()
        )
        if gate is None:
            return None
        org = gate.organization
        closed = levels.value(org, "access.closed_site_kinds") or []
        return GateContext(
            gate=gate,
            organization=org,
            keys=signing.public_keys(org),
            fever_tenths=int(levels.value(org, "access.fever_tenths")),
            closed_to_outsiders=gate.site.kind in closed,
            pass_seconds=int(levels.value(org, "access.pass_seconds")),
        )

    return memo.remember(organization_id, ("access.gate", gate_id), load)


# Devices are looked up by their token's hash before their organization is known: their
# memory is kept under this id of no organization, forgotten when any device token changes.
DEVICES = 0


def device_of(raw: str) -> DeviceToken | None:
    """The device a bearer token names, if enrolled and not revoked, remembered like the gate
    (a scanner sends a scan a second). A revocation is seen at once by this process and within
    the memory's lifetime (5 s) by the others."""
    return memo.remember(
        DEVICES, ("access.device", hash_token(raw)), lambda: DeviceToken.authenticate(raw)
    )


def _device_changed(sender, **kwargs) -> None:
    memo.forget(DEVICES)


def device_gate_id(device) -> int | None:
    """The gate a scanner device is enrolled for (None when it is not enrolled)."""

    def load() -> int | None:
        return (
            GateDevice.objects.filter(device_id=device.pk).values_list("gate_id", flat=True).first()
        )

    return memo.remember(device.organization_id, ("access.device_gate", device.pk), load)


def _scan_roles_reach(user, gate: Gate) -> bool:
    """A grant of a role holding `access.scan` (other than a guard's, which is per site) over
    the organization or a unit whose subtree holds the gate's site."""
    site_unit_path = gate.site.unit.path if gate.site.unit_id else None
    for role, path in user.grants:
        if role == Role.GUARD or SCAN not in ROLE_PERMISSIONS.get(role, set()):
            continue
        if path is None or (site_unit_path or "").startswith(path):
            return True
    return False


def may_scan(user, gate: Gate) -> bool:
    """Whether a logged-in user may scan at `gate`: a guard granted at the gate's site, a role
    holding `access.scan` whose grant reaches the site (the office), or a member of one of the
    gate's duty teams (whatever their role)."""
    if not user.is_authenticated or user.organization_id != gate.organization_id:
        return False
    if user.has_perm(SCAN):
        if _scan_roles_reach(user, gate):
            return True
        if Role.GUARD in user.roles and grants.sites_of(user).filter(pk=gate.site_id).exists():
            return True
    if user.person_id:
        return GateTeamMember.objects.filter(
            team__gate_id=gate.pk, person_id=user.person_id
        ).exists()
    return False


def scannable_gates(user):
    """The active gates where `user` may scan (for the scanner page's choice of post)."""
    if not user.is_authenticated:
        return Gate.objects.none()
    gates = Gate.objects.of(user.organization).filter(active=True).select_related("site")
    q = Q(pk__in=[])
    if user.has_perm(SCAN):
        for role, path in user.grants:
            if role == Role.GUARD or SCAN not in ROLE_PERMISSIONS.get(role, set()):
                continue
            if path is None:
                return gates
            q |= Q(site__unit__path__startswith=path)
        if Role.GUARD in user.roles:
            q |= Q(site__in=grants.sites_of(user))
    if user.person_id:
        q |= Q(
            pk__in=GateTeamMember.objects.filter(person_id=user.person_id).values("team__gate_id")
        )
    return gates.filter(q).distinct()


# A change to a gate, an enrolment or a key is seen at once in this process (imported from
# AccessConfig.ready()); other processes see it within the memory's lifetime.
memo.forget_on_change(Gate, GateDevice, SigningKey)
post_save.connect(_device_changed, sender=DeviceToken, dispatch_uid="access:devices")
post_delete.connect(_device_changed, sender=DeviceToken, dispatch_uid="access:devices-gone")
