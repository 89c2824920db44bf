"""Two-level supervision (两级监督, ADR 0022): the day's random sample of open cases, the
supervisor's call from the checklist, and the correction items a "no" opens, which the unit
head of the case's unit closes with a note."""

import datetime as dt
import random

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from headwater.alerts.choices import Severity
from headwater.alerts.services import raise_alert
from headwater.core import clock, levels, locks
from headwater.core.audit import acting_as
from headwater.core.errors import DomainError, ErrorCode, NotAllowed, invalid
from headwater.core.models import Organization
from headwater.core.owned import ThroughUnit
from headwater.core.roles import Role
from headwater.core.writes import Written, idempotent
from headwater.isolation.inputs_supervision import CallInput
from headwater.isolation.models import Case
from headwater.isolation.models_supervision import Correction, Finding, SupervisionCall
from headwater.isolation.permissions import CLOSE_CORRECTIONS, SUPERVISE

ACTION = "isolation.supervision_call"


class SupervisionError(ErrorCode):
    CALL_RECORDED = "supervision_call_recorded"


def is_supervisor(by, organization_id: int) -> bool:
    return bool(by and by.has_perm(SUPERVISE)) and (
        by.is_superuser or by.organization_id == organization_id
    )


def require_supervisor(by, organization_id: int) -> None:
    if not is_supervisor(by, organization_id):
        raise NotAllowed(_("Only a supervisor may do this."))


def sample(organization: Organization, day: dt.date, size: int) -> list[int]:
    """The ids of the cases drawn on `day`: `size` of the open cases started by then, chosen
    by a random generator seeded with the organization and the day — the same draw again
    gives the same cases."""
    ids = list(
        Case.objects.of(organization)
        .open()
        .filter(started_on__lte=day)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    rng = random.Random(f"isolation.supervision:{organization.pk}:{day.isoformat()}")
    return sorted(rng.sample(ids, min(size, len(ids))))


def draw_sample(
    organization: Organization, *, by=None, day: dt.date | None = None
) -> tuple[list[SupervisionCall], bool]:
    """Draw the day's sample (`isolation.supervision_sample` cases) as calls to make; once per
    organization and day: a second draw answers the first one's calls and `created` False.
    `by` None is the periodic task."""
    if by is not None:
        require_supervisor(by, organization.pk)
    day = day or clock.today()
    with transaction.atomic(), acting_as(by):
        drawn = SupervisionCall.objects.of(organization).filter(date=day)
        if drawn.exists():
            return list(drawn.select_related(*CALL_RELATED)), False
        size = levels.value(organization, "isolation.supervision_sample")
        calls = [
            SupervisionCall(organization=organization, case_id=pk, date=day)
            for pk in sample(organization, day, size)
        ]
        # A parallel draw inserted the same rows: the constraint keeps one of each.
        SupervisionCall.objects.bulk_create(calls, ignore_conflicts=True)
    return list(drawn.select_related(*CALL_RELATED)), True


CALL_RELATED = ("case__person", "case__household_member", "case__unit", "case__monitor")


def record_call(
    call: SupervisionCall, data: CallInput, *, by, key: str = ""
) -> Written[SupervisionCall]:
    """The supervisor's answers to the checklist; each "no" opens a correction item and the
    unit heads of the case's unit are alerted. A call is recorded once: a retry with the same
    key answers the first outcome, another recording is refused."""
    require_supervisor(by, call.organization_id)
    return idempotent(
        ACTION, by=by, key=key, model=SupervisionCall, write=lambda: _record(call, data, by)
    )


def _record(call: SupervisionCall, data: CallInput, by) -> Written[SupervisionCall]:
    with transaction.atomic(), acting_as(by):
        # Only the call's row: its case and unit are read, not changed.
        call = locks.lock_one(SupervisionCall.objects.select_related("case__unit"), call.pk)
        if call.called_at is not None:
            raise DomainError(
                _("This call has been recorded already."), code=SupervisionError.CALL_RECORDED
            )
        for finding in Finding.values:
            setattr(call, f"{finding}_ok", data.answers[finding])
            setattr(call, f"{finding}_note", data.notes[finding])
        call.note, call.called_at, call.called_by = data.note, clock.now(), by
        call.save()
        for finding in data.noes:
            Correction.objects.create(
                organization_id=call.organization_id,
                case=call.case,
                call=call,
                finding=finding,
                detail=data.notes[finding],
            )
        if data.noes:
            _alert(call, data.noes)  # in the transaction: a retry rolled back alerts nothing
    return call, True


def _alert(call: SupervisionCall, noes: list[str]) -> None:
    case = call.case
    raise_alert(
        case.organization,
        kind="isolation.correction",
        severity=Severity.WARNING,
        title=_("Supervision found %(n)s things to correct: %(name)s")
        % {"n": len(noes), "name": case.subject_name},
        body="；".join(str(Finding(f).label) for f in noes),
        link=reverse("isolation:corrections"),
        unit=case.unit,
        to_roles=[Role.UNIT_HEAD],
        dedup_key=f"isolation.correction:{call.pk}",
    )


def closable(by, corrections) -> set[int]:
    """The ids of `corrections` that `by` may close: those whose case is in a unit `by` heads
    (the unit or one above it) — one query."""
    if not (by and by.has_perm(CLOSE_CORRECTIONS)):
        return set()
    scope = ThroughUnit("unit", CLOSE_CORRECTIONS).q(by)
    mine = [c for c in corrections if c.organization_id == by.organization_id]
    if scope is None or not mine:
        return set()
    cases = set(
        Case.objects.filter(scope, pk__in={c.case_id for c in mine}).values_list("pk", flat=True)
    )
    return {c.pk for c in mine if c.case_id in cases}


def may_close(by, correction: Correction) -> bool:
    return correction.pk in closable(by, [correction])


def close_correction(correction: Correction, note: str, *, by) -> Written[Correction]:
    """Close a correction item with a note on what was done. Closing it again changes
    nothing and answers `created` False."""
    if not may_close(by, correction):
        raise NotAllowed(_("Only the head of the case's unit may close this item."))
    note = (note or "").strip()
    if not note:
        raise invalid({"note": _("Say how it was corrected.")})
    if len(note) > 300:
        raise invalid({"note": _("At most %(n)s characters.") % {"n": 300}})
    with transaction.atomic(), acting_as(by):
        correction = Correction.objects.select_for_update().get(pk=correction.pk)
        if correction.closed_at is not None:
            return correction, False
        correction.closed_at, correction.closed_by, correction.note = clock.now(), by, note
        correction.save(update_fields=["closed_at", "closed_by", "note"])
    return correction, True
