"""The water-quality app's per-response-level settings (core.levels)."""

from django.utils.translation import gettext_lazy as _

from headwater.core import levels

levels.register(
    "quality.resample_within_hours",
    _("Re-sample an exceedance within (hours)"),
    kind=int,
    minimum=1,
    maximum=720,
    default=24,
    per_level={"level1": 4, "level2": 8},
    help_text=_("An exceedance opens a re-sampling task at the same point, due within this."),
)
levels.register(
    "quality.escalate_after",
    _("Escalate after this many exceedances in 30 days"),
    kind=int,
    minimum=1,
    maximum=100,
    default=3,
    per_level={"level1": 2, "level2": 2},
    help_text=_(
        "The same indicator exceeding at the same point this many times in 30 days "
        "becomes a critical alert to the leaders."
    ),
)
levels.register(
    "quality.raw_alert_class",
    _("Alert when raw water is of this GB 3838 class or worse"),
    kind=int,
    minimum=1,
    maximum=6,
    default=4,
    help_text=_("4: class IV; 6: worse than class V."),
)
