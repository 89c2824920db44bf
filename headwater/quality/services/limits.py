"""Internal limits (内控指标) and temporary relaxations of the national limits."""

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from headwater.alerts.services import raise_alert
from headwater.core import clock, locks
from headwater.core.audit import acting_as
from headwater.core.errors import DomainError, NotAllowed, invalid
from headwater.core.roles import Role
from headwater.core.writes import Written
from headwater.quality import catalog
from headwater.quality import permissions as perms
from headwater.quality.choices import Category, RelaxationStatus
from headwater.quality.errors import QualityError
from headwater.quality.inputs import LimitInput, RelaxationInput
from headwater.quality.models import VALUE, InternalLimit, Relaxation
from headwater.quality.querysets import MAX_BOUND

MAX_RELAXATION_DAYS = 90


def save_internal_limit(
    data: LimitInput, *, by, limit: InternalLimit | None = None
) -> Written[InternalLimit]:
    """Create an internal limit (`limit` None) or change one: a known indicator and at least
    one bound, the minimum not above the maximum. `valid_from` None is today."""
    if not by.has_perm(perms.MANAGE_LIMITS):
        raise NotAllowed(_("Your role may not change limits."))
    _check_indicator_and_bounds(data)
    starts = data.valid_from or clock.today()
    if data.valid_until is not None and data.valid_until < starts:
        raise invalid({"valid_until": _("The end is before the start.")})
    created = limit is None
    if limit is None:
        limit = InternalLimit(organization_id=by.organization_id)
    data.apply(limit)
    limit.valid_from = limit.valid_from or clock.today()
    with transaction.atomic(), acting_as(by):
        limit.save()
    return limit, created


def propose_relaxation(data: RelaxationInput, *, by) -> Written[Relaxation]:
    """GB 5749-2022 lets sensory and general-chemical limits be relaxed for a while during a
    public-health emergency, after a risk assessment. A relaxation is proposed with its
    assessment and period, and counts only once someone else has approved it."""
    if not by.has_perm(perms.MANAGE):
        raise NotAllowed(_("Your role may not propose relaxations."))
    ind = _check_indicator_and_bounds(data)
    errors = {}
    if ind.category != Category.GENERAL:
        errors["indicator"] = _(
            "Only sensory and general-chemical indicators may be relaxed (GB 5749-2022)."
        )
    if data.valid_until < data.valid_from:
        errors["valid_until"] = _("The end is before the start.")
    elif (data.valid_until - data.valid_from).days > MAX_RELAXATION_DAYS:
        errors["valid_until"] = _("A relaxation may last at most 90 days; propose it again after.")
    if not (data.risk_assessment or "").strip():
        errors["risk_assessment"] = _("This field is required.")
    if errors:
        raise invalid(errors)
    relaxation = Relaxation(organization_id=by.organization_id, proposed_by=by)
    data.apply(relaxation)
    relaxation.status = RelaxationStatus.PROPOSED
    with transaction.atomic(), acting_as(by):
        relaxation.save()
        raise_alert(
            by.organization,
            kind="quality.relaxation_proposed",
            title=_("Relaxation of %(name)s proposed") % {"name": ind.name_zh},
            body=relaxation.reason,
            link=reverse("quality:limits"),
            to_roles=[Role.LEADER, Role.OFFICE],
        )
    return relaxation, True


def decide_relaxation(relaxation: Relaxation, *, by, approve: bool) -> Written[Relaxation]:
    """Approve or reject a proposed relaxation: someone holding the approval permission other
    than its proposer, decided on the locked row (two deciders cannot both decide it)."""
    if (
        not by.has_perm(perms.APPROVE_RELAXATION)
        or relaxation.organization_id != by.organization_id
    ):
        raise NotAllowed(_("Your role may not approve relaxations."))
    with transaction.atomic(), acting_as(by):
        relaxation = locks.lock_one(Relaxation, relaxation.pk)
        if relaxation.proposed_by_id == by.pk:
            raise NotAllowed(_("A relaxation must be approved by someone other than its proposer."))
        if relaxation.status != RelaxationStatus.PROPOSED:
            raise DomainError(
                _("This relaxation has already been decided."), code=QualityError.WRONG_STATE
            )
        relaxation.status = RelaxationStatus.APPROVED if approve else RelaxationStatus.REJECTED
        relaxation.decided_by, relaxation.decided_at = by, clock.now()
        relaxation.save(update_fields=["status", "decided_by", "decided_at"])
    return relaxation, False


def revoke_relaxation(relaxation: Relaxation, *, by) -> Written[Relaxation]:
    """End an approved relaxation today (from tomorrow the national limit applies again)."""
    may = by.has_perm(perms.APPROVE_RELAXATION) or by.has_perm(perms.MANAGE)
    if not may or relaxation.organization_id != by.organization_id:
        raise NotAllowed(_("Your role may not revoke relaxations."))
    with transaction.atomic(), acting_as(by):
        relaxation = locks.lock_one(Relaxation, relaxation.pk)
        if relaxation.status != RelaxationStatus.APPROVED:
            raise DomainError(
                _("Only an approved relaxation can be revoked."), code=QualityError.WRONG_STATE
            )
        relaxation.status = RelaxationStatus.REVOKED
        relaxation.valid_until = min(relaxation.valid_until, clock.today())
        relaxation.save(update_fields=["status", "valid_until"])
    return relaxation, False


def _check_indicator_and_bounds(data: LimitInput | RelaxationInput):
    try:
        ind = catalog.indicator(data.indicator)
    except KeyError:
        raise invalid({"indicator": _("Unknown indicator.")}) from None
    bad = {name: _bound_message() for name in ("minimum", "maximum") if not _fits(data, name)}
    if bad:
        raise invalid(bad)
    if data.minimum is None and data.maximum is None:
        raise invalid({"maximum": _("Give a minimum, a maximum or both.")})
    if data.minimum is not None and data.maximum is not None and data.minimum > data.maximum:
        raise invalid({"maximum": _("The maximum is below the minimum.")})
    return ind


def _fits(data: LimitInput | RelaxationInput, name: str) -> bool:
    """A bound the columns can hold and the evaluator can compare: none, or a finite
    number from 0 below MAX_BOUND with at most 8 decimals ("NaN", "1e999" are not)."""
    value = getattr(data, name)
    if value is None:
        return True
    try:
        value = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return False
    return (
        value.is_finite()
        and 0 <= value < MAX_BOUND
        and value.normalize().as_tuple().exponent >= -VALUE["decimal_places"]
    )


def _bound_message() -> str:
    return _("Enter a number from 0 to 999999999999 with at most 8 decimal places.")
