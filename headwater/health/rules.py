"""The health-code rule evaluator: rules are data (health.models.Rule), facts are computed
from a person's recent check-ins, statuses and the risk areas, and from what other
capabilities provide (core.codes facts providers); the first matching rule gives the colour.
A non-green code is sticky: it turns green (or milder) only when its own rule's recovery is
met — 7 consecutive normal days, 14 days from the last exposure, or release plus
14 normal days (the Hangzhou practice of 2020).

Pure functions over plain data, so every boundary is a table test (tests/test_rules.py).
"""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from headwater.core import codes
from headwater.health.choices import CodeColour, EpiStatus, Recovery

ISOLATING = {
    EpiStatus.CONFIRMED,
    EpiStatus.SUSPECTED,
    EpiStatus.CENTRALIZED,
    EpiStatus.HOME_ISOLATION,
    EpiStatus.OBSERVATION,
    EpiStatus.CLOSE_CONTACT,
}


@dataclass
class Facts:
    """What the rules may look at, for one person on one day."""

    today: dt.date
    temperature: float | None = None
    fever: bool = False
    respiratory_symptom: bool = False
    other_symptom: bool = False
    household_unwell: bool = False
    statuses: set[str] = field(default_factory=set)
    released_on: dt.date | None = None
    days_without_checkin: int = 0
    days_since_confirmed_contact: int | None = None
    days_since_high_risk_area: int | None = None
    days_since_medium_risk_area: int | None = None
    last_exposure_on: dt.date | None = None
    # Each day of the last weeks with check-ins: True when all that day's check-ins were normal.
    normal_days: dict[dt.date, bool] = field(default_factory=dict)
    # The facts other capabilities provide (core.codes), by name; a missing one is "no fact".
    extra: dict[str, Any] = field(default_factory=dict)


# The facts a condition may name: name -> (label, kind). kind: bool, int or status.
FACTS: dict[str, tuple[Any, str]] = {
    "fever": (gettext_lazy("Fever at the latest check-in"), "bool"),
    "respiratory_symptom": (gettext_lazy("Cough or sore throat at the latest check-in"), "bool"),
    "other_symptom": (gettext_lazy("Any other symptom at the latest check-in"), "bool"),
    "household_unwell": (gettext_lazy("Someone at home unwell or isolated"), "bool"),
    "status": (gettext_lazy("Epidemiological status"), "status"),
    "days_without_checkin": (gettext_lazy("Days without a check-in"), "int"),
    "days_since_confirmed_contact": (
        gettext_lazy("Days since contact with a confirmed or suspected case"),
        "int",
    ),
    "days_since_high_risk_area": (gettext_lazy("Days since leaving a high-risk area"), "int"),
    "days_since_medium_risk_area": (gettext_lazy("Days since leaving a medium-risk area"), "int"),
}
OPS = {"bool": {"is"}, "int": {"gte", "lte"}, "status": {"in"}, "str": {"eq"}}


def all_facts() -> dict[str, tuple[Any, str]]:
    """Every fact a condition may name: health's own, then those other capabilities declare
    (core.codes). A declared fact cannot take the name of one of health's."""
    declared = {f.name: (f.label, f.kind) for f in codes.declared_facts() if f.name not in FACTS}
    return {**FACTS, **declared}


class RuleLike(Protocol):
    pk: Any
    name: str
    colour: str
    conditions: list[dict]
    recovery: str
    recovery_days: int


def holds(condition: dict, facts: Facts) -> bool:
    name, op, value = condition["fact"], condition["op"], condition.get("value")
    if name == "status":
        return bool(facts.statuses & set(value or []))
    actual = getattr(facts, name) if name in FACTS else facts.extra.get(name)
    if op == "is":
        return actual == bool(value)
    if actual is None:
        return False
    if op == "eq":
        return actual == value
    return actual >= value if op == "gte" else actual <= value


def matches(rule: RuleLike, facts: Facts) -> bool:
    return bool(rule.conditions) and all(holds(c, facts) for c in rule.conditions)


def validate_conditions(conditions: Any) -> list[str]:
    """Every problem with a rule's conditions, in words for the rule editor. Anything may
    arrive here (an API body): a fact or an operator that is not a string is unknown, a
    status list that is not a list of strings is an unknown status."""
    if not isinstance(conditions, list) or not conditions:
        return [_("A rule needs at least one condition.")]
    known = all_facts()
    errors = []
    for c in conditions:
        fact = c.get("fact") if isinstance(c, dict) else None
        if not isinstance(fact, str) or fact not in known:
            errors.append(_("Unknown fact: %(fact)s") % {"fact": fact})
            continue
        kind, op, value = known[fact][1], c.get("op"), c.get("value")
        if not isinstance(op, str) or op not in OPS[kind]:
            errors.append(_("%(fact)s cannot be compared with %(op)s") % {"fact": fact, "op": op})
        elif kind == "int" and (isinstance(value, bool) or not isinstance(value, int)):
            errors.append(_("%(fact)s needs a whole number of days") % {"fact": fact})
        elif kind == "status" and not _statuses(value):
            errors.append(_("Unknown status in %(fact)s") % {"fact": fact})
        elif kind == "str" and not (isinstance(value, str) and value.strip()):
            errors.append(_("%(fact)s needs a value") % {"fact": fact})
    return errors


def _statuses(value: Any) -> bool:
    """A list of known epidemiological statuses (empty matches no one, as before)."""
    if value is None:
        return True
    return isinstance(value, list) and all(
        isinstance(v, str) and v in EpiStatus.values for v in value
    )


def normal_streak_start(facts: Facts, after: dt.date | None = None) -> dt.date:
    """First day of the run of normal days ending today (or yesterday, while today has no
    check-in yet), counting only days after `after`. Today abnormal: a run starts tomorrow;
    no run at all: it starts today."""
    one = dt.timedelta(days=1)
    if facts.normal_days.get(facts.today) is False:
        return facts.today + one
    day = facts.today if facts.today in facts.normal_days else facts.today - one
    start = facts.today
    while facts.normal_days.get(day) is True and (after is None or day > after):
        start = day
        day -= one
    return start


def green_on(rule: RuleLike, facts: Facts) -> dt.date | None:
    """The day the code from `rule` can turn green if check-ins stay normal; None while it
    cannot be known (still isolated)."""
    n = dt.timedelta(days=rule.recovery_days)
    if rule.recovery == Recovery.SINCE_EXPOSURE:
        return (facts.last_exposure_on or facts.today) + n
    if rule.recovery == Recovery.RELEASE_AND_NORMAL_DAYS:
        if facts.statuses & ISOLATING:
            return None
        return normal_streak_start(facts, after=facts.released_on) + n
    if rule.recovery == Recovery.NORMAL_DAYS:
        return normal_streak_start(facts) + n
    return None


@dataclass
class Verdict:
    colour: str
    rule: RuleLike | None
    reason: str
    green_on: dt.date | None


def describe(rule: RuleLike | None) -> str:
    if rule is None:
        return _("No risk found in recent check-ins.")
    if rule.recovery == Recovery.NORMAL_DAYS and rule.recovery_days == 0:
        how = _("turns green at the next normal check-in")
    elif rule.recovery == Recovery.NORMAL_DAYS:
        how = _("turns green after %(n)s consecutive days of normal check-ins") % {
            "n": rule.recovery_days
        }
    elif rule.recovery == Recovery.SINCE_EXPOSURE:
        how = _("turns green %(n)s days after the last exposure") % {"n": rule.recovery_days}
    elif rule.recovery == Recovery.RELEASE_AND_NORMAL_DAYS:
        how = _("turns green after release and %(n)s consecutive days of normal check-ins") % {
            "n": rule.recovery_days
        }
    else:
        how = ""
    return f"{rule.name}；{how}" if how else rule.name


def evaluate(
    rules: list[RuleLike], facts: Facts, current: tuple[str, RuleLike | None] | None
) -> Verdict:
    """The code for `facts`. `current` is the code in force (colour, rule): a milder result
    replaces it only once the current rule's recovery date has come."""
    rule = next((r for r in rules if matches(r, facts)), None)
    colour = rule.colour if rule else CodeColour.GREEN
    if current and current[1] is not None:
        held_colour, held_rule = current
        if CodeColour(colour).severity < CodeColour(held_colour).severity:
            until = green_on(held_rule, facts)
            if until is None or facts.today < until:
                return Verdict(held_colour, held_rule, describe(held_rule), until)
    until = green_on(rule, facts) if rule else None
    return Verdict(colour, rule, describe(rule), until)


@dataclass
class RuleSpec:
    """A rule as plain data: the defaults below, and rules in tests."""

    name: str
    colour: str
    conditions: list[dict]
    recovery: str = ""
    recovery_days: int = 0
    pk: Any = None


def is_(fact: str) -> dict:
    return {"fact": fact, "op": "is", "value": True}


def status_in(*kinds: str) -> dict:
    return {"fact": "status", "op": "in", "value": list(kinds)}


# Defaults modelled on 2020 practice (Hangzhou health code). The office edits them in the UI.
DEFAULT_RULES = [
    RuleSpec(
        "确诊或疑似病例",
        CodeColour.RED,
        [status_in(EpiStatus.CONFIRMED, EpiStatus.SUSPECTED)],
        Recovery.RELEASE_AND_NORMAL_DAYS,
        14,
    ),
    RuleSpec(
        "集中隔离",
        CodeColour.RED,
        [status_in(EpiStatus.CENTRALIZED)],
        Recovery.RELEASE_AND_NORMAL_DAYS,
        14,
    ),
    RuleSpec(
        "发热伴呼吸道症状",
        CodeColour.RED,
        [is_("fever"), is_("respiratory_symptom")],
        Recovery.RELEASE_AND_NORMAL_DAYS,
        14,
    ),
    RuleSpec(
        "密切接触者",
        CodeColour.YELLOW,
        [status_in(EpiStatus.CLOSE_CONTACT)],
        Recovery.SINCE_EXPOSURE,
        14,
    ),
    RuleSpec(
        "居家隔离或医学观察",
        CodeColour.YELLOW,
        [status_in(EpiStatus.HOME_ISOLATION, EpiStatus.OBSERVATION)],
        Recovery.NORMAL_DAYS,
        7,
    ),
    RuleSpec(
        "14天内接触确诊或疑似病例",
        CodeColour.YELLOW,
        [{"fact": "days_since_confirmed_contact", "op": "lte", "value": 13}],
        Recovery.SINCE_EXPOSURE,
        14,
    ),
    RuleSpec(
        "14天内来自高风险地区",
        CodeColour.YELLOW,
        [{"fact": "days_since_high_risk_area", "op": "lte", "value": 13}],
        Recovery.SINCE_EXPOSURE,
        14,
    ),
    RuleSpec("发热（无其他症状）", CodeColour.YELLOW, [is_("fever")], Recovery.NORMAL_DAYS, 7),
    RuleSpec(
        "连续2天未打卡",
        CodeColour.YELLOW,
        [{"fact": "days_without_checkin", "op": "gte", "value": 2}],
        Recovery.NORMAL_DAYS,
        0,
    ),
]
