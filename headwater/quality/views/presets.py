"""Which indicators an extra sample's results page lists: a preset or the technician's own
choice, read from the address (`?preset=quick|all|plan-<id>`, `?indicator=<code>…`)."""

from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext as _

from headwater.quality import catalog
from headwater.quality.models import SamplingPlan, SamplingPoint

QUICK = "quick"
ALL = "all"
CUSTOM = "custom"
PLAN = "plan-"
# The quick check (浑浊度、pH、消毒剂余量): turbidity, pH and the disinfectant residual the
# point's plans measure — free chlorine unless they measure another one.
QUICK_CODES = ("turbidity", "ph")
DISINFECTANTS = ("free_chlorine", "total_chlorine", "chlorine_dioxide", "ozone")


@dataclass
class Preset:
    value: str
    label: str
    codes: list[str]


@dataclass
class IndicatorChoice:
    """The presets offered, the one chosen (CUSTOM for an own choice) and its codes; `every`
    is what the own choice offers (every indicator of the catalog, in catalog order)."""

    presets: list[Preset]
    chosen: str
    codes: list[str]
    every: list[catalog.Indicator] = field(default_factory=list)


def indicator_choice(request, point: SamplingPoint) -> IndicatorChoice:
    """The choice the request makes at `point` (the quick check when it makes none)."""
    known = catalog.indicators()
    plans = list(
        SamplingPlan.objects.visible_to(request.user)
        .filter(Q(point=point) | Q(point__isnull=True, point_kind=point.kind), active=True)
        .order_by("name", "pk")
    )
    presets = [_quick(plans), *(_plan_preset(plan) for plan in plans), _all()]
    own = [code for code in request.GET.getlist("indicator") if code in known]
    wanted = request.GET.get("preset", QUICK)
    preset = next((p for p in presets if p.value == wanted), presets[0])
    if own:
        return IndicatorChoice(presets, CUSTOM, list(dict.fromkeys(own)), list(known.values()))
    return IndicatorChoice(presets, preset.value, preset.codes, list(known.values()))


def _quick(plans: list[SamplingPlan]) -> Preset:
    measured = {code for plan in plans for code in plan.indicators}
    disinfectant = next((c for c in DISINFECTANTS if c in measured), DISINFECTANTS[0])
    codes = [*QUICK_CODES, disinfectant]
    names = "、".join(catalog.indicator(c).name_zh for c in codes)
    return Preset(QUICK, _("Quick check: %(names)s") % {"names": names}, codes)


def _plan_preset(plan: SamplingPlan) -> Preset:
    codes = [c for c in plan.indicators if c in catalog.indicators()]
    label = _("Plan: %(name)s (%(count)s indicators)") % {"name": plan.name, "count": len(codes)}
    return Preset(f"{PLAN}{plan.pk}", label, codes)


def _all() -> Preset:
    codes = catalog.routine_codes()
    return Preset(ALL, _("All %(count)s routine indicators") % {"count": len(codes)}, codes)
