"""The duty log (值班日志) and handovers (交接班).

People on a shift (and the managers of its post) write entries during the shift: calls,
events, instructions. Before leaving, the shift writes its handover note to the next shift
of the same post; the person coming on (assigned to that next shift) acknowledges it, nobody
else. A periodic sweep alerts the unit heads, once per shift, about shifts that ended
without a handover (`flag_missing_handovers`)."""

import datetime as dt

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from headwater.alerts.models import Alert
from headwater.alerts.services import raise_alert
from headwater.core import clock, locks
from headwater.core.audit import acting_as
from headwater.core.errors import DomainError, NotAllowed
from headwater.core.writes import Written, idempotent
from headwater.duty import now
from headwater.duty.choices import RosterState
from headwater.duty.errors import DutyError
from headwater.duty.inputs_now import HandoverInput, LogInput
from headwater.duty.models import Assignment, Handover, LogEntry, Shift
from headwater.duty.services.now_common import manages, on_shift, require_published

EARLY = dt.timedelta(minutes=30)  # the log opens this long before the shift starts
LATE = dt.timedelta(hours=2)  # ... and stays open this long after it ends
GRACE = dt.timedelta(minutes=30)  # a shift ended this long ago without a handover is flagged
LOOK_BACK = dt.timedelta(days=2)  # how far back the sweep looks
NO_HANDOVER = "duty.no_handover"


def may_write(user, shift: Shift) -> bool:
    return on_shift(user, shift) or manages(user, shift.post)


def _require_open(shift: Shift) -> None:
    require_published(shift)
    moment = clock.now()
    if not (shift.starts_at - EARLY <= moment <= shift.ends_at + LATE):
        raise DomainError(
            _(
                "The duty log of this shift is open from 30 minutes before it starts "
                "until 2 hours after it ends."
            ),
            code=DutyError.LOG_CLOSED,
        )


def add_entry(shift: Shift, data: LogInput, *, by, key: str = "") -> Written[LogEntry]:
    """An entry in the shift's duty log, by a person on the shift or a manager of its post."""
    if not may_write(by, shift):
        raise NotAllowed(_("Only the people on this shift and its unit head write its log."))
    return idempotent(
        "duty.log", by=by, key=key, model=LogEntry, write=lambda: _add(shift, data, by)
    )


def _add(shift: Shift, data: LogInput, by) -> Written[LogEntry]:
    with transaction.atomic(), acting_as(by):
        _require_open(shift)
        entry = LogEntry.objects.create(
            organization_id=shift.organization_id,
            shift=shift,
            kind=data.kind,
            text=data.text,
            written_by=by,
        )
    return entry, True


def write_handover(shift: Shift, data: HandoverInput, *, by, key: str = "") -> Written[Handover]:
    """The shift's handover note to the next shift of its post (written again until it is
    acknowledged)."""
    if not may_write(by, shift):
        raise NotAllowed(_("Only the people on this shift and its unit head write its handover."))
    return idempotent(
        "duty.handover", by=by, key=key, model=Handover, write=lambda: _handover(shift, data, by)
    )


def _handover(shift: Shift, data: HandoverInput, by) -> Written[Handover]:
    with transaction.atomic(), acting_as(by):
        _require_open(shift)
        following = now.next_shift(shift)
        found = locks.lock(Handover.objects.filter(shift=shift))
        if found:
            handover = found[0]
            if handover.acknowledged_at:
                raise DomainError(
                    _("The next shift has acknowledged this handover: it can no longer change."),
                    code=DutyError.WRONG_STATE,
                )
            handover.note, handover.next_shift = data.note, following
            handover.written_by, handover.written_at = by, clock.now()
            handover.save(update_fields=["note", "next_shift", "written_by", "written_at"])
            return handover, False
        handover = Handover.objects.create(
            organization_id=shift.organization_id,
            shift=shift,
            next_shift=following,
            note=data.note,
            written_by=by,
        )
    return handover, True


def acknowledge(handover: Handover, *, by, key: str = "") -> Written[Handover]:
    """The person coming on (assigned to the next shift) has read the handover."""
    return idempotent(
        "duty.handover.ack", by=by, key=key, model=Handover, write=lambda: _ack(handover.pk, by)
    )


def _ack(pk: int, by) -> Written[Handover]:
    with transaction.atomic(), acting_as(by):
        handover = locks.lock_one(Handover, pk)
        nxt = handover.next_shift
        if nxt is None or not on_shift(by, nxt):
            raise DomainError(
                _("Only a person on the next shift may acknowledge this handover."),
                code=DutyError.NOT_ON_NEXT_SHIFT,
                status=403,
            )
        if handover.acknowledged_at:
            return handover, False
        handover.acknowledged_by, handover.acknowledged_at = by, clock.now()
        handover.save(update_fields=["acknowledged_by", "acknowledged_at"])
    return handover, True


def without_handover(shifts, start: dt.datetime, end: dt.datetime):
    """Of `shifts`, the published ones with people that ended in [start, end) without a
    handover."""
    return (
        shifts.filter(
            roster__state=RosterState.PUBLISHED,
            ends_at__gte=start,
            ends_at__lt=end,
            handover__isnull=True,
        )
        .filter(Exists(Assignment.objects.filter(shift=OuterRef("pk"))))
        .select_related("post__unit")
        .order_by("-ends_at", "pk")
    )


def flag_missing_handovers(organization) -> int:
    """Alert the unit heads over each shift that ended (more than 30 minutes ago, in the last
    two days) without a handover: once per shift. Returns the number of new alerts."""
    moment = clock.now()
    shifts = list(
        without_handover(Shift.objects.of(organization), moment - LOOK_BACK, moment - GRACE)
    )
    keys = {f"{NO_HANDOVER}:{s.pk}": s for s in shifts}
    done = set(
        Alert.objects.filter(organization=organization, dedup_key__in=list(keys)).values_list(
            "dedup_key", flat=True
        )
    )
    raised = 0
    for key, shift in keys.items():
        if key in done:
            continue
        end = timezone.localtime(shift.ends_at)
        raise_alert(
            organization,
            kind=NO_HANDOVER,
            title=_("%(post)s: the %(shift)s that ended %(end)s left no handover")
            % {"post": shift.post.name, "shift": shift.label, "end": f"{end:%m-%d %H:%M}"},
            link=reverse("duty:missing_handovers"),
            unit=shift.post.unit,
            to_roles=["unit_head"],
            dedup_key=key,
            robots=False,
        )
        raised += 1
    return raised
