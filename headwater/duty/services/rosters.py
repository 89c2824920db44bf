"""Rosters: generate a unit's roster for a period with the solver, edit it by hand, publish
it. Every write is permission-checked (the unit head of the roster's unit, or the office),
one transaction and audited; every check of the hard rules goes through duty.rules.

- `generate(unit, start, end, *, by)`: a draft roster of the active posts of the unit (and
  its subtree) — one Shift per post's ShiftDef per day and the solver's assignments. The
  same period again regenerates the draft (its shifts and assignments are replaced); a
  published roster overlapping the period is refused. The solver runs before the write
  transaction (nothing is locked while it thinks).
- `publish(roster, *, by)`: refused while any hard rule breaks, every break named.
- `assign(shift, person, *, by)`, `unassign(assignment, *, by)`: hand edits, free on a draft;
  on a published roster refused when they would add a break (a published shift below its
  minimum, overlapping shifts for one person...)."""

import datetime as dt

from auditlog.context import disable_auditlog
from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from headwater.core import audit, clock, locks
from headwater.core.audit import acting_as
from headwater.core.errors import DomainError, NotAllowed
from headwater.core.querysets import reaches
from headwater.duty import rules, solver
from headwater.duty.choices import AssignmentSource, RosterState
from headwater.duty.errors import DutyError
from headwater.duty.models import (
    Assignment,
    Handover,
    LogEntry,
    Post,
    Roster,
    Shift,
    ShiftFlag,
    Swap,
)
from headwater.duty.permissions import MANAGE_ROSTERS
from headwater.duty.services.rosters_problem import build_problem, shift_rows

MAX_DAYS = 62


def time_limit() -> float:
    return float(getattr(settings, "HEADWATER_DUTY_SOLVER_SECONDS", solver.DEFAULT_TIME_LIMIT))


def may_manage(user, unit) -> bool:
    return unit.organization_id == user.organization_id and reaches(user, MANAGE_ROSTERS, unit)


def _require(user, unit) -> None:
    if not may_manage(user, unit):
        raise NotAllowed(_("Only the head of this unit or the office may change its rosters."))


def _check_period(start: dt.date, end: dt.date) -> None:
    if end < start:
        raise DomainError(
            _("The period ends before it starts."),
            fields={"ends_on": _("The period ends before it starts.")},
        )
    if (end - start).days + 1 > MAX_DAYS:
        raise DomainError(
            _("A roster covers at most %(n)s days.") % {"n": MAX_DAYS},
            fields={"ends_on": _("A roster covers at most %(n)s days.") % {"n": MAX_DAYS}},
        )


def generate(unit, start: dt.date, end: dt.date, *, by, seconds: float | None = None):
    """Generate (or regenerate) the draft roster of `unit` for [start, end]."""
    _require(by, unit)
    _check_period(start, end)
    posts = list(
        Post.objects.of(unit.organization)
        .filter(active=True, unit__path__startswith=unit.path)
        .prefetch_related("shift_defs")
        .order_by("pk")
    )
    if not any(p.shift_defs.all() for p in posts):
        raise DomainError(
            _("%(unit)s has no active post with shifts to roster.") % {"unit": unit.name},
            code=DutyError.INFEASIBLE,
        )
    existing = _existing(unit, start, end)
    rows = shift_rows(posts, start, end)
    problem = build_problem(
        unit.organization, posts, rows, start, end, roster_id=existing.pk if existing else None
    )
    result = solver.solve(problem, seconds if seconds is not None else time_limit())
    with transaction.atomic(), acting_as(by):
        roster, created = _roster_for(unit, start, end, by)
        replaced = _clear(roster)
        shifts = Shift.objects.bulk_create(
            Shift(organization_id=unit.organization_id, roster=roster, **row.fields) for row in rows
        )
        by_key = {row.key: shift for row, shift in zip(rows, shifts, strict=True)}
        Assignment.objects.bulk_create(
            Assignment(
                organization_id=unit.organization_id,
                shift=by_key[key],
                person_id=pid,
                leads=result.leads.get(key) == pid,
                source=AssignmentSource.SOLVER,
            )
            for key, people in result.assigned.items()
            for pid in people
        )
        roster.solver_status = result.status
        roster.objective = result.objective
        roster.solve_seconds = result.seconds
        roster.explanation = result.explanation
        roster.save()
        audit.record(
            roster,
            actor=by,
            generated=f"{start}–{end}",
            status=result.status,
            assignments=sum(len(p) for p in result.assigned.values()),
            replaced=replaced,
        )
    return roster, created


def _clear(roster) -> int:
    """Remove a draft's shifts and assignments before it is regenerated: one audit record of
    the regeneration (its `replaced` count) rather than one per row (19,000 for a month of
    100 posts: two minutes). Rows hanging off them (log entries, handovers, flags, swaps)
    are removed through the ORM as usual."""
    shifts = Shift.objects.filter(roster=roster)
    assignments = Assignment.objects.filter(shift__roster=roster)
    count = assignments.count()
    dependent = (
        LogEntry.objects.filter(shift__roster=roster).exists()
        or Handover.objects.filter(shift__roster=roster).exists()
        or Handover.objects.filter(next_shift__roster=roster).exists()
        or ShiftFlag.objects.filter(assignment__shift__roster=roster).exists()
        or Swap.objects.filter(assignment__shift__roster=roster).exists()
    )
    with disable_auditlog():
        if dependent:
            shifts.delete()
        else:
            assignments._raw_delete(assignments.db)
            shifts._raw_delete(shifts.db)
    return count


def _existing(unit, start, end) -> Roster | None:
    overlapping = list(
        Roster.objects.of(unit.organization).filter(
            unit=unit, starts_on__lte=end, ends_on__gte=start
        )
    )
    for r in overlapping:
        if r.state == RosterState.PUBLISHED:
            raise DomainError(
                _("The roster of %(a)s–%(b)s is published already: edit it by hand.")
                % {"a": r.starts_on, "b": r.ends_on},
                code=DutyError.PUBLISHED,
            )
        if (r.starts_on, r.ends_on) != (start, end):
            raise DomainError(
                _("A draft roster of %(a)s–%(b)s overlaps this period: regenerate that one.")
                % {"a": r.starts_on, "b": r.ends_on},
                code=DutyError.WRONG_STATE,
            )
    return overlapping[0] if overlapping else None


def _roster_for(unit, start, end, by) -> tuple[Roster, bool]:
    found = locks.lock(
        Roster.objects.filter(unit=unit, starts_on__lte=end, ends_on__gte=start), of=("self",)
    )
    if found:
        roster = found[0]
        if roster.state != RosterState.DRAFT or (roster.starts_on, roster.ends_on) != (start, end):
            raise DomainError(_("This roster changed meanwhile."), code=DutyError.WRONG_STATE)
        return roster, False
    roster = Roster.objects.create(
        organization_id=unit.organization_id,
        unit=unit,
        starts_on=start,
        ends_on=end,
        created_by=by,
    )
    return roster, True


def breaks_message(breaks) -> str:
    return _("This roster breaks %(n)s hard rules: %(list)s") % {
        "n": len(breaks),
        "list": " ".join(f"{i}. {b.message}" for i, b in enumerate(breaks, 1)),
    }


def publish(roster: Roster, *, by):
    """Publish a draft roster once every hard rule holds; refused naming every break."""
    _require(by, roster.unit)
    with transaction.atomic(), acting_as(by):
        roster = locks.lock_one(Roster, roster.pk)
        if roster.state != RosterState.DRAFT:
            raise DomainError(_("This roster is published already."), code=DutyError.PUBLISHED)
        if not roster.shifts.exists():
            raise DomainError(_("This roster has no shifts."), code=DutyError.INFEASIBLE)
        breaks = rules.roster_breaks(roster)
        if breaks:
            raise DomainError(
                breaks_message(breaks),
                code=DutyError.INFEASIBLE,
                fields={"breaks": "\n".join(b.message for b in breaks)},
            )
        roster.state = RosterState.PUBLISHED
        roster.published_by, roster.published_at = by, clock.now()
        roster.save(update_fields=["state", "published_by", "published_at"])
    return roster, True


def _new_breaks(roster, before) -> list:
    seen = {(b.rule, b.slot_key, b.person_id) for b in before}
    return [b for b in rules.roster_breaks(roster) if (b.rule, b.slot_key, b.person_id) not in seen]


def assign(shift: Shift, person, *, by, leads: bool = False):
    """Put `person` on `shift` by hand (a retry of the same assignment changes nothing)."""
    roster = shift.roster
    _require(by, roster.unit)
    if person.organization_id != shift.organization_id:
        raise DomainError(_("Choose a person of this organization."), fields={"person": ""})
    with transaction.atomic(), acting_as(by):
        roster = locks.lock_one(Roster, roster.pk)
        found = Assignment.objects.filter(shift=shift, person=person).first()
        if found:
            return found, False
        published = roster.state == RosterState.PUBLISHED
        before = rules.roster_breaks(roster) if published else []
        row = Assignment.objects.create(
            organization_id=shift.organization_id,
            shift=shift,
            person=person,
            leads=leads,
            source=AssignmentSource.HAND,
        )
        if published and (new := _new_breaks(roster, before)):
            raise DomainError(
                _("Not on a published roster: %(why)s") % {"why": " ".join(b.message for b in new)},
                code=new[0].rule,
                fields={"person": new[0].message},
            )
    return row, True


def unassign(assignment: Assignment, *, by):
    """Take a person off a shift by hand; on a published roster refused when the shift would
    fall below its minimums."""
    roster = assignment.shift.roster
    _require(by, roster.unit)
    with transaction.atomic(), acting_as(by):
        roster = locks.lock_one(Roster, roster.pk)
        published = roster.state == RosterState.PUBLISHED
        before = rules.roster_breaks(roster) if published else []
        Assignment.objects.filter(pk=assignment.pk).delete()
        if published and (new := _new_breaks(roster, before)):
            raise DomainError(
                _("Not on a published roster: %(why)s") % {"why": " ".join(b.message for b in new)},
                code=new[0].rule,
            )
    return assignment, True
