"""Follow-up items of abnormal check-ins: closed with an outcome, by the office or by the
capability that took the item over (an isolation case opened from it)."""

from django.db import transaction
from django.utils.translation import gettext as _

from headwater.core import clock, locks
from headwater.core.audit import acting_as
from headwater.core.errors import DomainError
from headwater.core.writes import Written
from headwater.health.models import FollowUp
from headwater.health.services.statuses import _check_permission


def close_follow_up(item: FollowUp, outcome: str, *, by) -> Written[FollowUp]:
    """Close an open follow-up item with its outcome ("isolated", "cleared" …). An item
    already closed is refused and left as it was."""
    _check_permission(by, item.organization_id)
    outcome = (outcome or "").strip()[:200]
    if not outcome:
        message = _("Say what came of the follow-up.")
        raise DomainError(message, fields={"outcome": message})
    with transaction.atomic(), acting_as(by):
        locked = locks.lock_one(FollowUp.objects.all(), item.pk)
        if locked.closed_at is not None:
            raise DomainError(_("This follow-up item is already closed."), code="follow_up_closed")
        locked.closed_at = clock.now()
        locked.outcome = outcome
        locked.save(update_fields=["closed_at", "outcome"])
    return locked, False
