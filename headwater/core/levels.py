"""Per-response-level settings: the one mechanism through which any capability's setting
takes a value per emergency response level.

A capability declares its setting once, in its AppConfig.ready():

    levels.register("health.checkins_per_day", _("Check-ins per day"), kind=int,
                    default=1, per_level={"level1": 2, "level2": 2})

and reads it where it needs it: `levels.value(org, "health.checkins_per_day")`. The value
follows the organization's current level, so switching the level (services.switch_level)
applies every setting at once. The office overrides a level's value in the UI
(LevelSettingValue rows); the declared values are the defaults.
"""

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _

from headwater.core.choices import ResponseLevel


@dataclass(frozen=True)
class LevelSetting:
    key: str
    label: str
    kind: type
    default: Any
    per_level: dict[str, Any] = field(default_factory=dict)
    help_text: str = ""

    def declared(self, level: str) -> Any:
        return self.per_level.get(level, self.default)

    def parse(self, raw: Any) -> Any:
        """Turn a submitted value into the setting's type, or raise ValueError."""
        if self.kind is bool:
            if isinstance(raw, bool):
                return raw
            text = str(raw).strip().lower()
            if text in {"1", "true", "yes", "on", "是"}:
                return True
            if text in {"0", "false", "no", "off", "否", ""}:
                return False
            raise ValueError(raw)
        if self.kind is list:
            if isinstance(raw, list):
                return [str(x).strip() for x in raw if str(x).strip()]
            return [x.strip() for x in str(raw).split(",") if x.strip()]
        return self.kind(raw)


REGISTRY: dict[str, LevelSetting] = {}


def register(key: str, label, *, kind: type, default: Any, per_level=None, help_text="") -> None:
    REGISTRY[key] = LevelSetting(key, label, kind, default, dict(per_level or {}), help_text)


def value(organization, key: str, level: str | None = None) -> Any:
    """The setting's value for the organization at `level` (default: the level in force).

    The level and the office's overrides are read once per Organization instance (one
    request's worth) and kept on it; services that change them call `forget(organization)`."""
    setting = REGISTRY[key]
    level = level or organization.response_level
    overrides = getattr(organization, "_level_overrides", None)
    if overrides is None:
        overrides = {(r.key, r.level): r.value for r in organization.level_settings.all()}
        organization._level_overrides = overrides
    return overrides.get((key, level), setting.declared(level))


def forget(organization) -> None:
    """Drop what `value` and `Organization.response_level` remembered on this instance."""
    organization.__dict__.pop("_level_overrides", None)
    organization.__dict__.pop("response_level", None)


def table(organization) -> list[dict]:
    """Every registered setting with its value at every level, for the settings page and API."""
    overrides = {(r.key, r.level): r.value for r in organization.level_settings.all()}
    rows = []
    for key in sorted(REGISTRY):
        s = REGISTRY[key]
        values = {lvl: overrides.get((key, lvl), s.declared(lvl)) for lvl in ResponseLevel.values}
        rows.append({"setting": s, "values": values})
    return rows


# The core's own settings. Later capabilities register theirs in their own AppConfig.
register(
    "core.banner",
    _("Banner shown on every page"),
    kind=str,
    default="",
    per_level={
        ResponseLevel.LEVEL_1: "一级响应：非必要不外出，各单位严格执行日报告、零报告",
        ResponseLevel.LEVEL_2: "二级响应：严格落实测温、佩戴口罩和错峰就餐",
    },
)
register(
    "core.personal_data_retention_days",
    _("Days to keep a leaver's personal data"),
    kind=int,
    default=180,
    per_level={ResponseLevel.LEVEL_1: 365, ResponseLevel.LEVEL_2: 365},
    help_text=_("Longer during an emergency so that contact tracing can reach back."),
)
