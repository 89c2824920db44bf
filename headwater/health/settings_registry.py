"""The health app's per-response-level settings (core.levels)."""

from django.utils.translation import gettext_lazy as _

from headwater.core import levels

levels.register(
    "health.checkins_per_day",
    _("Check-ins per day"),
    kind=int,
    minimum=1,
    maximum=2,
    default=1,
    per_level={"level1": 2, "level2": 2},
    help_text=_("1: one check-in a day (the morning slot); 2: morning and afternoon."),
)
levels.register(
    "health.morning_closes",
    _("Morning check-in window closes at"),
    kind=str,
    format=levels.TIME,
    default="12:00",
)
levels.register(
    "health.reminder_times",
    _("Check-in reminder times"),
    kind=list,
    format=levels.TIME,
    max_length=12,
    default=["09:00"],
    per_level={"level1": ["08:30", "14:30"], "level2": ["08:30", "14:30"]},
    help_text=_("Comma-separated times (HH:MM) when people who have not checked in are reminded."),
)
levels.register(
    "health.report_deadline",
    _("Unit daily report deadline"),
    kind=str,
    format=levels.TIME,
    default="10:00",
)
levels.register(
    "health.office_phone",
    _("Epidemic-prevention office phone"),
    kind=str,
    max_length=30,
    default="",
    help_text=_("Shown to people with a yellow or red code as the number to call."),
)
