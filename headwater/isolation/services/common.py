"""What every isolation use-case shares: the permission checks and the history row."""

from django.utils.translation import gettext as _

from headwater.core.errors import NotAllowed
from headwater.isolation.models import Case, CaseEvent
from headwater.isolation.permissions import MANAGE_CASES


def is_office(by, organization_id: int) -> bool:
    """Holds the office's permission, in the case's organization."""
    return by.has_perm(MANAGE_CASES) and (by.is_superuser or by.organization_id == organization_id)


def require_office(by, organization_id: int) -> None:
    if not is_office(by, organization_id):
        raise NotAllowed(_("Only the epidemic-prevention office may do this."))


def require_monitor(by, case: Case) -> None:
    """The case's monitor, or the office."""
    if not (by.person_id and by.person_id == case.monitor_id) and not is_office(
        by, case.organization_id
    ):
        raise NotAllowed(_("Only the case's monitor or the office may do this."))


def event(case: Case, kind: str, by, note: str = "") -> CaseEvent:
    return CaseEvent.objects.create(
        organization_id=case.organization_id,
        case=case,
        kind=kind,
        actor=by if getattr(by, "pk", None) else None,
        note=note[:300],
    )
