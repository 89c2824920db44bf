"""Typed inputs of the results part: a tube's result (typed on the page, sent to the API, or
one row of the laboratory's spreadsheet) and a retest sample. The cell parsers here are the
import's too, so a value means the same wherever it is entered."""

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from headwater.core import clock
from headwater.core.errors import invalid
from headwater.testing.choices import TubeResult

BARCODE_MAX = 40
REASON_MAX = 200
LAB_MEMBERS_MAX = 100

# What laboratories write in the result column: Chinese and English, a few common variants.
RESULT_WORDS = {
    "阴性": TubeResult.NEGATIVE,
    "阴": TubeResult.NEGATIVE,
    "-": TubeResult.NEGATIVE,
    "negative": TubeResult.NEGATIVE,
    "neg": TubeResult.NEGATIVE,
    "阳性": TubeResult.POSITIVE,
    "阳": TubeResult.POSITIVE,
    "+": TubeResult.POSITIVE,
    "positive": TubeResult.POSITIVE,
    "pos": TubeResult.POSITIVE,
    "无效": TubeResult.INVALID,
    "invalid": TubeResult.INVALID,
}
_DATETIME = re.compile(
    r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
    r"(?:(?:\s+|T|\s*日\s*)(\d{1,2})\s*[:：时]\s*(\d{1,2})\s*分?(?:\s*[:：]\s*(\d{1,2})(?:\.\d+)?\s*秒?)?)?$"
)


def parse_result(text: Any) -> str | None:
    """negative / positive / invalid from 阴性, 阳性, 无效 or the English words; else None."""
    return RESULT_WORDS.get(str(text or "").strip().casefold())


def parse_time(value: Any) -> dt.datetime | None:
    """An aware time from a datetime or "2026-11-02 08:00", "2026/11/2 8:00:00", "2026年11月2日
    8时00分" (local, Asia/Shanghai); a date alone is midnight. None if it is none of these."""
    if isinstance(value, dt.datetime):
        return timezone.make_aware(value) if timezone.is_naive(value) else value
    match = _DATETIME.match(str(value or "").strip())
    if not match:
        return None
    y, mo, d, h, mi, s = match.groups()
    try:
        naive = dt.datetime(int(y), int(mo), int(d), int(h or 0), int(mi or 0), int(s or 0))
    except ValueError:
        return None
    return timezone.make_aware(naive)


def parse_members(value: Any) -> int | None:
    """The laboratory's count of swabs in the tube: 1 … 100. Raises ValueError otherwise."""
    text = str(value if value is not None else "").strip()
    if not text:
        return None
    if not text.isdigit() or not 1 <= int(text) <= LAB_MEMBERS_MAX:
        raise ValueError
    return int(text)


def time_errors(when: dt.datetime | None, raw: Any) -> str | None:
    """The reason a result time is refused, or None."""
    if when is None:
        return _("%(value)s is not a date and time (use 2026-11-02 08:00).") % {"value": raw}
    if when > clock.now():
        return _("The result time %(value)s is in the future.") % {
            "value": timezone.localtime(when).strftime("%Y-%m-%d %H:%M")
        }
    return None


@dataclass
class ResultInput:
    """A tube's result: the barcode on its label, negative/positive/invalid, when the
    laboratory reported it, optionally how many swabs it counted in the tube, and — only to
    change a result already recorded — the reason for the correction."""

    barcode: str
    result: str
    result_at: dt.datetime
    lab_members: int | None = None
    correction_reason: str = ""

    @classmethod
    def parse(cls, data: Mapping[str, Any]) -> "ResultInput":
        errors: dict[str, str] = {}
        barcode = str(data.get("barcode") or "").strip()
        if not barcode:
            errors["barcode"] = _("Scan or type the tube's barcode.")
        elif len(barcode) > BARCODE_MAX:
            errors["barcode"] = _("At most %(n)s characters.") % {"n": BARCODE_MAX}
        result = parse_result(data.get("result"))
        if result is None:
            errors["result"] = _("Choose negative, positive or invalid.")
        raw_time = data.get("result_at")
        when = parse_time(raw_time) if raw_time not in (None, "") else clock.now()
        if problem := time_errors(when, raw_time):
            errors["result_at"] = problem
        try:
            members = parse_members(data.get("lab_members"))
        except ValueError:
            members = None
            errors["lab_members"] = _("Enter a whole number from 1 to %(n)s.") % {
                "n": LAB_MEMBERS_MAX
            }
        reason = str(data.get("correction_reason") or "").strip()
        if len(reason) > REASON_MAX:
            errors["correction_reason"] = _("At most %(n)s characters.") % {"n": REASON_MAX}
        if errors:
            raise invalid(errors)
        return cls(barcode, result, when, members, reason)


@dataclass
class RetestSampleInput:
    """A retest swab: the barcode of the individual (single) tube it went into, and when."""

    barcode: str
    taken_at: dt.datetime

    @classmethod
    def parse(cls, data: Mapping[str, Any]) -> "RetestSampleInput":
        errors: dict[str, str] = {}
        barcode = str(data.get("barcode") or "").strip()
        if not barcode:
            errors["barcode"] = _("Scan or type the tube's barcode.")
        elif len(barcode) > BARCODE_MAX:
            errors["barcode"] = _("At most %(n)s characters.") % {"n": BARCODE_MAX}
        raw_time = data.get("taken_at")
        when = parse_time(raw_time) if raw_time not in (None, "") else clock.now()
        if when is None:
            errors["taken_at"] = _("%(value)s is not a date and time (use 2026-11-02 08:00).") % {
                "value": raw_time
            }
        elif when > clock.now():
            errors["taken_at"] = _("The sampling time cannot be in the future.")
        if errors:
            raise invalid(errors)
        return cls(barcode, when)
