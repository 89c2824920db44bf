"""Sampling plans: their rules (clean_plan) and saving one (pages and API alike)."""

from django.db import transaction
from django.utils.translation import gettext as _

from headwater.core import clock
from headwater.core.audit import acting_as
from headwater.core.choices import ResponseLevel
from headwater.core.errors import invalid, require
from headwater.core.writes import Written
from headwater.quality import catalog, schedule
from headwater.quality import permissions as perms
from headwater.quality.choices import Frequency, PointKind
from headwater.quality.inputs import PlanInput
from headwater.quality.models import Lab, SamplingPlan, SamplingPoint
from headwater.quality.services.sampling import generate_for


def save_plan(data: PlanInput, *, by, plan: SamplingPlan | None = None) -> Written[SamplingPlan]:
    """Create a plan (`plan` None) or change one: validated by clean_plan, its lab one of the
    organization's and its single point one the user sees; saved audited, and the plan's
    coming tasks generated once the transaction commits."""
    require(by, perms.MANAGE)
    created = plan is None
    if plan is None:
        plan = SamplingPlan(organization_id=by.organization_id)
    data.apply(plan)
    plan.starts_on = plan.starts_on or clock.today()
    errors = clean_plan(plan)
    if plan.point_id and not SamplingPoint.objects.visible_to(by).filter(pk=plan.point_id).exists():
        errors["point"] = _("Unknown sampling point.")
    if errors:
        raise invalid(errors)
    with transaction.atomic(), acting_as(by):
        plan.save()
        organization_id = plan.organization_id
        transaction.on_commit(lambda: generate_for(organization_id))
    return plan, created


def clean_plan(plan: SamplingPlan) -> dict[str, str]:
    """Normalize the plan in place; return a message for every bad field."""
    errors: dict[str, str] = {}
    plan.name = (plan.name or "").strip()
    if not plan.name:
        errors["name"] = _("This field is required.")
    errors.update(_clean_target(plan))
    errors.update(_clean_indicators(plan))
    errors.update(_clean_frequency(plan))
    if not plan.window_hours or plan.window_hours < 1:
        errors["window_hours"] = _("Allow at least one hour to do the task.")
    if not isinstance(plan.levels, list) or not set(plan.levels) <= set(ResponseLevel.values):
        errors["levels"] = _("Unknown response level.")
    return errors


def _clean_target(plan: SamplingPlan) -> dict[str, str]:
    # Ids are looked up within the plan's organization: one of another organization, or none
    # at all, is simply not a choice.
    errors = {}
    if not Lab.objects.of(plan.organization_id).filter(pk=plan.lab_id).exists():
        errors["lab"] = _("Choose a lab.")
    if plan.point_id and plan.point_kind:
        errors["point_kind"] = _("Choose one sampling point or a kind of point, not both.")
    elif plan.point_id:
        if not SamplingPoint.objects.of(plan.organization_id).filter(pk=plan.point_id).exists():
            errors["point"] = _("Unknown sampling point.")
    elif plan.point_kind not in PointKind.values:
        errors["point_kind"] = _("Choose one sampling point or a kind of point.")
    return errors


def _clean_indicators(plan: SamplingPlan) -> dict[str, str]:
    codes = plan.indicators if isinstance(plan.indicators, list) else []
    plan.indicators = list(dict.fromkeys(str(code).strip() for code in codes if str(code).strip()))
    if not plan.indicators:
        return {"indicators": _("Choose at least one indicator.")}
    known = catalog.indicators()
    unknown = [code for code in plan.indicators if code not in known]
    if unknown:
        return {"indicators": _("Unknown indicators: %(codes)s") % {"codes": ", ".join(unknown)}}
    return {}


def _clean_frequency(plan: SamplingPlan) -> dict[str, str]:
    errors = {}
    if plan.frequency not in Frequency.values:
        return {"frequency": _("Choose a frequency.")}
    try:
        times = sorted({schedule.parse_time(t) for t in plan.times or []})
    except (TypeError, ValueError):
        errors["times"] = _("Enter times of day as HH:MM, e.g. 08:00.")
    else:
        # The first time is the one daily, weekly and monthly plans use: keep the user's order.
        if plan.frequency == Frequency.TIMES_DAILY:
            plan.times = [f"{t:%H:%M}" for t in times]
        else:
            plan.times = [f"{schedule.parse_time(t):%H:%M}" for t in plan.times or []]
        if plan.frequency == Frequency.TIMES_DAILY and not times:
            errors["times"] = _("Enter at least one time of day.")
    if plan.frequency == Frequency.EVERY_N_HOURS:
        hours = plan.every_hours
        if not hours or hours > 24 or 24 % hours:
            errors["every_hours"] = _("Enter a number of hours that divides 24 (1, 2, 3, 4, 6…).")
    if plan.frequency == Frequency.WEEKDAYS:
        days = plan.weekdays if isinstance(plan.weekdays, list) else None
        if not days or not all(isinstance(d, int) and 0 <= d <= 6 for d in days):
            errors["weekdays"] = _("Choose at least one weekday.")
        else:
            plan.weekdays = sorted(set(days))
    if plan.frequency in (Frequency.MONTHLY, Frequency.HALF_YEARLY):
        if not plan.day_of_month or not 1 <= plan.day_of_month <= 31:
            errors["day_of_month"] = _("Enter a day of the month from 1 to 31.")
    if plan.frequency == Frequency.HALF_YEARLY:
        months = plan.months or list(schedule.DEFAULT_MONTHS)
        if not isinstance(months, list) or not all(
            isinstance(m, int) and 1 <= m <= 12 for m in months
        ):
            errors["months"] = _("Choose months from 1 to 12.")
        else:
            plan.months = sorted(set(months))
    return errors
