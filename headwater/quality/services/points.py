"""Sampling points: saving one (pages and API alike), and the units a user may give one."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from headwater.core.audit import acting_as
from headwater.core.errors import invalid, require
from headwater.core.models import Site, Unit
from headwater.core.querysets import unit_scope
from headwater.core.writes import Written
from headwater.quality import permissions as perms
from headwater.quality.inputs import PointInput
from headwater.quality.models import Lab, SamplingPoint

# Checked by save_point itself (within the organization and the user's scope), not by the
# model's field validation.
OWNERS = ["organization", "unit", "lab", "site"]


def units_for(user, perm: str) -> QuerySet[Unit]:
    """The units of the user's organization that the user's grants holding `perm` reach (every
    unit of it for the superuser)."""
    scope = unit_scope(user, perm)
    if scope is None:
        scope = Q() if user.is_superuser else Q(pk__in=[])
    return Unit.objects.filter(scope, organization_id=user.organization_id)


def save_point(
    data: PointInput, *, by, point: SamplingPoint | None = None
) -> Written[SamplingPoint]:
    """Create a sampling point (`point` None) or change one: its fields as the model declares
    them, then owned by a unit the user manages, sampled by a lab of the organization, at one
    of its sites, its code unique in it. Refusals name the input's fields (`unit_id` …)."""
    require(by, perms.MANAGE)
    created = point is None
    if point is None:
        point = SamplingPoint(organization_id=by.organization_id)
    data.apply(point)
    try:
        point.full_clean(exclude=OWNERS, validate_constraints=False, validate_unique=False)
    except ValidationError as e:
        raise invalid({k: " ".join(v) for k, v in e.message_dict.items()}) from None
    errors = _owner_errors(point, by)
    if errors:
        raise invalid(errors)
    with transaction.atomic(), acting_as(by):
        point.save()
    return point, created


def _owner_errors(point: SamplingPoint, by) -> dict[str, str]:
    org_id = point.organization_id
    errors = {}
    if not units_for(by, perms.MANAGE).filter(pk=point.unit_id).exists():
        errors["unit_id"] = _("Choose a unit.")
    if not Lab.objects.of(org_id).filter(pk=point.lab_id).exists():
        errors["lab_id"] = _("Choose a lab.")
    if point.site_id and not Site.objects.filter(organization_id=org_id, pk=point.site_id).exists():
        errors["site_id"] = _("Choose a site.")
    taken = SamplingPoint.objects.of(org_id).filter(code=point.code)
    if point.code and taken.exclude(pk=point.pk).exists():
        errors["code"] = _("Another sampling point has this code.")
    return errors
