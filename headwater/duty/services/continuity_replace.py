"""Replacements for a flagged shift, and drawing on the reserve pool for a short one.

`candidates(shift)` lists the post's team and then its reserve pool who can take the shift
under every hard rule (`rules.fits`: eligibility, absence, code, overlap, rest, days in a
row, weekly hours over their own shifts, and the shift's qualified minimum once they are on
it), ranked: team before reserve, qualified, rested (hours since their last shift, counted
up to two days), fairest (fewest hours this roster period), nearest (the post's unit, its
subtree, the post's site, elsewhere). `accept(flag, person)` hands the flagged assignment to
one of them in a tap; `draw(shift, person)` adds one to a shift.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from headwater.core import audit, clock, locks
from headwater.core.errors import DomainError, NotAllowed
from headwater.core.models import Person, User
from headwater.core.querysets import reaches
from headwater.core.writes import Written, idempotent
from headwater.duty import rules
from headwater.duty.choices import AssignmentSource, FlagState, RosterState
from headwater.duty.errors import DutyError
from headwater.duty.models import Assignment, Eligibility, Shift, ShiftFlag
from headwater.duty.permissions import MANAGE_ROSTERS
from headwater.duty.services.continuity import shift_name

RESTED_AFTER = 48  # hours since the last shift beyond which everybody counts as rested


@dataclass(frozen=True)
class Candidate:
    person: Person
    reserve: bool
    qualified: bool
    rest_hours: float | None  # since their last shift (None: none in the last fortnight)
    period_hours: float  # on duty in the shift's roster period
    nearness: int  # 0 the post's unit, 1 its subtree, 2 the post's site, 3 elsewhere

    @property
    def rank_key(self):
        rest = RESTED_AFTER if self.rest_hours is None else min(self.rest_hours, RESTED_AFTER)
        return (
            self.reserve,
            not self.qualified,
            -rest,
            self.period_hours,
            self.nearness,
            self.person.name,
            self.person.pk,
        )

    @property
    def near_label(self) -> str:
        return [_("Same unit"), _("Within the unit"), _("Same site"), _("Another unit")][
            self.nearness
        ]


def _nearness(post, person) -> int:
    if person.unit_id == post.unit_id:
        return 0
    if person.unit.path.startswith(post.unit.path):
        return 1
    if post.site and post.site.unit and person.unit.path.startswith(post.site.unit.path):
        return 2
    return 3


def candidates(shift: Shift, *, excluding=(), refused=None) -> list[Candidate]:
    """Everybody of the post's team and reserve pool who can take `shift`, best first
    (`refused`, a dict, receives the breaks of those who cannot)."""
    post = shift.post
    org = shift.organization
    limits = rules.Limits.of(org)
    on_shift = set(shift.assignments.values_list("person_id", flat=True))
    team = sorted(on_shift - set(excluding))
    pool = {
        e.person_id: e
        for e in Eligibility.objects.filter(post=post)
        .exclude(person_id__in=on_shift | set(excluding))
        .select_related("person__unit")
        .filter(person__employment_status="active")
    }
    if not pool:
        return []
    day = timezone.localtime(shift.starts_at).date()
    reach = dt.timedelta(days=max(limits.max_consecutive_days, 7) + 1)
    period = (shift.roster.starts_on, shift.roster.ends_on)
    start = min(shift.starts_at - reach, _at(period[0]))
    end = max(shift.ends_at + reach, _at(period[1] + dt.timedelta(days=1)))
    theirs = _their_shifts(list(pool), start, end, shift)
    facts = rules.load_facts(org, [*pool, *team], start.date(), end.date(), [post.pk])
    slot = rules.slots_of([shift])[0]
    found = []
    for pid, eligible in pool.items():
        mine = theirs.get(pid, [])
        breaks = rules.fits(slot, pid, mine, team, facts, limits)
        if breaks:
            if refused is not None:
                refused[pid] = breaks
            continue
        before = [s.ends_at for s in mine if s.ends_at <= shift.starts_at]
        rest = (shift.starts_at - max(before)).total_seconds() / 3600 if before else None
        in_period = sum(s.hours for s in mine if period[0] <= s.day <= period[1])
        found.append(
            Candidate(
                person=eligible.person,
                reserve=eligible.reserve,
                qualified=facts.holds(pid, post.qualification, day) if post.qualification else True,
                rest_hours=rest,
                period_hours=round(in_period, 1),
                nearness=_nearness(post, eligible.person),
            )
        )
    return sorted(found, key=lambda c: c.rank_key)


def _at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time()))


def _their_shifts(person_ids, start, end, shift) -> dict[int, list[rules.Slot]]:
    """The shifts of these people overlapping [start, end) in published rosters and in the
    shift's own roster, as slots (one query)."""
    from django.db.models import Q

    rows = (
        Assignment.objects.filter(
            person_id__in=person_ids, shift__starts_at__lt=end, shift__ends_at__gt=start
        )
        .filter(Q(shift__roster__state=RosterState.PUBLISHED) | Q(shift__roster_id=shift.roster_id))
        .exclude(shift_id=shift.pk)
        .select_related("shift__post")
    )
    found: dict[int, list[rules.Slot]] = defaultdict(list)
    for a in rows:
        found[a.person_id].extend(rules.slots_of([a.shift]))
    return found


def suggestions(flag: ShiftFlag) -> list[Candidate]:
    return candidates(flag.assignment.shift, excluding=[flag.assignment.person_id])


def _check(by, shift) -> None:
    if not by.has_perm(MANAGE_ROSTERS) or not reaches(by, MANAGE_ROSTERS, shift.post.unit):
        raise NotAllowed(_("Your role may not change the rosters of this post."))


def _refuse_unless_fits(shift, person_id, excluding=()) -> Candidate:
    refused: dict[int, list] = {}
    found = {c.person.pk: c for c in candidates(shift, excluding=excluding, refused=refused)}
    if person_id in found:
        return found[person_id]
    if person_id in refused:
        message = " ".join(dict.fromkeys(b.message for b in refused[person_id]))
    else:
        message = _("This person is neither on the post's team nor in its reserve pool.")
    raise DomainError(message, code=DutyError.UNAVAILABLE, fields={"person_id": message})


def accept(flag: ShiftFlag, person_id: int, *, by, key: str = "") -> Written[ShiftFlag]:
    """Hand the flagged assignment to `person_id` (one of the suggestions): the flagged
    person leaves the shift, the replacement joins it (source: replacement), the flag is
    resolved, the replacement is told. Refused, changing nothing, when the flag is no longer
    open, the shift has started, or the person cannot take it."""
    shift = flag.assignment.shift
    _check(by, shift)

    def write():
        locked = locks.lock_one(ShiftFlag.objects.select_related("assignment"), flag.pk)
        if locked.state == FlagState.REPLACED and locked.replacement_id == person_id:
            return locked, False
        if locked.state != FlagState.OPEN:
            message = _("This flag is no longer open.")
            raise DomainError(message, code=DutyError.WRONG_STATE)
        if shift.starts_at <= clock.now():
            message = _("The shift has already started.")
            raise DomainError(message, code=DutyError.WRONG_STATE)
        _refuse_unless_fits(shift, person_id, excluding=[locked.assignment.person_id])
        assignment = locks.lock_one(Assignment, locked.assignment_id)
        if locked.person_id is None:
            locked.person_id = assignment.person_id
        assignment.person_id = person_id
        assignment.source = AssignmentSource.REPLACEMENT
        assignment.created_at = clock.now()
        assignment.save(update_fields=["person", "source", "created_at"])
        locked.state = FlagState.REPLACED
        locked.replacement_id = person_id
        locked.resolved_by = by
        locked.resolved_at = clock.now()
        locked.save(update_fields=["person", "state", "replacement", "resolved_by", "resolved_at"])
        transaction.on_commit(lambda: _tell(shift, person_id, f"duty.replacement:{locked.pk}"))
        return locked, True

    with audit.acting_as(by):
        return idempotent("duty.accept_replacement", by=by, key=key, model=ShiftFlag, write=write)


def draw(shift: Shift, person_id: int, *, by, key: str = "") -> Written[Assignment]:
    """Put one of the post's team or reserve pool on a shift (a short one): the same rules
    and the same message to the person as a replacement."""
    _check(by, shift)

    def write():
        locks.lock_one(Shift, shift.pk)
        existing = Assignment.objects.filter(shift=shift, person_id=person_id).first()
        if existing is not None:
            return existing, False
        if shift.starts_at <= clock.now():
            raise DomainError(_("The shift has already started."), code=DutyError.WRONG_STATE)
        _refuse_unless_fits(shift, person_id)
        assignment = Assignment.objects.create(
            organization=shift.organization,
            shift=shift,
            person_id=person_id,
            source=AssignmentSource.REPLACEMENT,
        )
        key_ = f"duty.drawn:{assignment.pk}"
        transaction.on_commit(lambda: _tell(shift, person_id, key_))
        return assignment, True

    with audit.acting_as(by):
        return idempotent("duty.draw_reserve", by=by, key=key, model=Assignment, write=write)


def _tell(shift, person_id, dedup_key) -> None:
    from headwater.alerts.services import raise_alert

    users = list(User.objects.filter(person_id=person_id, is_active=True))
    if not users:
        return
    raise_alert(
        shift.organization,
        kind="duty.replacement",
        title=_("You are on %(shift)s") % {"shift": shift_name(shift)},
        body=_("You were asked to take this shift; the duty phone is %(phone)s.")
        % {"phone": shift.post.duty_phone or "—"},
        to_users=users,
        dedup_key=dedup_key,
        robots=False,
    )
