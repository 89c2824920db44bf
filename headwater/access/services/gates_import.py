"""Duty teams imported from a spreadsheet (卡点, 组名, 批次, 姓名, 工号/手机, optional 组长)
through core.importer: one row per member, every bad row named with its reasons, nothing
written on any error. A row names a gate post the importer may manage teams of, and a person
by staff number or phone whose name must match (a typo in a number would otherwise put the
wrong person at a gate). Teams are created or their batch and leader brought up to date;
members are added, never removed (a list of one batch does not empty the others); importing
the same file again changes nothing and leaves no audit event.

Tally: created = people put on a team, updated = teams created or changed, unchanged = rows
already in place."""

from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy, pgettext, pgettext_lazy

from headwater.access.inputs_gates import NAME_MAX, parse_batch
from headwater.access.models import Gate, GateTeam, GateTeamMember
from headwater.access.permissions_gates import MANAGE_TEAMS
from headwater.access.services.gates import manageable_gates, team_candidates
from headwater.core import locks
from headwater.core.audit import acting_as
from headwater.core.errors import require
from headwater.core.importer import (
    Column,
    ImportReport,
    ImportSpec,
    Tally,
    export_table,
    run_import,
)

COLUMNS = (
    Column(
        "gate", "卡点", ("卡点名称", "门岗", "gate"), required=True, label=gettext_lazy("gate post")
    ),
    Column(
        "team",
        "组名",
        ("班组", "组别", "team"),
        required=True,
        label=pgettext_lazy("gates", "team"),
    ),
    Column("batch", "批次", ("batch",), label=gettext_lazy("batch")),
    Column("name", "姓名", ("name",), required=True, label=gettext_lazy("Name")),
    Column(
        "who",
        "工号/手机",
        ("工号", "手机", "手机号", "工号或手机", "employee_no", "phone"),
        required=True,
        label=pgettext_lazy("gates", "staff number or phone"),
    ),
    Column("leader", "组长", ("leader",), label=gettext_lazy("team leader")),
)
YES = {"是", "√", "✓", "y", "yes", "1", "组长", "true"}


def template(fmt: str) -> bytes:
    """An empty file with the columns, to fill in Excel."""
    example = [["东门卡点", "第一组", "1", "王五", "E1001", "是"]]
    return export_table(COLUMNS, example, fmt)


class _Rows:
    """The row validator: syntax first, then the gate and person each row names (one query
    each, remembered), and the batch and leader a team keeps across its rows."""

    def __init__(self, by):
        self.gates = manageable_gates(by).filter(active=True).select_related("site")
        self.people = team_candidates(by, by.organization_id)
        self.found: dict[tuple[str, str], Any] = {}
        self.teams: dict[tuple[int, str], dict] = {}

    def _gate(self, name: str):
        key = ("gate", name)
        if key not in self.found:
            self.found[key] = list(self.gates.filter(name=name)[:2])
        return self.found[key]

    def _person(self, who: str):
        key = ("person", who)
        if key not in self.found:
            self.found[key] = list(self.people.filter(Q(employee_no=who) | Q(phone=who))[:2])
        return self.found[key]

    def __call__(self, raw: dict[str, str]) -> dict[str, Any] | list[str]:
        errors: list[str] = []
        gate_name, team = raw.get("gate", ""), raw.get("team", "")
        name, who = raw.get("name", ""), raw.get("who", "").replace(" ", "")
        bad: dict[str, str] = {}
        batch = parse_batch(raw.get("batch"), bad)
        errors += bad.values()
        if len(team) > NAME_MAX:
            errors.append(
                pgettext("gates", "The team name is too long (at most %(n)s characters).")
                % {"n": NAME_MAX}
            )
        gates = self._gate(gate_name) if gate_name else [None]
        if not gates:
            errors.append(
                pgettext("gates", "No open gate post of that name whose teams you may manage.")
            )
        elif len(gates) > 1:
            errors.append(
                pgettext("gates", "Several gate posts are called “%(name)s”; rename one first.")
                % {"name": gate_name}
            )
        people = self._person(who) if who else [None]
        if not people:
            errors.append(
                pgettext(
                    "gates",
                    "No active person you may put on a team has the staff number or phone %(who)s.",
                )
                % {"who": who}
            )
        elif len(people) > 1:
            errors.append(
                pgettext(
                    "gates", "The phone %(who)s belongs to several people; give the staff number."
                )
                % {"who": who}
            )
        elif people[0] is not None and name and people[0].name != name:
            errors.append(
                pgettext("gates", "%(who)s is %(person)s, not %(name)s.")
                % {"who": who, "person": people[0].name, "name": name}
            )
        leader = raw.get("leader", "").strip().lower() in YES
        if errors or gates[0] is None or people[0] is None:
            return errors
        errors += self._same_team(gates[0].pk, team, batch, leader, people[0].pk)
        if errors:
            return errors
        return {
            "gate": gates[0],
            "team": team,
            "batch": batch,
            "person": people[0],
            "leader": leader,
        }

    def _same_team(self, gate_id, team, batch, leader, person_id) -> list[str]:
        seen = self.teams.setdefault((gate_id, team), {"batch": batch, "leader": None})
        errors = []
        if seen["batch"] != batch:
            errors.append(
                pgettext("gates", "Team %(team)s is in batch %(batch)s on an earlier row.")
                % {"team": team, "batch": seen["batch"]}
            )
        if leader:
            if seen["leader"] not in (None, person_id):
                errors.append(
                    pgettext("gates", "Team %(team)s has another leader on an earlier row.")
                    % {"team": team}
                )
            else:
                seen["leader"] = person_id
        return errors


def spec(by) -> ImportSpec:
    return ImportSpec(columns=COLUMNS, validate_row=_Rows(by), key=("gate", "team", "who"))


def import_teams(organization, uploaded_file, filename: str, *, by) -> ImportReport:
    """Check the whole file, then write every row in one transaction (or nothing)."""
    require(by, MANAGE_TEAMS)

    def apply(rows: list[dict[str, Any]]) -> Tally:
        with acting_as(by):
            tally = _apply(organization.pk, rows)
            tally.record(organization, by=by, filename=filename, what="access_gate_teams")
        return tally

    return run_import(uploaded_file, filename, spec(by), apply=apply)


def _apply(organization_id: int, rows: list[dict[str, Any]]) -> Tally:
    tally = Tally()
    gate_ids = {r["gate"].pk for r in rows}
    # The gates locked first: a parallel import or team edit of the same gates waits.
    locks.lock(Gate.objects.filter(pk__in=gate_ids))
    teams = {(t.gate_id, t.name): t for t in GateTeam.objects.filter(gate_id__in=gate_ids)}
    members = set(
        GateTeamMember.objects.filter(team__gate_id__in=gate_ids).values_list(
            "team_id", "person_id"
        )
    )
    touched: set[int] = set()
    for row in rows:
        gate, person = row["gate"], row["person"]
        team = teams.get((gate.pk, row["team"]))
        if team is None:
            team = GateTeam.objects.create(
                organization_id=organization_id, gate=gate, name=row["team"], batch=row["batch"]
            )
            teams[(gate.pk, team.name)] = team
            touched.add(team.pk)
        changed = []
        if team.batch != row["batch"]:
            team.batch = row["batch"]
            changed.append("batch")
        if row["leader"] and team.leader_id != person.pk:
            team.leader = person
            changed.append("leader")
        if changed:
            team.save(update_fields=changed)
            touched.add(team.pk)
        if (team.pk, person.pk) in members:
            tally.unchanged += 1
            continue
        GateTeamMember.objects.create(organization_id=organization_id, team=team, person=person)
        members.add((team.pk, person.pk))
        tally.created += 1
    tally.updated = len(touched)
    return tally
