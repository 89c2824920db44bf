"""The alerts app's per-response-level settings (core.levels)."""

from django.utils.translation import gettext_lazy as _

from headwater.core import levels
from headwater.core.choices import ResponseLevel

levels.register(
    "alerts.escalate_after_minutes",
    _("Minutes before an unacknowledged critical alert escalates"),
    kind=int,
    # At least 5 minutes (the escalation job runs every minute; less would escalate before
    # anybody could read it), at most a day.
    minimum=5,
    maximum=1440,
    default=60,
    per_level={ResponseLevel.LEVEL_1: 30, ResponseLevel.LEVEL_2: 30},
    help_text=_(
        "A critical alert nobody acknowledges within this time goes one role up: unit head → "
        "control office → leader."
    ),
)
