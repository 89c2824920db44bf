"""Evaluate a reported value against the limits in force: pure Python, Decimal arithmetic.

Rules (the ADR in short):
- Boundaries are inclusive: a value equal to a maximum or a minimum passes.
- Below detection "<d" (the true value is under d): passes a maximum when d ≤ max, fails a
  minimum when d ≤ min, passes "not detected"; otherwise the outcome is inconclusive.
- Not detected passes "not detected" and a maximum, fails a minimum (no free chlorine left
  at the network end is a failure). Detected without a number, or any positive number, fails
  "not detected" (0 passes); against a maximum or minimum it is inconclusive.
- Above range ">x" fails a maximum when x ≥ max, passes a minimum when x ≥ min, else
  inconclusive.
- Raw water is classified by GB 3838-2002 (outcome "classified", source_class 1..6). A
  reported value that is not exact takes the WORST class its true value could have: "<d"
  the class of d (of 6 for dissolved oxygen, which might be near zero), ">x" worse than Ⅴ
  (of x for dissolved oxygen), not detected the class of 0. Detected without a number is
  inconclusive. GB 3838's supplementary maximums (表2) pass or fail.
- No limit for the indicator at this kind of point: outcome "none".
- A guidance value (指导值, GB 5749-2022's gross α and β radioactivity) is not a limit: a
  result above it is "guidance" (a nuclide analysis is needed), never "fail".
- Trihalomethanes: when a sample has any of the four members and no entered total,
  `derived()` computes the total as Σ concentration / member limit; members below detection
  or not detected count 0 (the standard sums measured concentrations, and a value under the
  detection limit is not a measured concentration), a member above range makes the total a
  lower bound (">"), a member detected without a number makes it unknown. An entered "thm"
  is the ratio itself. The sum is rounded to 8 decimals, the precision results are stored in.
- Internal limits (内控指标) in force on the date for the kind (a kind-specific one before
  one for every kind, then the latest) give `internal_outcome`, "" when there is none.
- Approved relaxations in force for the kind replace the national minimum/maximum — only
  for the sensory and general chemical indicators of GB 5749 (category "general"; the
  standard allows nothing else to be relaxed); a relaxation of any other indicator is
  ignored. When several apply, a kind-specific one wins, then the latest.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from functools import lru_cache

from django.utils.translation import gettext as _

from headwater.quality import catalog
from headwater.quality.choices import Category, Outcome, Qualifier, RelaxationStatus

PASS = Outcome.PASS.value
FAIL = Outcome.FAIL.value
INCONCLUSIVE = Outcome.INCONCLUSIVE.value
GUIDANCE = Outcome.GUIDANCE.value
CLASSIFIED = Outcome.CLASSIFIED.value
NO_LIMIT = Outcome.NO_LIMIT.value

EXACT = Qualifier.EXACT.value
BELOW = Qualifier.BELOW.value
NOT_DETECTED = Qualifier.NOT_DETECTED.value
DETECTED = Qualifier.DETECTED.value
ABOVE = Qualifier.ABOVE.value

THM = "thm"
RELAXED_MARK = "（临时放宽）"
LIMIT_TEXT_LENGTH = 80
RAW_LENGTH = 40
DECIMALS = Decimal("0.00000001")  # Result.value has 8 decimal places
MAX_ADJUSTED = 11  # … and 20 digits: at most 12 before the point
ZERO = Decimal(0)
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")

_NOT_DETECTED_WORDS = frozenset({"未检出", "nd", "n.d.", "无", "not detected"})
_DETECTED_WORDS = frozenset({"检出", "有", "detected", "positive", "阳性"})
_PRESENCE_ZERO_WORDS = frozenset({"-", "—", "0", "阴性", "negative"})


@dataclass(frozen=True, slots=True)
class Measured:
    """A reported value: qualifier (quality.choices.Qualifier), the number it carries (the
    detection limit for "<", the range's top for ">", None for "nd" / "det"), and the raw text."""

    qualifier: str
    value: Decimal | None
    raw: str


@dataclass
class Context:
    """Where and when a sample was taken, with the organization's internal limits and
    relaxations (objects with indicator, point_kind, minimum, maximum, valid_from,
    valid_until; relaxations also pk and status). Index lookups are rebuilt when `on` or
    `kind` change."""

    kind: str
    supply_type: str
    on: dt.date
    internal: Sequence = ()
    relaxations: Sequence = ()
    _indexed_for: tuple | None = field(default=None, init=False, repr=False, compare=False)
    _internal: dict = field(default_factory=dict, init=False, repr=False, compare=False)
    _relaxed: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    def lookups(self) -> tuple[dict, dict]:
        """indicator code → the internal limit and the relaxation that apply, if any."""
        if self._indexed_for != (self.on, self.kind):
            self._internal = _pick(row for row in self.internal if self._applies(row))
            self._relaxed = _pick(
                row
                for row in self.relaxations
                if row.status == RelaxationStatus.APPROVED
                and row.valid_until is not None
                and self._applies(row)
                and _relaxable_category(row.indicator)
            )
            self._indexed_for = (self.on, self.kind)
        return self._internal, self._relaxed

    def _applies(self, row) -> bool:
        in_force = row.valid_from <= self.on and (
            row.valid_until is None or self.on <= row.valid_until
        )
        return in_force and (not row.point_kind or row.point_kind == self.kind)


def _relaxable_category(code: str) -> bool:
    item = catalog.indicators().get(code)
    return item is not None and item.category == Category.GENERAL.value


def _pick(rows) -> dict:
    """Per indicator, the kind-specific row before the every-kind one, then the latest."""
    best: dict = {}
    for row in rows:
        rank = (bool(row.point_kind), row.valid_from, getattr(row, "pk", None) or 0)
        if row.indicator not in best or rank > best[row.indicator][0]:
            best[row.indicator] = (rank, row)
    return {code: row for code, (_rank, row) in best.items()}


@dataclass(frozen=True, slots=True)
class Evaluation:
    """The verdict frozen on a result: outcome (quality.choices.Outcome), the limit as read
    (≤ 80 characters), the standard, the GB 3838 class for raw water (6 = worse than Ⅴ), the
    internal-limit outcome ("" when none) and the relaxation that replaced the limit."""

    outcome: str
    limit_text: str
    standard: str
    source_class: int | None = None
    internal_outcome: str = ""
    relaxation_id: int | None = None


# --- parsing -------------------------------------------------------------------------------


def parse_value(raw: str, indicator: catalog.Indicator) -> Measured:
    """Read what a technician typed: "0.35", "<0.01" / "＜0.01", "未检出" / "ND", "检出" / "有",
    ">2000"; for a presence indicator also "-" and "0" (not detected) and counts, and the
    standard's own words ("无异臭、异味", "无肉眼可见物": the catalog's `absent` / `present`).
    Full-width characters read as their ASCII forms; `raw` keeps what was typed, except that
    any spelling of the standard's "not there" is stored as its canonical wording. Raises
    ValueError with a translated message."""
    reported = (raw or "").strip()
    text = unicodedata.normalize("NFKC", reported)
    if not text:
        raise ValueError(_("Enter a value."))
    if len(reported) > RAW_LENGTH:
        raise ValueError(_("“%(raw)s” is too long.") % {"raw": reported[:RAW_LENGTH] + "…"})
    word = text.casefold()
    absent, present = _wordings(indicator)
    if (key := _wording_key(text)) in absent:
        return Measured(NOT_DETECTED, None, indicator.absent[0])
    if key in present:
        return Measured(DETECTED, None, reported)
    if word in _NOT_DETECTED_WORDS or (indicator.presence and word in _PRESENCE_ZERO_WORDS):
        return Measured(NOT_DETECTED, None, reported)
    if word in _DETECTED_WORDS:
        return Measured(DETECTED, None, reported)
    qualifier = EXACT
    number = text
    if text[0] in "<>":
        qualifier, number = text[0], text[1:].strip()
    value = _number(number, reported, indicator)
    if indicator.presence and qualifier == EXACT and value == 0:
        return Measured(NOT_DETECTED, None, reported)
    if qualifier == BELOW and value <= 0:
        raise ValueError(_("A detection limit must be above zero: “%(raw)s”.") % {"raw": reported})
    return Measured(qualifier, value, reported)


_WORDING_SEPARATORS = re.compile(r"[\s、,;；/]+")


def _wording_key(text: str) -> str:
    """The standard's words compare without spaces or separators: "无异臭、异味", "无异臭异味"
    and "无异臭，异味" are one wording."""
    return _WORDING_SEPARATORS.sub("", unicodedata.normalize("NFKC", text).casefold())


def _wordings(indicator: catalog.Indicator) -> tuple[frozenset[str], frozenset[str]]:
    """The keys of an indicator's words for "not there" and "there" (catalog `absent`,
    `present`)."""
    if not indicator.absent and not indicator.present:
        return _NO_WORDINGS
    return _wordings_of(indicator.code)


_NO_WORDINGS: tuple[frozenset[str], frozenset[str]] = (frozenset(), frozenset())


@lru_cache(maxsize=256)
def _wordings_of(code: str) -> tuple[frozenset[str], frozenset[str]]:
    indicator = catalog.indicator(code)
    return (
        frozenset(_wording_key(w) for w in indicator.absent),
        frozenset(_wording_key(w) for w in indicator.present),
    )


def _number(number: str, text: str, indicator: catalog.Indicator) -> Decimal:
    if not _NUMBER.fullmatch(number):
        raise ValueError(_("“%(raw)s” is not a number.") % {"raw": text})
    try:
        value = Decimal(number)
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite():
        raise ValueError(_("“%(raw)s” is not a number.") % {"raw": text})
    if value < 0 and indicator.unit != "℃":
        raise ValueError(
            _("%(indicator)s cannot be negative: “%(raw)s”.")
            % {"indicator": indicator.name_zh, "raw": text}
        )
    if value and value.adjusted() > MAX_ADJUSTED:
        raise ValueError(_("“%(raw)s” is too large.") % {"raw": text})
    if value.as_tuple().exponent < DECIMALS.as_tuple().exponent:
        raise ValueError(_("“%(raw)s” has more than 8 decimal places.") % {"raw": text})
    if indicator.code == "ph" and value > 14:
        raise ValueError(_("pH is between 0 and 14, not “%(raw)s”.") % {"raw": text})
    return value


# --- the national rule of one indicator at one kind of point -------------------------------


@dataclass(frozen=True, slots=True)
class _Rule:
    limits: tuple[catalog.Limit, ...]
    text: str
    standard: str
    classes: catalog.Limit | None
    relaxable: bool
    unit: str
    guidance: bool


@lru_cache(maxsize=4096)
def _rule(code: str, kind: str, supply_type: str, editions: tuple[str, ...]) -> _Rule | None:
    limits = catalog.limits_in(code, kind, supply_type, editions)
    if not limits:
        return None
    classes = next((limit for limit in limits if limit.shape == "classes"), None)
    return _Rule(
        limits=tuple(limit for limit in limits if limit.shape != "classes"),
        text="；".join(limit.text() for limit in limits)[:LIMIT_TEXT_LENGTH],
        standard=limits[0].standard,
        classes=classes,
        relaxable=(
            _relaxable_category(code)
            and all(limit.family == "GB 5749" for limit in limits)
            and any(limit.shape in ("max", "min", "range") for limit in limits)
        ),
        unit=catalog.indicator(code).unit,
        guidance=all(limit.guidance for limit in limits),
    )


def _against_bounds(measured: Measured, minimum: Decimal | None, maximum: Decimal | None) -> str:
    """Pass / fail / inconclusive against an inclusive minimum and/or maximum."""
    qualifier, value = measured.qualifier, measured.value
    low = high = PASS
    if qualifier == EXACT:
        if maximum is not None and value > maximum:
            high = FAIL
        if minimum is not None and value < minimum:
            low = FAIL
    elif qualifier == BELOW:
        if maximum is not None and value > maximum:
            high = INCONCLUSIVE
        if minimum is not None:
            low = FAIL if value <= minimum else INCONCLUSIVE
    elif qualifier == NOT_DETECTED:
        if minimum is not None:
            low = FAIL
    elif qualifier == ABOVE:
        if maximum is not None:
            high = FAIL if value >= maximum else INCONCLUSIVE
        if minimum is not None and value < minimum:
            low = INCONCLUSIVE
    else:  # detected, no number
        return INCONCLUSIVE
    if FAIL in (low, high):
        return FAIL
    if INCONCLUSIVE in (low, high):
        return INCONCLUSIVE
    return PASS


def _not_detected(measured: Measured) -> str:
    qualifier = measured.qualifier
    if qualifier in (NOT_DETECTED, BELOW):
        return PASS
    if qualifier == EXACT and measured.value == 0:
        return PASS
    return FAIL


def _check(limit: catalog.Limit, measured: Measured) -> str:
    if limit.shape == "not_detected":
        return _not_detected(measured)
    return _against_bounds(measured, limit.minimum, limit.maximum)


def _worst(outcomes) -> str:
    outcomes = set(outcomes)
    if FAIL in outcomes:
        return FAIL
    if INCONCLUSIVE in outcomes:
        return INCONCLUSIVE
    return PASS


def _classify(limit: catalog.Limit, measured: Measured) -> int | None:
    """The worst class the true value could have (see the module docstring)."""
    qualifier, value = measured.qualifier, measured.value
    if qualifier == EXACT:
        return limit.class_of(value)
    if qualifier == DETECTED:
        return None
    if not limit.bounds:  # pH: anything but a number could lie outside 6–9
        return catalog.WORSE_THAN_V
    if qualifier == NOT_DETECTED:
        return limit.class_of(ZERO)
    if qualifier == BELOW:
        return catalog.WORSE_THAN_V if limit.higher_is_better else limit.class_of(value)
    return limit.class_of(value) if limit.higher_is_better else catalog.WORSE_THAN_V


# --- evaluation ----------------------------------------------------------------------------


def evaluate(code: str, measured: Measured, ctx: Context) -> Evaluation:
    """Evaluate one result against the national limit in force (or its approved relaxation)
    and the internal limit."""
    internal_limits, relaxations = ctx.lookups()
    internal = internal_limits.get(code)
    internal_outcome = (
        _against_bounds(measured, internal.minimum, internal.maximum) if internal else ""
    )
    rule = _rule(code, ctx.kind, ctx.supply_type, catalog.editions_on(ctx.on))
    if rule is None:
        return Evaluation(NO_LIMIT, "", "", None, internal_outcome, None)
    if rule.classes is not None:
        source_class = _classify(rule.classes, measured)
        if source_class is None:
            return Evaluation(INCONCLUSIVE, rule.text, rule.standard, None, internal_outcome)
        text = rule.classes.class_text(source_class)
        return Evaluation(CLASSIFIED, text, rule.standard, source_class, internal_outcome)
    relaxation = relaxations.get(code) if rule.relaxable else None
    if relaxation is not None:
        return _relaxed(rule, relaxation, measured, internal_outcome)
    if len(rule.limits) == 1:
        outcome = _check(rule.limits[0], measured)
    else:
        outcome = _worst(_check(limit, measured) for limit in rule.limits)
    if outcome == FAIL and rule.guidance:
        outcome = GUIDANCE
    return Evaluation(outcome, rule.text, rule.standard, None, internal_outcome, None)


def _relaxed(rule: _Rule, relaxation, measured: Measured, internal_outcome: str) -> Evaluation:
    limit = next(limit for limit in rule.limits if limit.shape in ("max", "min", "range"))
    minimum = relaxation.minimum if relaxation.minimum is not None else limit.minimum
    maximum = relaxation.maximum if relaxation.maximum is not None else limit.maximum
    text = catalog.bounds_text(minimum, maximum, rule.unit)
    room = LIMIT_TEXT_LENGTH - len(RELAXED_MARK)
    return Evaluation(
        _against_bounds(measured, minimum, maximum),
        text[:room] + RELAXED_MARK,
        rule.standard,
        None,
        internal_outcome,
        relaxation.pk,
    )


def derived(measured: dict[str, Measured], ctx: Context) -> dict[str, Measured]:
    """Results computed from others: the trihalomethane ratio sum, when any member was
    tested, no total was entered and the members have limits at this kind of point."""
    if THM in measured:
        return {}
    editions = catalog.editions_on(ctx.on)
    total_rule = _rule(THM, ctx.kind, ctx.supply_type, editions)
    if total_rule is None:
        return {}
    members = next(limit.members for limit in total_rule.limits if limit.shape == "ratio_sum")
    present = [code for code in members if code in measured]
    if not present:
        return {}
    total, qualifier = ZERO, EXACT
    for code in present:
        member = measured[code]
        if member.qualifier in (BELOW, NOT_DETECTED):
            continue
        if member.qualifier == DETECTED:
            return {THM: Measured(DETECTED, None, "检出")}
        if member.qualifier == ABOVE:
            qualifier = ABOVE
        member_rule = _rule(code, ctx.kind, ctx.supply_type, editions)
        total += member.value / member_rule.limits[0].maximum
    total = total.quantize(DECIMALS, rounding=ROUND_HALF_EVEN)
    shown = catalog.plain(total.normalize() if total else ZERO)
    return {THM: Measured(qualifier, total, f"{qualifier}{shown}")}


def evaluate_sample(measured: dict[str, Measured], ctx: Context) -> dict[str, Evaluation]:
    """Evaluate every result of a sample, and the derived trihalomethane total."""
    every = {**measured, **derived(measured, ctx)}
    return {code: evaluate(code, value, ctx) for code, value in every.items()}
