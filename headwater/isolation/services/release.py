"""Release: the monitor proposes once the planned end has come and the last follow-ups were
normal; the office approves (the person's status ends and their code is recomputed) or
refuses with a note. The office may release early, or without the normal follow-ups, only
with an override reason."""

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from headwater.core import clock, levels
from headwater.core.audit import acting_as
from headwater.core.errors import DomainError
from headwater.core.writes import Written
from headwater.health import services as health
from headwater.health.models import StatusRecord
from headwater.isolation.choices import CaseState, EventKind
from headwater.isolation.errors import IsolationError
from headwater.isolation.models import Case, CaseCheck
from headwater.isolation.services.cases import _locked_open
from headwater.isolation.services.common import event, require_monitor, require_office


def release_blocker(case: Case, day: dt.date | None = None) -> DomainError | None:
    """Why the case may not be released yet on `day` (None when it may)."""
    day = day or clock.today()
    if day < case.planned_end:
        return DomainError(
            _("The planned end (%(day)s) has not come yet.") % {"day": case.planned_end},
            code=IsolationError.TOO_EARLY,
        )
    n = levels.value(case.organization, "isolation.release_after_normal")
    last = list(
        CaseCheck.objects.filter(case=case)
        .order_by("-date", "-recorded_at", "-id")
        .values_list("is_normal", flat=True)[:n]
    )
    if len(last) < n or not all(last):
        return DomainError(
            _("The last %(n)s follow-ups must all be normal.") % {"n": n},
            code=IsolationError.NOT_ENOUGH_NORMAL,
        )
    return None


def propose_release(case: Case, *, by, note: str = "") -> Written[Case]:
    """The monitor proposes the release; the office decides."""
    require_monitor(by, case)
    with transaction.atomic(), acting_as(by):
        locked = _locked_open(case)
        if (blocker := release_blocker(locked)) is not None:
            raise blocker
        if locked.release_proposed_at:
            return locked, False
        locked.release_proposed_at = clock.now()
        locked.save(update_fields=["release_proposed_at"])
        event(locked, EventKind.RELEASE_PROPOSED, by, note.strip())
    return locked, True


def refuse_release(case: Case, note: str, *, by) -> Written[Case]:
    """The office refuses a proposed release, saying why; the case stays open."""
    require_office(by, case.organization_id)
    note = (note or "").strip()[:300]
    if not note:
        message = _("Say why the release is refused.")
        raise DomainError(message, fields={"note": message})
    with transaction.atomic(), acting_as(by):
        locked = _locked_open(case)
        if not locked.release_proposed_at:
            raise DomainError(
                _("No release has been proposed for this case."), code=IsolationError.NO_PROPOSAL
            )
        locked.release_proposed_at = None
        locked.save(update_fields=["release_proposed_at"])
        event(locked, EventKind.RELEASE_REFUSED, by, note)
    return locked, False


def approve_release(case: Case, *, by, override: str = "") -> Written[Case]:
    """Release the case: on or after its planned end with the last follow-ups normal, or at
    any time with the office's override reason. A staff member's status ends (the day
    before: released today, they are no longer isolated today) and their code is
    recomputed."""
    require_office(by, case.organization_id)
    override = (override or "").strip()[:300]
    with transaction.atomic(), acting_as(by):
        locked = _locked_open(case)
        if not override and (blocker := release_blocker(locked)) is not None:
            blocker.message = _("%(why)s An early release needs an override reason.") % {
                "why": blocker.message
            }
            raise blocker
        locked.state = CaseState.RELEASED
        locked.released_at = clock.now()
        locked.save(update_fields=["state", "released_at"])
        note = _("Override: %(reason)s") % {"reason": override} if override else ""
        event(locked, EventKind.RELEASED, by, note)
        if locked.status_id:
            record = StatusRecord.objects.filter(pk=locked.status_id, ended_on=None).first()
            if record is not None:
                ended = max(record.started_on, clock.today() - dt.timedelta(days=1))
                health.end_status(record, ended, by=by)
    return locked, True
