"""The indicator catalog and the national limits, read from the TOML files in quality/data.

The limits are data, not code, so that a reviewer can check each figure against the
standard's table next to the clause it cites, and so that a new edition of a standard is a
new file rather than a change to the evaluator. Each file is one edition of one standard
(`family` "GB 5749", `standard` "GB 5749-2022", `effective_from`); `limits_for` picks, per
family, the edition in force on the sampling date. Only GB 5749-2022 and GB 3838-2002 ship:
for a date before an edition's `effective_from` with no earlier edition shipped, the earliest
shipped edition applies — evaluating an old sample by the nearest rules we have beats not
evaluating it, and GB 5749-2006 is not modelled.

Point kinds divide the standards: GB 3838-2002 applies to raw water, GB 5749-2022 to every
other kind. One indicator code names one substance in both ("ammonia" is 氨 in GB 5749 and
氨氮 in GB 3838).

Everything here is loaded once and cached: `evaluate()` runs a million times in a bulk import.
"""

from __future__ import annotations

import datetime as dt
import tomllib
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from functools import cache, lru_cache
from pathlib import Path

DATA = Path(__file__).with_name("data")
INDICATOR_FILE = "indicators.toml"
ROMAN = ("", "Ⅰ", "Ⅱ", "Ⅲ", "Ⅳ", "Ⅴ")
WORSE_THAN_V = 6

SHAPES = ("max", "min", "range", "not_detected", "ratio_sum", "classes")


@dataclass(frozen=True, slots=True)
class Indicator:
    """Something a lab tests; `presence` indicators are reported as detected / not detected."""

    code: str
    name_zh: str
    name_en: str
    unit: str
    category: str
    method: str
    presence: bool
    routine: bool = False
    aliases: tuple[str, ...] = ()
    units: tuple[str, ...] = ()  # other units the standard allows, the same figure
    absent: tuple[str, ...] = ()  # the standard's words for "not there"; the first is stored
    present: tuple[str, ...] = ()  # … and for "there"

    def __str__(self) -> str:
        return self.name_zh

    @property
    def accepted_units(self) -> tuple[str, ...]:
        """The catalog's unit (shown, the canonical one), then its equivalents."""
        return (self.unit, *self.units)


@dataclass(frozen=True, slots=True)
class Limit:
    """One row of a standard's table for one indicator, for some point kinds and supply types.

    `bounds` (shape "classes") are the upper bounds of classes Ⅰ..Ⅴ, or the lower bounds when
    `higher_is_better` (dissolved oxygen); a classes limit with no bounds but a minimum and a
    maximum (pH in GB 3838) is the same for every class. `label` replaces the generated text
    where the standard words it ("无异臭、异味")."""

    standard: str
    indicator: str
    shape: str
    minimum: Decimal | None
    maximum: Decimal | None
    kinds: frozenset[str]
    supply_types: frozenset[str]
    members: tuple[str, ...]
    bounds: tuple[Decimal, ...]
    higher_is_better: bool
    clause: str
    effective_from: dt.date
    family: str = ""
    label: str = ""
    guidance: bool = False  # a guidance value (指导值): exceeding it calls for a nuclide analysis

    def text(self) -> str:
        """How the limit reads in a report: "≤1 NTU", "6.5–8.5", "不应检出", "Ⅲ类 ≤1.0 mg/L"."""
        if self.label:
            return self.label
        if self.shape == "classes":
            # Class Ⅲ: the class GB 3838 sets for a drinking-water source's protection zone.
            return self.class_text(3)
        return bounds_text(self.minimum, self.maximum, indicator(self.indicator).unit)

    def class_text(self, source_class: int) -> str:
        """The bound of one class: "Ⅱ类 ≤0.5 mg/L", "劣Ⅴ类 >2.0 mg/L", "Ⅲ类 ≥5 mg/L"."""
        unit = _with_unit("", indicator(self.indicator).unit)
        if not self.bounds:
            span = f"{plain(self.minimum)}–{plain(self.maximum)}"
            if source_class == WORSE_THAN_V:
                return f"劣Ⅴ类 超出{span}{unit}"
            return f"Ⅰ～Ⅴ类 {span}{unit}"
        better, worse = ("≥", "<") if self.higher_is_better else ("≤", ">")
        if source_class == WORSE_THAN_V:
            return f"劣Ⅴ类 {worse}{plain(self.bounds[-1])}{unit}"
        return f"{ROMAN[source_class]}类 {better}{plain(self.bounds[source_class - 1])}{unit}"

    def class_of(self, value: Decimal) -> int:
        """The class of a value, 1..5 or 6 (worse than Ⅴ); a value on a bound belongs to the
        better class."""
        if not self.bounds:
            return 1 if self.minimum <= value <= self.maximum else WORSE_THAN_V
        if self.higher_is_better:
            for number, bound in enumerate(self.bounds, 1):
                if value >= bound:
                    return number
        else:
            for number, bound in enumerate(self.bounds, 1):
                if value <= bound:
                    return number
        return WORSE_THAN_V


def plain(value: Decimal | None) -> str:
    """A Decimal as the standard writes it: "0.00005", "1.0", never "5E-5"."""
    return "" if value is None else format(value, "f")


def _with_unit(text: str, unit: str) -> str:
    return f"{text} {unit}" if unit else text


def bounds_text(minimum: Decimal | None, maximum: Decimal | None, unit: str) -> str:
    """ "≤1 NTU", "≥0.05 mg/L", "0.05–2 mg/L" — shared with internal limits and relaxations."""
    if minimum is not None and maximum is not None:
        return _with_unit(f"{plain(minimum)}–{plain(maximum)}", unit)
    if maximum is not None:
        return _with_unit(f"≤{plain(maximum)}", unit)
    if minimum is not None:
        return _with_unit(f"≥{plain(minimum)}", unit)
    return ""


# --- loading -------------------------------------------------------------------------------


def _load(name: str) -> dict:
    with open(DATA / name, "rb") as file:
        return tomllib.load(file)


def _decimal(text: str | None) -> Decimal | None:
    if text is None:
        return None
    if not isinstance(text, str):
        # A TOML float would already have lost its exact value.
        raise TypeError(f"limits are written as strings, not {text!r}")
    return Decimal(text)


@cache
def indicators() -> dict[str, Indicator]:
    """Every indicator, in catalog order (GB 5749's routine tables, then GB 3838's extras)."""
    rows = _load(INDICATOR_FILE)["indicator"]
    return {
        row["code"]: Indicator(
            code=row["code"],
            name_zh=row["name_zh"],
            name_en=row["name_en"],
            unit=row["unit"],
            category=row["category"],
            method=row["method"],
            presence=row["presence"],
            routine=row.get("routine", False),
            aliases=tuple(row.get("aliases", ())),
            units=tuple(row.get("units", ())),
            absent=tuple(row.get("absent", ())),
            present=tuple(row.get("present", ())),
        )
        for row in rows
    }


def indicator(code: str) -> Indicator:
    """The indicator of a code; KeyError if unknown."""
    return indicators()[code]


def _key(text: str) -> str:
    """Names compare without case, width (（） vs ()) or spaces."""
    return "".join(unicodedata.normalize("NFKC", text).casefold().split())


@cache
def _names() -> dict[str, Indicator]:
    names: dict[str, Indicator] = {}
    for item in indicators().values():
        for name in (item.code, item.name_zh, item.name_en, *item.aliases):
            names.setdefault(_key(name), item)
    return names


def find(text: str) -> Indicator | None:
    """The indicator a spreadsheet header or a user means: code, Chinese or English name, or
    an alias (耗氧量, 氨氮, 余氯 …), in any case or width."""
    return _names().get(_key(text or ""))


def routine_codes() -> list[str]:
    """The 43 routine indicators of GB 5749-2022 (表1 and 表2), in table order."""
    return [code for code, item in indicators().items() if item.routine]


@cache
def _standards() -> tuple[dict, ...]:
    paths = sorted(DATA.glob("*.toml"))
    return tuple(_load(path.name) for path in paths if path.name != INDICATOR_FILE)


@cache
def all_limits() -> tuple[Limit, ...]:
    """Every limit of every shipped edition."""
    known = indicators()
    limits = []
    for data in _standards():
        for row in data["limit"]:
            if row["indicator"] not in known or row["shape"] not in SHAPES:
                raise ValueError(f"{data['standard']}: bad limit {row}")
            limits.append(
                Limit(
                    standard=data["standard"],
                    family=data["family"],
                    effective_from=data["effective_from"],
                    indicator=row["indicator"],
                    shape=row["shape"],
                    minimum=_decimal(row.get("minimum")),
                    maximum=_decimal(row.get("maximum")),
                    kinds=frozenset(row.get("kinds", data["kinds"])),
                    supply_types=frozenset(row.get("supply_types", data["supply_types"])),
                    members=tuple(row.get("members", ())),
                    bounds=tuple(Decimal(bound) for bound in row.get("bounds", ())),
                    higher_is_better=row.get("higher_is_better", False),
                    clause=row["clause"],
                    label=row.get("label", ""),
                    guidance=row.get("guidance", False),
                )
            )
    return tuple(limits)


@cache
def _editions() -> dict[str, tuple[tuple[dt.date, str], ...]]:
    """family → its shipped editions, oldest first."""
    editions: dict[str, set[tuple[dt.date, str]]] = {}
    for data in _standards():
        editions.setdefault(data["family"], set()).add((data["effective_from"], data["standard"]))
    return {family: tuple(sorted(found)) for family, found in editions.items()}


@lru_cache(maxsize=8192)
def editions_on(on: dt.date) -> tuple[str, ...]:
    """The edition of each standard in force on a date (the earliest shipped one before it)."""
    chosen = []
    for found in _editions().values():
        in_force = [standard for since, standard in found if since <= on]
        chosen.append(in_force[-1] if in_force else found[0][1])
    return tuple(sorted(chosen))


@lru_cache(maxsize=4096)
def limits_in(
    code: str, kind: str, supply_type: str, editions: tuple[str, ...]
) -> tuple[Limit, ...]:
    """The limits of an indicator for a kind of point and supply under some editions — the
    cached core of `limits_for`, keyed so that a bulk import hits the cache every time."""
    return tuple(
        limit
        for limit in all_limits()
        if limit.indicator == code
        and limit.standard in editions
        and kind in limit.kinds
        and supply_type in limit.supply_types
    )


def limits_for(code: str, *, kind: str, supply_type: str, on: dt.date) -> list[Limit]:
    """The national limits a result of `code` at a point of `kind` is held to on a date."""
    return list(limits_in(code, kind, supply_type, editions_on(on)))


def codes_in(table: str) -> list[str]:
    """The indicators one table lists, in item order: `codes_in("GB 3838-2002 表1")` gives
    its 24 basic items, water temperature (listed without a limit) included."""
    prefix = table.rstrip() + " "
    rows = [(limit.clause, limit.indicator) for limit in all_limits()]
    for data in _standards():
        rows += [(row["clause"], row["indicator"]) for row in data.get("unlimited", ())]
    found: dict[str, int] = {}
    for clause, code in rows:
        if clause.startswith(prefix):
            number = int(clause[len(prefix) :].split("项")[0].removeprefix("第"))
            found.setdefault(code, number)
    return sorted(found, key=found.__getitem__)
