"""What the "now" services share: who manages a post, whose logins a person has, the alert
to people, and the refusal of a shift that is not (or no longer) open to a change."""

from django.urls import reverse
from django.utils.translation import gettext as _

from headwater.alerts.choices import Severity
from headwater.alerts.services import raise_alert
from headwater.core import clock
from headwater.core.errors import DomainError
from headwater.core.models import User
from headwater.core.querysets import reaches
from headwater.duty.choices import RosterState
from headwater.duty.errors import DutyError
from headwater.duty.permissions import MANAGE_ROSTERS


def manages(user, post) -> bool:
    """Whether the user may manage the rosters of the post's unit (its unit head, the office)."""
    return user.organization_id == post.organization_id and reaches(user, MANAGE_ROSTERS, post.unit)


def on_shift(user, shift) -> bool:
    return bool(user.person_id) and shift.assignments.filter(person_id=user.person_id).exists()


def users_of(*person_ids) -> list[int]:
    return list(
        User.objects.filter(person_id__in=person_ids, is_active=True).values_list("pk", flat=True)
    )


def require_published(shift) -> None:
    if shift.roster.state != RosterState.PUBLISHED:
        raise DomainError(
            _("This shift's roster is not published yet."), code=DutyError.WRONG_STATE
        )


def require_not_started(shift) -> None:
    if shift.starts_at <= clock.now():
        raise DomainError(
            _("This shift has started already: it can no longer be swapped."),
            code=DutyError.WRONG_STATE,
        )


def tell(
    shift, *, kind: str, title: str, body: str, dedup_key: str, people=(), heads=False, link=""
):
    """An inbox alert (never the group robots) to the people's logins and, with `heads`, the
    unit heads over the post's unit; once per dedup_key."""
    raise_alert(
        shift.organization,
        kind=kind,
        title=title,
        body=body,
        severity=Severity.INFO,
        link=link or reverse("duty:swaps"),
        unit=shift.post.unit,
        to_users=users_of(*people),
        to_roles=["unit_head"] if heads else [],
        dedup_key=dedup_key,
        robots=False,
    )
