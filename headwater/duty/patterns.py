"""The shifts of a day for each ready-made pattern, and the exact times of a shift on a day
(the project's time zone, Asia/Shanghai; a shift starting in the evening ends the next
morning). Pure functions."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from headwater.duty.choices import ShiftPattern


@dataclass(frozen=True)
class ShiftSpec:
    label: str
    starts: dt.time
    hours: Decimal
    night: bool


def _spec(label, hh, mm, hours, night=False) -> ShiftSpec:
    return ShiftSpec(str(label), dt.time(hh, mm), Decimal(hours), night)


def specs(pattern: str) -> list[ShiftSpec]:
    """The shifts of one day under `pattern`."""
    if pattern == ShiftPattern.DAY_NIGHT:
        return [_spec(_("Day shift"), 8, 0, "12"), _spec(_("Night shift"), 20, 0, "12", True)]
    if pattern == ShiftPattern.FULL_DAY:
        return [_spec(_("24-hour shift"), 8, 0, "24", True)]
    if pattern == ShiftPattern.THREE:
        return [
            _spec(_("Morning shift"), 8, 0, "8"),
            _spec(_("Evening shift"), 16, 0, "8"),
            _spec(_("Night shift"), 0, 0, "8", True),
        ]
    if pattern == ShiftPattern.OFFICE_HOURS:
        return [_spec(_("Day shift"), 8, 0, "9.5")]
    raise ValueError(pattern)


def bounds(day: dt.date, starts: dt.time, hours) -> tuple[dt.datetime, dt.datetime]:
    """The start and end of a shift of `hours` starting at `starts` on `day`."""
    start = timezone.make_aware(dt.datetime.combine(day, starts))
    return start, start + dt.timedelta(hours=float(hours))
