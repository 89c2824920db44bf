"""The three-level review (三级管理): the plant lab head checks entered results, the central lab
or quality department approves checked ones, either sends them back to the technician.

Each step locks the chosen results and decides on the locked rows (their status, who entered
and who checked them), then writes only the review's own columns: a technician's correction
committed meanwhile is either seen (the step is refused) or kept, never overwritten."""

from collections.abc import Iterable

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from headwater.alerts.choices import Severity
from headwater.alerts.services import raise_alert
from headwater.core import clock, locks
from headwater.core.audit import acting_as
from headwater.core.errors import DomainError, NotAllowed
from headwater.quality import permissions as perms
from headwater.quality.choices import ReviewStatus
from headwater.quality.errors import QualityError
from headwater.quality.models import Result, Sample

# The columns each step stamps: who and when.
STAMPS = {
    ReviewStatus.CHECKED: ("checked_by", "checked_at"),
    ReviewStatus.APPROVED: ("approved_by", "approved_at"),
}


def check_results(results: Iterable[Result], *, by) -> int:
    """Level 2: the plant lab head checks entered results. Returns how many."""
    return _review(results, by, perms.CHECK_RESULTS, [ReviewStatus.ENTERED], ReviewStatus.CHECKED)


def approve_results(results: Iterable[Result], *, by) -> int:
    """Level 3: the central lab / quality department approves checked results; only approved
    results count in official figures. Returns how many."""
    return _review(
        results, by, perms.APPROVE_RESULTS, [ReviewStatus.CHECKED], ReviewStatus.APPROVED
    )


def return_results(results: Iterable[Result], *, by, reason: str) -> int:
    """Either reviewer sends results back to the technician with a reason. Returns how many."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(
            _("Say why the results are returned."), fields={"reason": _("This field is required.")}
        )
    can = [p for p in (perms.CHECK_RESULTS, perms.APPROVE_RESULTS) if by.has_perm(p)]
    if not can:
        raise NotAllowed(_("Your role may not review results."))
    states = []
    if by.has_perm(perms.CHECK_RESULTS):
        states.append(ReviewStatus.ENTERED)
    if by.has_perm(perms.APPROVE_RESULTS):
        states += [ReviewStatus.ENTERED, ReviewStatus.CHECKED]
    return _review(results, by, can[0], states, ReviewStatus.RETURNED, reason=reason)


def _review(results, by, perm, from_states, to_state, *, reason: str = "") -> int:
    if not by.has_perm(perm):
        raise NotAllowed(_("Your role may not review results."))
    ids = {r.pk for r in results}
    if not ids:
        raise DomainError(_("Choose at least one result."), code=QualityError.EMPTY)
    with transaction.atomic(), acting_as(by):
        locked = locks.lock(Result.objects.visible_to(by).filter(pk__in=ids))
        if len(locked) != len(ids):
            raise NotAllowed(_("Some of these results are outside your units."))
        wrong = [r for r in locked if r.status not in from_states]
        if wrong:
            raise DomainError(
                _("%(count)s of the chosen results are not waiting for this step.")
                % {"count": len(wrong)},
                code=QualityError.WRONG_STATE,
            )
        _different_person(locked, by, to_state)
        now = clock.now()
        for r in locked:
            r.status = to_state
            columns = ["status"]
            if to_state in STAMPS:
                who, when = STAMPS[to_state]
                setattr(r, who, by)
                setattr(r, when, now)
                columns += [who, when]
            elif to_state == ReviewStatus.RETURNED:
                r.return_reason = reason[:200]
                columns.append("return_reason")
            r.save(update_fields=columns)
        if to_state == ReviewStatus.RETURNED:
            _notify_returned(locked, reason)
    return len(locked)


def _different_person(results: list[Result], by, to_state: str) -> None:
    """Three levels mean three people: nobody checks what they entered, nor approves what they
    checked."""
    if to_state == ReviewStatus.CHECKED:
        entered = Sample.objects.filter(
            pk__in={r.sample_id for r in results}, entered_by=by
        ).exists()
        if entered:
            raise NotAllowed(_("Results you entered must be checked by someone else."))
    if to_state == ReviewStatus.APPROVED and any(r.checked_by_id == by.pk for r in results):
        raise NotAllowed(_("Results you checked must be approved by someone else."))


def _notify_returned(results: list[Result], reason: str) -> None:
    samples = {r.sample_id for r in results}
    for sample in Sample.objects.filter(pk__in=samples).select_related("point", "organization"):
        if sample.entered_by_id:
            raise_alert(
                sample.organization,
                kind="quality.returned",
                title=_("Results returned: %(point)s") % {"point": sample.point.name},
                body=reason,
                severity=Severity.INFO,
                link=reverse("quality:sample", args=[sample.pk]),
                to_users=[sample.entered_by_id],
            )
