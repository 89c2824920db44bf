"""Swaps (换班): the person on a shift asks to hand it to a colleague; a unit head over the
post's unit approves or refuses it.

Asking and approving both run the roster's hard rules (rules.py) on the change: the
colleague may take the shift (team or reserve pool, not away, no red or yellow code), the
shift keeps its minimum of qualified people, and the colleague's other published shifts
within eight days keep apart, rested and within the limits (`rules.added_breaks`: only what
the swap would add). A refusal names every break and changes nothing. Approval moves the
assignment (source SWAP). The colleague and the unit heads are told in their inbox."""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from headwater.core import clock, locks
from headwater.core.audit import acting_as
from headwater.core.errors import DomainError, NotAllowed, invalid
from headwater.core.models import Person
from headwater.core.writes import Written, idempotent
from headwater.duty import rules
from headwater.duty.choices import AssignmentSource, RosterState, SwapState
from headwater.duty.errors import DutyError
from headwater.duty.inputs_now import DecisionInput, SwapInput
from headwater.duty.models import Assignment, Eligibility, Shift, Swap
from headwater.duty.services.now_common import (
    manages,
    require_not_started,
    require_published,
    tell,
)

AROUND = dt.timedelta(days=8)  # a week's hours and a run of days reach this far


def swap_breaks(assignment: Assignment, to_person_id: int) -> list[rules.Break]:
    """What handing `assignment` to the colleague would break (nothing: an empty list)."""
    shift = assignment.shift
    others = list(
        Shift.objects.filter(
            roster__state=RosterState.PUBLISHED,
            assignments__person_id=to_person_id,
            starts_at__lt=shift.ends_at + AROUND,
            ends_at__gt=shift.starts_at - AROUND,
        )
        .exclude(pk=shift.pk)
        .select_related("post")
    )
    on_shift = list(shift.assignments.values_list("person_id", flat=True))
    before = {s.pk: [to_person_id] for s in others}
    after = dict(before)
    before[shift.pk] = on_shift
    after[shift.pk] = [to_person_id if p == assignment.person_id else p for p in on_shift]
    start = (shift.starts_at - AROUND).date()
    facts = rules.load_facts(
        shift.organization,
        [*on_shift, to_person_id],
        start,
        (shift.ends_at + AROUND).date(),
        {shift.post_id, *(s.post_id for s in others)},
    )
    slots = rules.slots_of([shift, *others])
    return rules.added_breaks(slots, before, after, facts, rules.Limits.of(shift.organization))


def _refuse_breaks(breaks: list[rules.Break]) -> None:
    if breaks:
        message = " ".join(dict.fromkeys(b.message for b in breaks))
        raise DomainError(
            _("The swap is not possible: %(why)s") % {"why": message},
            code=DutyError.SWAP_REFUSED,
            fields={"to_person": message},
        )


def _colleague(assignment: Assignment, person_id: int) -> Person:
    person = (
        Person.objects.active()
        .filter(organization_id=assignment.organization_id, pk=person_id)
        .first()
    )
    if person is None:
        raise invalid({"to_person": _("Choose the colleague who takes the shift.")})
    if person.pk == assignment.person_id:
        raise invalid({"to_person": _("Choose somebody else than yourself.")})
    if assignment.shift.assignments.filter(person_id=person.pk).exists():
        raise invalid(
            {"to_person": _("%(name)s is on this shift already.") % {"name": person.name}}
        )
    return person


def request(assignment: Assignment, data: SwapInput, *, by, key: str = "") -> Written[Swap]:
    """The person on the shift asks to hand it to a colleague."""
    if not by.person_id or by.person_id != assignment.person_id:
        raise NotAllowed(_("Only the person on this shift may ask to hand it over."))
    return idempotent(
        "duty.swap.request",
        by=by,
        key=key,
        model=Swap,
        write=lambda: _request(assignment.pk, data, by),
    )


def _locked_assignment(pk: int) -> Assignment:
    a = locks.lock_one(Assignment, pk)
    a.shift = Shift.objects.select_related("post__unit", "roster", "organization").get(
        pk=a.shift_id
    )
    return a


def _request(pk: int, data: SwapInput, by) -> Written[Swap]:
    with transaction.atomic(), acting_as(by):
        a = _locked_assignment(pk)
        if a.person_id != by.person_id:
            raise NotAllowed(_("Only the person on this shift may ask to hand it over."))
        require_published(a.shift)
        require_not_started(a.shift)
        if a.swaps.filter(state=SwapState.REQUESTED).exists():
            raise DomainError(
                _("A swap of this shift is waiting for the unit head already."),
                code=DutyError.WRONG_STATE,
            )
        colleague = _colleague(a, data.to_person)
        _refuse_breaks(swap_breaks(a, colleague.pk))
        swap = Swap.objects.create(
            organization_id=a.organization_id,
            assignment=a,
            from_person_id=a.person_id,
            to_person=colleague,
            reason=data.reason,
        )
        words = _words(swap, a.shift, by.person.name, colleague.name)
        tell(
            a.shift,
            kind="duty.swap_requested",
            title=_("%(from)s asks to hand %(shift)s to %(to)s") % words,
            body=data.reason,
            dedup_key=f"duty.swap:{swap.pk}:requested",
            people=[colleague.pk],
            heads=True,
        )
    return swap, True


def _words(swap, shift, from_name, to_name) -> dict:
    start = timezone.localtime(shift.starts_at)
    return {
        "from": from_name,
        "to": to_name,
        "shift": f"{shift.post.name} {start:%m-%d %H:%M} {shift.label}",
    }


def _decide(swap: Swap, by, key: str, action: str, write) -> Written[Swap]:
    post = swap.assignment.shift.post
    if action == "withdraw":
        if by.person_id != swap.from_person_id:
            raise NotAllowed(_("Only the person who asked may withdraw the swap."))
    elif not manages(by, post):
        raise NotAllowed(_("Only the unit head of the post's unit may decide on a swap."))
    return idempotent(f"duty.swap.{action}", by=by, key=key, model=Swap, write=write)


def _locked_swap(pk: int) -> Swap:
    swap = locks.lock_one(Swap, pk)
    if swap.state != SwapState.REQUESTED:
        raise DomainError(
            _("This swap is %(state)s already.") % {"state": swap.get_state_display()},
            code=DutyError.WRONG_STATE,
        )
    return swap


def approve(swap: Swap, *, by, key: str = "") -> Written[Swap]:
    """The unit head approves: the rules are checked again and the shift moves to the
    colleague; refused (nothing changed) when the colleague cannot take it now."""
    return _decide(swap, by, key, "approve", lambda: _approve(swap.pk, by))


def _approve(pk: int, by) -> Written[Swap]:
    with transaction.atomic(), acting_as(by):
        swap = _locked_swap(pk)
        a = _locked_assignment(swap.assignment_id)
        require_published(a.shift)
        require_not_started(a.shift)
        if a.person_id != swap.from_person_id:
            raise DomainError(
                _("This shift is no longer %(name)s's.") % {"name": swap.from_person.name},
                code=DutyError.WRONG_STATE,
            )
        colleague = _colleague(a, swap.to_person_id)
        _refuse_breaks(swap_breaks(a, colleague.pk))
        a.person = colleague
        a.source = AssignmentSource.SWAP
        a.leads = a.leads and _may_lead(a.shift.post_id, colleague.pk)
        a.save(update_fields=["person", "source", "leads"])
        swap.state, swap.decided_by, swap.decided_at = SwapState.APPROVED, by, clock.now()
        swap.save(update_fields=["state", "decided_by", "decided_at"])
        words = _words(swap, a.shift, swap.from_person.name, colleague.name)
        tell(
            a.shift,
            kind="duty.swap_approved",
            title=_("Swap approved: %(shift)s goes from %(from)s to %(to)s") % words,
            body="",
            dedup_key=f"duty.swap:{swap.pk}:approved",
            people=[swap.from_person_id, colleague.pk],
        )
    return swap, False


def _may_lead(post_id: int, person_id: int) -> bool:
    return Eligibility.objects.filter(post_id=post_id, person_id=person_id, is_leader=True).exists()


def refuse(swap: Swap, data: DecisionInput, *, by, key: str = "") -> Written[Swap]:
    """The unit head refuses: the shift stays with the person who asked, who is told why."""
    return _decide(swap, by, key, "refuse", lambda: _close(swap.pk, by, SwapState.REFUSED, data))


def withdraw(swap: Swap, *, by, key: str = "") -> Written[Swap]:
    """The person who asked takes the request back."""
    return _decide(swap, by, key, "withdraw", lambda: _close(swap.pk, by, SwapState.WITHDRAWN))


def _close(pk: int, by, state: str, data: DecisionInput | None = None) -> Written[Swap]:
    with transaction.atomic(), acting_as(by):
        swap = _locked_swap(pk)
        swap.state, swap.decided_by, swap.decided_at = state, by, clock.now()
        swap.save(update_fields=["state", "decided_by", "decided_at"])
        if state == SwapState.REFUSED:
            shift = Shift.objects.select_related("post__unit", "organization").get(
                pk=swap.assignment.shift_id
            )
            words = _words(swap, shift, swap.from_person.name, swap.to_person.name)
            tell(
                shift,
                kind="duty.swap_refused",
                title=_("Swap refused: %(shift)s stays with %(from)s") % words,
                body=data.note if data else "",
                dedup_key=f"duty.swap:{swap.pk}:refused",
                people=[swap.from_person_id, swap.to_person_id],
            )
    return swap, False
