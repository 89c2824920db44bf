"""Gate posts, their scanner devices and duty teams (门禁卡点、扫码设备、值守班组).

Gates and devices are the office's (`access.manage_gates`). A device is a core device token
(`core.devices.enrol`, tied to the gate's site) with a `GateDevice` row naming its gate; its
raw token is returned once and never stored. Teams and their members are the office's and,
for gates at their units' sites, the unit head's (`access.manage_gate_teams`, reached through
the site's unit; a site without a unit is the office's alone); a unit head picks members among
the people of their units. One transaction per use-case, audited (the models are tracked),
bad input named by field, each write returning `(obj, created)`."""

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from headwater.access.errors import AccessError
from headwater.access.inputs_gates import DeviceInput, GateInput, MemberInput, TeamInput
from headwater.access.models import Gate, GateDevice, GateTeam, GateTeamMember
from headwater.access.permissions import MANAGE_GATES
from headwater.access.permissions_gates import MANAGE_TEAMS
from headwater.core import devices, locks
from headwater.core.audit import acting_as
from headwater.core.errors import DomainError, NotAllowed, invalid, require
from headwater.core.models import DeviceToken, Person, Site
from headwater.core.querysets import reaches, unit_scope


def _site(site_id: int, by) -> Site:
    site = Site.objects.filter(pk=site_id, organization_id=by.organization_id).first()
    if site is None:
        raise invalid({"site_id": _("Choose a site of your organization.")})
    return site


def save_gate(data: GateInput, *, by, gate: Gate | None = None) -> tuple[Gate, bool]:
    """Create a gate post at a site of the organization, or change one."""
    require(by, MANAGE_GATES)
    site = _site(data.site_id, by)
    values = {
        "site": site,
        "name": data.name,
        "kind": data.kind,
        "checks_temperature": data.checks_temperature,
        "active": data.active,
    }
    with transaction.atomic(), acting_as(by):
        if gate is None:
            return Gate.objects.create(organization_id=by.organization_id, **values), True
        gate = locks.lock_one(Gate, gate.pk)
        changed = [f for f, v in values.items() if getattr(gate, f) != v]
        for f in changed:
            setattr(gate, f, values[f])
        if changed:
            gate.save(update_fields=changed)
        if "active" in changed and not gate.active:
            _revoke_all(gate, by)
    return gate, False


def deactivate_gate(gate: Gate, *, by) -> tuple[Gate, bool]:
    """Close a post: it stays in the ledgers, its scanners stop (their tokens revoked).
    False when it was inactive already."""
    require(by, MANAGE_GATES)
    with transaction.atomic(), acting_as(by):
        gate = locks.lock_one(Gate, gate.pk)
        if not gate.active:
            return gate, False
        gate.active = False
        gate.save(update_fields=["active"])
        _revoke_all(gate, by)
    return gate, True


def _revoke_all(gate: Gate, by) -> None:
    tokens = DeviceToken.objects.filter(gate_device__gate=gate, revoked_at__isnull=True)
    for token in tokens.order_by("pk"):
        devices.revoke(token, by=by)


def enrol_device(gate: Gate, data: DeviceInput, *, by) -> tuple[GateDevice, str]:
    """A scanner for this gate: a device token of the gate's site and its GateDevice row.
    The raw token is returned here once (shown as text and QR code), never again."""
    require(by, MANAGE_GATES)
    if not gate.active:
        raise DomainError(
            pgettext(
                "gates", "This gate post is closed; open it again before enrolling a scanner."
            ),
            code=AccessError.WRONG_GATE,
            status=409,
        )
    with transaction.atomic(), acting_as(by):
        token, raw = devices.enrol(gate.organization, data.name, gate.site, by=by)
        row = GateDevice.objects.create(
            organization_id=gate.organization_id, gate=gate, device=token
        )
    return row, raw


def revoke_device(row: GateDevice, *, by) -> tuple[GateDevice, bool]:
    """The scanner stops authenticating. False when it was revoked already."""
    require(by, MANAGE_GATES)
    return row, devices.revoke(row.device, by=by)


# --- Teams ---------------------------------------------------------------------------------


def may_manage_teams(user, gate: Gate) -> bool:
    """The office for every gate; a unit head for the gates at their units' sites."""
    if not user.is_authenticated or gate.organization_id != user.organization_id:
        return user.is_superuser
    if user.has_perm(MANAGE_GATES):
        return True
    unit = gate.site.unit
    return unit is not None and reaches(user, MANAGE_TEAMS, unit)


def _require_teams(user, gate: Gate) -> None:
    if not may_manage_teams(user, gate):
        raise NotAllowed(
            pgettext(
                "gates", "Only the office or the head of the gate's unit may change its teams."
            )
        )


def team_candidates(user, organization_id: int):
    """The people a user may put in a team: the office anybody active of the organization, a
    unit head the active people of their units."""
    people = Person.objects.active().filter(organization_id=organization_id)
    if user.is_superuser or user.has_perm(MANAGE_GATES):
        return people
    scope = unit_scope(user, MANAGE_TEAMS, prefix="unit__")
    return people.filter(scope) if scope is not None else people.none()


def _person(user, organization_id: int, person_id, who: str, field: str) -> Person | None:
    """The person named by id or by staff number or phone, among those the user may pick."""
    if person_id is None and not who:
        return None
    people = team_candidates(user, organization_id)
    if person_id is not None:
        found = list(people.filter(pk=person_id)[:1])
    else:
        found = list(people.filter(Q(employee_no=who) | Q(phone=who))[:2])
    if len(found) != 1:
        raise invalid(
            {field: pgettext("gates", "Choose an active person you may put on the team.")}
        )
    return found[0]


def save_team(gate: Gate, data: TeamInput, *, by, team: GateTeam | None = None):
    """Create a team of a gate (its leader joins it), or change its name, batch or leader."""
    _require_teams(by, gate)
    leader = _person(
        by,
        gate.organization_id,
        data.leader_id,
        data.leader,
        "leader" if data.leader else "leader_id",
    )
    with transaction.atomic(), acting_as(by):
        locks.lock_one(Gate, gate.pk)  # two editors naming two teams alike: one waits
        clash = GateTeam.objects.filter(gate=gate, name=data.name)
        if team is not None:
            clash = clash.exclude(pk=team.pk)
        if clash.exists():
            raise invalid({"name": pgettext("gates", "This gate already has a team of that name.")})
        created = team is None
        if created:
            team = GateTeam.objects.create(
                organization_id=gate.organization_id,
                gate=gate,
                name=data.name,
                batch=data.batch,
                leader=leader,
            )
        else:
            team = locks.lock_one(GateTeam, team.pk)
            team.name, team.batch, team.leader = data.name, data.batch, leader
            team.save(update_fields=["name", "batch", "leader"])
        if leader is not None:
            GateTeamMember.objects.get_or_create(
                organization_id=gate.organization_id, team=team, person=leader
            )
    return team, created


def delete_team(team: GateTeam, *, by) -> tuple[GateTeam, bool]:
    _require_teams(by, team.gate)
    with transaction.atomic(), acting_as(by):
        deleted, _rows = GateTeam.objects.filter(pk=team.pk).delete()
    return team, bool(deleted)


def add_member(team: GateTeam, data: MemberInput, *, by) -> tuple[GateTeamMember, bool]:
    """Put a person on a team; the same person twice is one membership."""
    _require_teams(by, team.gate)
    person = _person(
        by, team.organization_id, data.person_id, data.who, "who" if data.who else "person_id"
    )
    try:
        with transaction.atomic(), acting_as(by):
            return GateTeamMember.objects.get_or_create(
                organization_id=team.organization_id, team=team, person=person
            )
    except IntegrityError:  # a parallel add of the same person won
        return GateTeamMember.objects.get(team=team, person=person), False


def remove_member(member: GateTeamMember, *, by) -> tuple[GateTeamMember, bool]:
    """Take a person off a team (a leader taken off stops leading it)."""
    team = member.team
    _require_teams(by, team.gate)
    with transaction.atomic(), acting_as(by):
        deleted, _rows = GateTeamMember.objects.filter(pk=member.pk).delete()
        if team.leader_id == member.person_id:
            team = locks.lock_one(GateTeam, team.pk)
            team.leader = None
            team.save(update_fields=["leader"])
    return member, bool(deleted)


def manageable_gates(user):
    """The gates whose teams a user may change (one query; the import checks each row)."""
    gates = Gate.objects.filter(organization_id=user.organization_id)
    if user.is_superuser or user.has_perm(MANAGE_GATES):
        return gates
    scope = unit_scope(user, MANAGE_TEAMS, prefix="site__unit__")
    return gates.filter(scope) if scope is not None else gates.none()
