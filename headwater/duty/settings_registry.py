"""The duty app's per-response-level settings (core.levels): the hard limits every roster
keeps, generated or edited by hand."""

from django.utils.translation import gettext_lazy as _

from headwater.core import levels

levels.register(
    "duty.min_rest_hours",
    _("Minimum rest between two shifts (hours)"),
    kind=int,
    default=12,
    per_level={"level1": 8},
    minimum=0,
    maximum=48,
)
levels.register(
    "duty.max_consecutive_days",
    _("Most days on duty in a row"),
    kind=int,
    default=6,
    per_level={"level1": 10},
    minimum=1,
    maximum=31,
)
levels.register(
    "duty.max_week_hours",
    _("Most hours on duty in a week"),
    kind=int,
    default=60,
    per_level={"level1": 72},
    minimum=8,
    maximum=168,
)
