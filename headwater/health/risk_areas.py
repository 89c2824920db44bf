"""The risk-area spreadsheet: its columns, the words and dates it may hold, its row rules
(through core.importer: every bad row named with its reasons) and an empty template to fill
in. Reads and parsing only; the writes are health.services.risk_areas."""

import datetime as dt
import re
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from headwater.core.importer import Column, ImportSpec, export_table
from headwater.health.choices import RiskLevel
from headwater.health.models import RiskArea

NAME_MAX = RiskArea._meta.get_field("name").max_length

COLUMNS = (
    Column("name", "地区", ("area", "name", "地区名称"), required=True, label=gettext_lazy("area")),
    Column(
        "level",
        "风险等级",
        ("level", "risk level", "等级"),
        required=True,
        label=gettext_lazy("risk level"),
    ),
    Column(
        "valid_from",
        "起始日期",
        ("valid_from", "valid from", "from", "开始日期"),
        required=True,
        label=gettext_lazy("valid from"),
    ),
    Column(
        "valid_to",
        "截止日期",
        ("valid_to", "valid to", "to", "结束日期"),
        label=gettext_lazy("valid to"),
    ),
)

# The file speaks Chinese whatever the user's language; English words are accepted too.
LEVEL_WORDS = {
    "高": RiskLevel.HIGH,
    "高风险": RiskLevel.HIGH,
    "中": RiskLevel.MEDIUM,
    "中风险": RiskLevel.MEDIUM,
    "低": RiskLevel.LOW,
    "低风险": RiskLevel.LOW,
    "high": RiskLevel.HIGH,
    "high risk": RiskLevel.HIGH,
    "medium": RiskLevel.MEDIUM,
    "medium risk": RiskLevel.MEDIUM,
    "low": RiskLevel.LOW,
    "low risk": RiskLevel.LOW,
}
_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


def parse_date(text: str) -> dt.date | None:
    """2020-01-23, 2020/1/23, 2020.1.23 or 2020年1月23日; None if it is none of these."""
    match = _DATE.match(text.strip())
    if not match:
        return None
    try:
        return dt.date(*(int(g) for g in match.groups()))
    except ValueError:
        return None


def parse_level(text: str) -> str | None:
    return LEVEL_WORDS.get(text.strip().casefold())


# --- Spreadsheet import --------------------------------------------------------------------


def _check_row(raw: dict[str, str]) -> dict[str, Any] | list[str]:
    """Blank required cells are reported by the importer; only report what is wrong besides."""
    errors: list[str] = []
    row: dict[str, Any] = {"name": raw["name"]}
    if len(raw["name"]) > NAME_MAX:
        errors.append(_("The area is too long (at most %(max)s characters).") % {"max": NAME_MAX})
    if raw["level"]:
        row["level"] = parse_level(raw["level"])
        if row["level"] is None:
            errors.append(
                _("Unknown risk level %(value)s (use 高, 中 or 低)") % {"value": raw["level"]}
            )
    for field, label in (("valid_from", _("valid from")), ("valid_to", _("valid to"))):
        text = raw.get(field, "")
        row[field] = parse_date(text) if text else None
        if text and row[field] is None:
            errors.append(
                _("The %(label)s %(value)s is not a date (use 2020-01-23)")
                % {"label": label, "value": text}
            )
    if row["valid_from"] and row["valid_to"] and row["valid_to"] < row["valid_from"]:
        errors.append(_("The valid to date is before the valid from date."))
    return errors or row


SPEC = ImportSpec(columns=COLUMNS, validate_row=_check_row, key=("name", "valid_from"))


def template(fmt: str) -> bytes:
    """An empty file with the import's headers, to fill in."""
    return export_table(COLUMNS, [], fmt, title=str(_("Risk areas")))
