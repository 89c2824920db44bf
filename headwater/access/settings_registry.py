"""Per-level settings of the access app (the office changes them per response level)."""

from django.utils.translation import gettext_lazy as _

from headwater.core import levels

levels.register(
    "access.pass_seconds",
    _("A phone pass's QR code changes every (seconds)"),
    kind=int,
    default=60,
    minimum=30,
    maximum=300,
)
levels.register(
    "access.fever_tenths",
    _("Refused at the gate from (tenths of a degree: 373 = 37.3 °C)"),
    kind=int,
    default=373,
    minimum=360,
    maximum=400,
)
levels.register(
    "access.closed_site_kinds",
    _("Sites closed to outside people and vehicles (kinds of site)"),
    kind=list,
    default=[],
    per_level={
        "level1": ["water_plant", "pumping_station", "reservoir", "dispatch_center"],
        "level2": ["water_plant", "dispatch_center"],
    },
    max_length=20,
)
levels.register(
    "access.visit_needs_host",
    _("A visitor needs the host's approval"),
    kind=bool,
    default=False,
    per_level={"level1": True, "level2": True},
)
levels.register(
    "access.visit_hours",
    _("A visitor pass is valid for (hours)"),
    kind=int,
    default=8,
    minimum=1,
    maximum=72,
)
levels.register(
    "access.trace_minutes",
    _("Contact tracing: passages at one gate within (minutes)"),
    kind=int,
    default=15,
    minimum=1,
    maximum=240,
)
levels.register(
    "access.meal_order_deadline",
    _("Meal orders for the same day close at"),
    kind=str,
    default="10:00",
    format=levels.TIME,
)
levels.register(
    "access.trace_weight_gate",
    _("Contact tracing: weight of passing the same gate"),
    kind=int,
    default=1,
    minimum=0,
    maximum=100,
)
levels.register(
    "access.trace_weight_slot",
    _("Contact tracing: weight of sharing a canteen slot"),
    kind=int,
    default=2,
    minimum=0,
    maximum=100,
)
levels.register(
    "access.trace_weight_bus",
    _("Contact tracing: weight of riding the same bus trip"),
    kind=int,
    default=3,
    minimum=0,
    maximum=100,
)
levels.register(
    "access.trace_weight_shift",
    _("Contact tracing: weight of sharing a duty shift"),
    kind=int,
    default=4,
    minimum=0,
    maximum=100,
)
