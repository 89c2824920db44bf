"""Per-response-level settings: the one mechanism through which any capability's setting
takes a value per emergency response level.

A capability declares its setting once, in its AppConfig.ready(), with its type and what it
admits:

    levels.register("health.checkins_per_day", _("Check-ins per day"), kind=int,
                    minimum=1, maximum=2, default=1, per_level={"level1": 2, "level2": 2})
    levels.register("health.morning_closes", _("..."), kind=str, format=levels.TIME,
                    default="12:00")

and reads it where it needs it: `levels.value(org, "health.checkins_per_day")`. The value
follows the organization's current level, so switching the level (services.switch_level)
applies every setting at once. The office overrides a level's value in the UI
(LevelSettingValue rows); the declared values are the defaults.

A value is checked against its declaration when it is saved (`LevelSetting.clean`), and
again when it is read: a stored value that no longer passes (saved before a range was
declared, or written around the service) is logged once and the declared default is used
instead, so one bad setting cannot stop the capabilities that read it.
"""

import logging
import re
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from headwater.core import memo
from headwater.core.choices import ResponseLevel

logger = logging.getLogger(__name__)

TIME = "time"  # a time of day written HH:MM (00:00–23:59); for a list, each item
_TIME = re.compile(r"([01]?[0-9]|2[0-3]):([0-5][0-9])", re.ASCII)


def _time(raw: Any) -> str:
    match = _TIME.fullmatch(raw.strip()) if isinstance(raw, str) else None
    if match is None:
        raise ValueError(raw)
    return f"{int(match[1]):02d}:{match[2]}"


@dataclass(frozen=True)
class LevelSetting:
    key: str
    label: str
    kind: type
    default: Any
    per_level: dict[str, Any] = field(default_factory=dict)
    help_text: str = ""
    minimum: int | None = None
    maximum: int | None = None
    format: str | None = None
    max_length: int | None = None  # characters of a str; items of a list

    def declared(self, level: str) -> Any:
        return self.per_level.get(level, self.default)

    def clean(self, raw: Any) -> Any:
        """Turn a submitted or stored value into the setting's type within what the setting
        admits, or raise ValueError (`rule()` says what is admitted)."""
        if self.kind is bool:
            return self._bool(raw)
        if self.kind is int:
            return self._int(raw)
        if self.kind is list:
            return self._list(raw)
        if not isinstance(raw, str):
            raise ValueError(raw)
        if self.format == TIME:
            return _time(raw)
        if self.max_length is not None and len(raw) > self.max_length:
            raise ValueError(raw)
        return raw

    def _bool(self, raw: Any) -> bool:
        if isinstance(raw, bool):
            return raw
        text = str(raw).strip().lower()
        if text in {"1", "true", "yes", "on", "是"}:
            return True
        if text in {"0", "false", "no", "off", "否", ""}:
            return False
        raise ValueError(raw)

    def _int(self, raw: Any) -> int:
        if isinstance(raw, bool) or not isinstance(raw, int | str):
            raise ValueError(raw)
        number = int(raw)  # a str of non-ASCII digits or of over 4,300 digits raises too
        if isinstance(raw, str) and not raw.strip().lstrip("+-").isascii():
            raise ValueError(raw)
        if self.minimum is not None and number < self.minimum:
            raise ValueError(raw)
        if self.maximum is not None and number > self.maximum:
            raise ValueError(raw)
        return number

    def _list(self, raw: Any) -> list:
        items = raw if isinstance(raw, list) else str(raw).split(",")
        if not all(isinstance(x, str) for x in items):
            raise ValueError(raw)
        items = [x.strip() for x in items if x.strip()]
        if self.max_length is not None and len(items) > self.max_length:
            raise ValueError(raw)
        return [_time(x) for x in items] if self.format == TIME else items

    def display(self, value: Any) -> str:
        """A value as the settings page shows it and takes it back: a list as
        "08:30, 14:30" (what `clean` splits), yes/no in the user's language."""
        if isinstance(value, bool):
            return gettext("Yes") if value else gettext("No")
        if isinstance(value, list | tuple):
            return ", ".join(str(x) for x in value)
        return "" if value is None else str(value)

    def rule(self) -> str:
        """What the setting admits, naming it, for the message that refuses a value."""
        args = {
            "setting": str(self.label),
            "minimum": self.minimum,
            "maximum": self.maximum,
            "count": self.max_length,
        }
        if self.kind is bool:
            return gettext("%(setting)s: choose yes or no.") % args
        if self.kind is int and self.minimum is not None and self.maximum is not None:
            return (
                gettext("%(setting)s: enter a whole number from %(minimum)s to %(maximum)s.") % args
            )
        if self.kind is int and self.minimum is not None:
            return gettext("%(setting)s: enter a whole number of at least %(minimum)s.") % args
        if self.kind is int:
            return gettext("%(setting)s: enter a whole number.") % args
        if self.kind is list and self.format == TIME:
            return (
                gettext(
                    "%(setting)s: enter at most %(count)s times of day as HH:MM (00:00 to "
                    "23:59), separated by commas."
                )
                % args
            )
        if self.format == TIME:
            return gettext("%(setting)s: enter a time of day as HH:MM, from 00:00 to 23:59.") % args
        if self.max_length is not None:
            return gettext("%(setting)s: enter at most %(count)s characters.") % args
        return gettext("%(setting)s: enter a valid value.") % args


REGISTRY: dict[str, LevelSetting] = {}


def register(
    key: str,
    label,
    *,
    kind: type,
    default: Any,
    per_level=None,
    help_text="",
    minimum: int | None = None,
    maximum: int | None = None,
    format: str | None = None,
    max_length: int | None = None,
) -> None:
    setting = LevelSetting(
        key,
        label,
        kind,
        default,
        dict(per_level or {}),
        help_text,
        minimum=minimum,
        maximum=maximum,
        format=format,
        max_length=max_length,
    )
    for declared in [setting.default, *setting.per_level.values()]:
        setting.clean(declared)  # a declaration outside its own range fails at start-up
    REGISTRY[key] = setting


_reported: set[tuple] = set()


def _overrides(organization) -> dict[tuple[str, str], Any]:
    """The office's stored values that still pass their setting's declaration.

    One that does not is left out, so the declared default stands in for it, and is logged
    once per process (per organization, setting, level and value)."""
    overrides = {}
    for row in organization.level_settings.all():
        setting = REGISTRY.get(row.key)
        if setting is None:
            continue  # a setting no longer registered
        try:
            overrides[(row.key, row.level)] = setting.clean(row.value)
        except (TypeError, ValueError):
            mark = (organization.pk, row.key, row.level, repr(row.value))
            if mark not in _reported:
                _reported.add(mark)
                logger.warning(
                    "Stored value %r of setting %s at %s (organization %s) is not valid; "
                    "using the declared default.",
                    row.value,
                    row.key,
                    row.level,
                    organization.pk,
                )
    return overrides


def value(organization, key: str, level: str | None = None) -> Any:
    """The setting's value for the organization at `level` (default: the level in force).

    The level and the office's overrides are read once per Organization instance (one
    request's worth) and kept on it; services that change them call `forget(organization)`."""
    setting = REGISTRY[key]
    level = level or organization.response_level
    overrides = getattr(organization, "_level_overrides", None)
    if overrides is None:
        overrides = _overrides(organization)
        organization._level_overrides = overrides
    return overrides.get((key, level), setting.declared(level))


def remembered(organization) -> None:
    """Fill the organization instance with the level in force and the office's overrides from
    this process's memory (core.memo) instead of reading them: for the hottest paths only."""

    def load():
        forget(organization)
        return organization.response_level, _overrides(organization)

    level, overrides = memo.remember(organization.pk, "core.levels", load)
    organization.__dict__["response_level"] = level
    organization._level_overrides = overrides


def forget(organization) -> None:
    """Drop what `value` and `Organization.response_level` remembered on this instance."""
    organization.__dict__.pop("_level_overrides", None)
    organization.__dict__.pop("response_level", None)


def table(organization) -> list[dict]:
    """Every registered setting with its value at every level, for the settings page and API."""
    overrides = _overrides(organization)
    rows = []
    for key in sorted(REGISTRY):
        s = REGISTRY[key]
        values = {lvl: overrides.get((key, lvl), s.declared(lvl)) for lvl in ResponseLevel.values}
        rows.append({"setting": s, "values": values})
    return rows


@dataclass(frozen=True)
class Change:
    """One setting whose value differs between the level in force and another level."""

    key: str
    label: str
    capability: str  # the verbose name of the app the key's prefix names
    old: Any
    new: Any
    old_text: str
    new_text: str


def capability_of(key: str) -> str:
    """The verbose name of the app a setting belongs to ("health.x" -> health's name)."""
    from django.apps import apps

    label = key.split(".", 1)[0]
    try:
        return str(apps.get_app_config(label).verbose_name)
    except LookupError:
        return label


def changes(organization, new_level: str) -> list[Change]:
    """Every registered setting whose value at `new_level` differs from its value now, by
    capability then setting: what switching to `new_level` would change. Reads only."""
    if new_level not in ResponseLevel.values:
        raise ValueError(new_level)
    overrides = _overrides(organization)
    current = organization.response_level
    found = []
    for key, setting in REGISTRY.items():
        old = overrides.get((key, current), setting.declared(current))
        new = overrides.get((key, new_level), setting.declared(new_level))
        if old != new:
            found.append(
                Change(
                    key,
                    str(setting.label),
                    capability_of(key),
                    old,
                    new,
                    setting.display(old),
                    setting.display(new),
                )
            )
    return sorted(found, key=lambda c: (c.capability, c.label))


# The core's own settings. Later capabilities register theirs in their own AppConfig.
register(
    "core.banner",
    _("Banner shown on every page"),
    kind=str,
    max_length=200,
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
    # At least a month, so that a slip cannot blank every leaver's phone and ID number at
    # the next nightly purge; at most ten years.
    minimum=30,
    maximum=3650,
    default=180,
    per_level={ResponseLevel.LEVEL_1: 365, ResponseLevel.LEVEL_2: 365},
    help_text=_("Longer during an emergency so that contact tracing can reach back."),
)
