"""Per-level settings of the network app (the office changes them per response level)."""

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from headwater.core import levels
from headwater.network.choices import CustomerKind

# Weights of each kind of critical customer in the criticality ranking (排查隐患).
WEIGHTS = {
    CustomerKind.DESIGNATED_HOSPITAL: 10,
    CustomerKind.FEVER_CLINIC: 9,
    CustomerKind.HOSPITAL: 8,
    CustomerKind.CDC: 8,
    CustomerKind.COMMAND_CENTER: 8,
    CustomerKind.QUARANTINE_HOTEL: 6,
    CustomerKind.TESTING_SITE: 5,
    CustomerKind.SEALED_COMMUNITY: 5,
    CustomerKind.PPE_MAKER: 4,
    CustomerKind.DISINFECTANT_MAKER: 4,
    CustomerKind.TELECOM: 4,
    CustomerKind.BROADCASTING: 3,
    CustomerKind.LOGISTICS: 3,
    CustomerKind.OTHER: 1,
}
for kind, weight in WEIGHTS.items():
    levels.register(
        f"network.weight_{kind.value}",
        format_lazy(_("Criticality weight: {kind}"), kind=kind.label),
        kind=int,
        default=weight,
        minimum=0,
        maximum=100,
    )
levels.register(
    "network.pda_min_pressure",
    _("Hydraulic check: pressure below which no water is delivered (m)"),
    kind=int,
    default=0,
    minimum=0,
    maximum=50,
)
levels.register(
    "network.pda_required_pressure",
    _("Hydraulic check: pressure that delivers the full demand (m)"),
    kind=int,
    default=20,
    minimum=1,
    maximum=100,
)
levels.register(
    "network.hydraulic_hours",
    _("Hydraulic check: hours simulated after a burst"),
    kind=int,
    default=24,
    minimum=1,
    maximum=72,
)
levels.register(
    "network.lost_percent",
    _("A junction has lost water below this share of its demand (%)"),
    kind=int,
    default=10,
    minimum=1,
    maximum=99,
)
levels.register(
    "network.reading_stale_minutes",
    _("A pressure point is silent after (minutes without a reading)"),
    kind=int,
    default=30,
    per_level={"level1": 15},
    minimum=5,
    maximum=1440,
)
levels.register(
    "network.tanker_points",
    _("Tanker points suggested per cut-off critical customer"),
    kind=int,
    default=3,
    minimum=1,
    maximum=10,
)
levels.register(
    "network.nearby_metres",
    _("Critical customers' board: a work order this close is nearby (model's units, m)"),
    kind=int,
    default=1000,
    minimum=10,
    maximum=100000,
)
