"""The hard rules of a roster, checked the same way when it is generated (the solver's
result is verified), published, edited by hand, swapped or a replacement accepted.

`check(slots, assigned, facts, limits)` is pure: it names every break (which rule, which
post and shift, which person) and changes nothing. `load_facts` reads what the rules need
for a set of people over a period (qualifications, eligibility, absences through
core.availability, codes through core.codes) in a handful of queries.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

from django.utils.translation import gettext as _

from headwater.core import availability, codes, levels
from headwater.duty.errors import DutyError


@dataclass(frozen=True)
class Slot:
    """A shift as the rules see it (`key`: the Shift's pk, or any key before it is saved)."""

    key: object
    post_id: int
    post_name: str
    label: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    min_people: int
    min_qualified: int
    qualification: str

    @cached_property  # read for every person and rule: the solver asks it ~10^5 times
    def day(self) -> dt.date:
        from django.utils import timezone

        return timezone.localtime(self.starts_at).date()

    @cached_property
    def hours(self) -> float:
        return (self.ends_at - self.starts_at).total_seconds() / 3600

    def name(self) -> str:
        return f"{self.post_name} {self.day:%m-%d} {self.label}"


@dataclass(frozen=True)
class Limits:
    min_rest_hours: int = 12
    max_consecutive_days: int = 6
    max_week_hours: int = 60

    @classmethod
    def of(cls, organization) -> "Limits":
        return cls(
            min_rest_hours=levels.value(organization, "duty.min_rest_hours"),
            max_consecutive_days=levels.value(organization, "duty.max_consecutive_days"),
            max_week_hours=levels.value(organization, "duty.max_week_hours"),
        )


@dataclass
class Facts:
    """What the rules know of the people: names, qualifications (kind → valid until, None =
    no end), the posts each may work (team or reserve), absences, and codes not green."""

    names: dict[int, str] = field(default_factory=dict)
    qualified: dict[int, dict[str, dt.date | None]] = field(default_factory=dict)
    eligible: dict[int, set[int]] = field(default_factory=dict)  # post id -> people
    absences: dict[int, list[availability.Absence]] = field(default_factory=dict)
    # person -> (code label, the day it turns green or None): a red or yellow code keeps the
    # person off every shift before that day
    not_green: dict[int, tuple[str, dt.date | None]] = field(default_factory=dict)

    def holds(self, person_id: int, kind: str, day: dt.date) -> bool:
        if not kind:
            return True
        kinds = self.qualified.get(person_id, {})
        if kind not in kinds:
            return False
        until = kinds[kind]
        return until is None or until >= day

    def away_on(self, person_id: int, day: dt.date) -> availability.Absence | None:
        return next((a for a in self.absences.get(person_id, ()) if a.covers(day)), None)


@dataclass(frozen=True)
class Break:
    rule: DutyError
    message: str
    slot_key: object = None
    person_id: int | None = None


def load_facts(
    organization,
    person_ids: Iterable[int],
    start: dt.date,
    end: dt.date,
    post_ids: Iterable[int] = (),
) -> Facts:
    from headwater.core.models import Person, Qualification
    from headwater.duty.models import Eligibility

    ids = list(set(person_ids))
    facts = Facts()
    facts.names = dict(Person.objects.filter(pk__in=ids).values_list("pk", "name"))
    for pid, kind, until in Qualification.objects.filter(person_id__in=ids).values_list(
        "person_id", "kind", "valid_until"
    ):
        facts.qualified.setdefault(pid, {})[kind] = until
    for post_id, pid in Eligibility.objects.filter(post_id__in=list(post_ids)).values_list(
        "post_id", "person_id"
    ):
        facts.eligible.setdefault(post_id, set()).add(pid)
    facts.absences = availability.absences(ids, start, end)
    facts.not_green = {
        pid: (view.label, view.green_on)
        for pid, view in codes.current_many(ids).items()
        if not view.is_green
    }
    return facts


def can_take(slot: Slot, person_id: int, facts: Facts, *, check_eligible=True) -> list[Break]:
    """The rules about one person on one shift on their own (not their other shifts)."""
    name = facts.names.get(person_id, str(person_id))
    breaks = []
    if check_eligible and person_id not in facts.eligible.get(slot.post_id, set()):
        breaks.append(
            Break(
                DutyError.NOT_QUALIFIED,
                _("%(person)s is not on the team of %(post)s.")
                % {"person": name, "post": slot.post_name},
                slot.key,
                person_id,
            )
        )
    away = facts.away_on(person_id, slot.day)
    if away:
        breaks.append(
            Break(
                DutyError.UNAVAILABLE,
                _("%(person)s is away on %(day)s (%(reason)s).")
                % {"person": name, "day": slot.day, "reason": away.reason},
                slot.key,
                person_id,
            )
        )
    code = _blocking_code(facts, person_id, slot.day)
    if code:
        breaks.append(
            Break(
                DutyError.UNAVAILABLE,
                _("%(person)s has a %(code)s.") % {"person": name, "code": code[0]},
                slot.key,
                person_id,
            )
        )
    return breaks


def _blocking_code(facts: Facts, person_id: int, day: dt.date) -> tuple | None:
    code = facts.not_green.get(person_id)
    return code if code and (code[1] is None or day < code[1]) else None


def unavailable_days(facts: Facts, person_id: int, days: Iterable[dt.date]) -> set[dt.date]:
    """The days on which `can_take` finds the person unavailable (away, a red or yellow
    code), for the solver's candidates: the same rules, asked once per person."""
    if person_id not in facts.absences and person_id not in facts.not_green:
        return set()
    return {
        d
        for d in days
        if facts.away_on(person_id, d) or _blocking_code(facts, person_id, d) is not None
    }


def check(
    slots: list[Slot], assigned: dict[object, list[int]], facts: Facts, limits: Limits
) -> list[Break]:
    """Every break of the hard rules in this set of shifts."""
    breaks: list[Break] = []
    by_person: dict[int, list[Slot]] = defaultdict(list)
    for slot in slots:
        people = assigned.get(slot.key, [])
        if len(people) < slot.min_people:
            breaks.append(
                Break(
                    DutyError.BELOW_MINIMUM,
                    _("%(shift)s has %(n)s of the %(min)s people it needs.")
                    % {"shift": slot.name(), "n": len(people), "min": slot.min_people},
                    slot.key,
                )
            )
        qualified = sum(facts.holds(p, slot.qualification, slot.day) for p in people)
        if qualified < slot.min_qualified:
            breaks.append(
                Break(
                    DutyError.NOT_QUALIFIED,
                    _("%(shift)s has %(n)s of the %(min)s qualified people it needs.")
                    % {"shift": slot.name(), "n": qualified, "min": slot.min_qualified},
                    slot.key,
                )
            )
        for person_id in people:
            by_person[person_id].append(slot)
            breaks.extend(can_take(slot, person_id, facts))
    for person_id, mine in by_person.items():
        breaks.extend(
            _person_breaks(person_id, sorted(mine, key=lambda s: s.starts_at), facts, limits)
        )
    return breaks


def _person_breaks(person_id: int, mine: list[Slot], facts: Facts, limits: Limits):
    name = facts.names.get(person_id, str(person_id))
    rest = dt.timedelta(hours=limits.min_rest_hours)
    for before, after in zip(mine, mine[1:], strict=False):
        if after.starts_at < before.ends_at:
            yield Break(
                DutyError.OVERLAP,
                _("%(person)s is on %(a)s and %(b)s at the same time.")
                % {"person": name, "a": before.name(), "b": after.name()},
                after.key,
                person_id,
            )
        elif after.starts_at - before.ends_at < rest:
            yield Break(
                DutyError.REST_TOO_SHORT,
                _("%(person)s rests less than %(h)s hours between %(a)s and %(b)s.")
                % {
                    "person": name,
                    "h": limits.min_rest_hours,
                    "a": before.name(),
                    "b": after.name(),
                },
                after.key,
                person_id,
            )
    days = sorted({s.day for s in mine})
    run = 1
    for before, after in zip(days, days[1:], strict=False):
        run = run + 1 if (after - before).days == 1 else 1
        if run == limits.max_consecutive_days + 1:
            yield Break(
                DutyError.TOO_MANY_SHIFTS,
                _("%(person)s is on duty more than %(n)s days in a row (to %(day)s).")
                % {"person": name, "n": limits.max_consecutive_days, "day": after},
                None,
                person_id,
            )
    weeks: dict[tuple[int, int], float] = defaultdict(float)
    for slot in mine:
        weeks[slot.day.isocalendar()[:2]] += slot.hours
    for (year, week), hours in sorted(weeks.items()):
        if hours > limits.max_week_hours:
            yield Break(
                DutyError.TOO_MANY_HOURS,
                _("%(person)s has %(h)s hours of duty in week %(w)s (at most %(max)s).")
                % {
                    "person": name,
                    "h": round(hours, 1),
                    "w": f"{year}-W{week:02d}",
                    "max": limits.max_week_hours,
                },
                None,
                person_id,
            )


def slots_of(shifts) -> list[Slot]:
    """Slots of saved Shift rows (with `post` selected)."""
    return [
        Slot(
            s.pk,
            s.post_id,
            s.post.name,
            s.label,
            s.starts_at,
            s.ends_at,
            s.post.min_people,
            s.post.min_qualified,
            s.post.qualification,
        )
        for s in shifts
    ]


def roster_breaks(roster) -> list[Break]:
    """Every break of a saved roster's shifts and assignments (what publishing refuses)."""
    from headwater.duty.models import Assignment

    shifts = list(roster.shifts.select_related("post"))
    assigned: dict[object, list[int]] = defaultdict(list)
    for shift_id, person_id in Assignment.objects.filter(shift__roster=roster).values_list(
        "shift_id", "person_id"
    ):
        assigned[shift_id].append(person_id)
    people = {p for ps in assigned.values() for p in ps}
    facts = load_facts(
        roster.organization, people, roster.starts_on, roster.ends_on, {s.post_id for s in shifts}
    )
    return check(slots_of(shifts), assigned, facts, Limits.of(roster.organization))


def added_breaks(
    slots: list[Slot],
    before: dict[object, list[int]],
    after: dict[object, list[int]],
    facts: Facts,
    limits: Limits,
) -> list[Break]:
    """The breaks a change (`before` → `after`, the same slots) would add: what a swap or a
    replacement must not bring, whatever was already wrong stays out of its answer."""
    old = {(b.rule, b.message) for b in check(slots, before, facts, limits)}
    return [b for b in check(slots, after, facts, limits) if (b.rule, b.message) not in old]


def fits(
    slot: Slot,
    person_id: int,
    theirs: list[Slot],
    team: list[int],
    facts: Facts,
    limits: Limits,
) -> list[Break]:
    """The breaks if `person_id` joins `slot` (whose other people are `team`) on top of their
    own shifts `theirs`: their eligibility, absence and code, overlap, rest, days in a row and
    weekly hours, and the shift's qualified minimum once they are on it. Used for a
    replacement and for drawing on the reserve pool (the same rules as `check`)."""
    breaks = can_take(slot, person_id, facts)
    mine = sorted([*(s for s in theirs if s.key != slot.key), slot], key=lambda s: s.starts_at)
    breaks.extend(_person_breaks(person_id, mine, facts, limits))
    people = [*team, person_id]
    qualified = sum(facts.holds(p, slot.qualification, slot.day) for p in people)
    if qualified < slot.min_qualified:
        breaks.append(
            Break(
                DutyError.NOT_QUALIFIED,
                _("%(shift)s has %(n)s of the %(min)s qualified people it needs.")
                % {"shift": slot.name(), "n": qualified, "min": slot.min_qualified},
                slot.key,
                person_id,
            )
        )
    return breaks
