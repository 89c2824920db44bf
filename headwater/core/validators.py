"""Checks of Chinese phone numbers and resident ID numbers (GB 11643-1999 check digit), of
the dates a record can bear, and of a body temperature (one range for check-ins, isolation,
gates and visitors)."""

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}$")
_ID = re.compile(r"^\d{17}[\dX]$")
_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
_CHECK = "10X98765432"

# Day arithmetic near year 1 or 9999 overflows, and before 1900 the zone database gives local
# mean time (+08:05:43 in Shanghai): no record of ours is dated outside these years.
RECORD_YEARS = range(1900, 3000)

# The largest value of the smallest integer column in use (PostgreSQL `integer`): an id or a
# count past it makes the database driver raise.
INT_MAX = 2**31 - 1


# A body temperature as a thermometer reads it (°C): below or above is a slip of the finger
# or a bad reading, to be measured again (a fever threshold is set inside it too).
BODY_MIN, BODY_MAX = Decimal("34.0"), Decimal("42.5")


def parse_temperature(raw: Any) -> tuple[Decimal | None, str]:
    """(°C to one decimal, "") or (None, why not, in the user's language)."""
    try:
        value = Decimal(str(raw).strip()).quantize(Decimal("0.1"))
        if not value.is_finite():  # "NaN" quantizes to NaN, which no comparison admits
            raise ValueError(raw)
    except (InvalidOperation, TypeError, ValueError):
        return None, _("Enter the temperature as a number, e.g. 36.5.")
    if not BODY_MIN <= value <= BODY_MAX:
        return None, _("%(t)s °C is outside 34.0–42.5 °C; please measure again.") % {"t": value}
    return value, ""


def is_record_date(day) -> bool:
    return day.year in RECORD_YEARS


def id_check_digit(first17: str) -> str:
    return _CHECK[sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True)) % 11]


def validate_phone(value: str) -> None:
    if value and not (_MOBILE.match(value) or _LANDLINE.match(value)):
        raise ValidationError(_("Phone number is malformed: %(value)s"), params={"value": value})


def validate_id_number(value: str) -> None:
    if not value:
        return
    value = value.upper()
    if not _ID.match(value) or id_check_digit(value[:17]) != value[17]:
        raise ValidationError(_("ID number is malformed: %(value)s"), params={"value": value})
