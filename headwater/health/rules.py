"""The health-code rule evaluator: rules are data (health.models.Rule), facts are computed
from a person's recent check-ins, statuses and the risk areas, and from what other
capabilities provide (core.codes facts providers); the first matching rule gives the colour.
A non-green code is sticky: it turns green (or milder) only when its own rule's recovery is
met — N consecutive normal days, N days from the last exposure, or N days of isolation with
normal check-ins once the office has ended the status (the Hangzhou practice of 2020: red
"14 days of isolation with 14 days of normal check-ins", yellow "7 days"). Another rule of the
same or a milder colour never releases it early: the latest turn-green date wins.

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
    # The latest start of each status held in the look-back window (its last exposure when
    # the office recorded one): an isolation's days are counted from it.
    status_started: dict[str, dt.date] = field(default_factory=dict)
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
    "respiratory_symptom": (
        gettext_lazy("Cough, sore throat or loss of taste or smell at the latest check-in"),
        "bool",
    ),
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


def rule_statuses(rule: RuleLike) -> set[str]:
    """The statuses the rule's conditions name: while one of them is held, only the office
    (ending the status) can let the code go."""
    kinds: set[str] = set()
    for c in rule.conditions or []:
        if isinstance(c, dict) and c.get("fact") == "status" and isinstance(c.get("value"), list):
            kinds |= set(c["value"])
    return kinds


def _exposure(rule: RuleLike, facts: Facts) -> dt.date | None:
    """The rule's own last exposure: the days-since facts it names (a trip to a risk area,
    a reported contact), else the person's last exposure of any kind."""
    days = [
        getattr(facts, c["fact"])
        for c in rule.conditions or []
        if isinstance(c, dict)
        and c.get("fact") in FACTS
        and c["fact"].startswith("days_since_")
        and getattr(facts, c["fact"]) is not None
    ]
    if days:
        return facts.today - dt.timedelta(days=min(days))
    return facts.last_exposure_on


def waits_for_office(rule: RuleLike, facts: Facts) -> bool:
    """True while the person still holds a status the rule names: the code turns green only
    once the office ends it, so no date can be promised."""
    return bool(facts.statuses & rule_statuses(rule))


def green_on(rule: RuleLike, facts: Facts) -> dt.date | None:
    """The day the code from `rule` turns green if check-ins stay normal; None while it
    cannot be known (a status the office has to end is still open)."""
    n = dt.timedelta(days=rule.recovery_days)
    if waits_for_office(rule, facts):
        return None
    if rule.recovery == Recovery.SINCE_EXPOSURE:
        exposure = _exposure(rule, facts)
        # No exposure left to count from (it fell out of the look-back): nothing holds it.
        return exposure + n if exposure else facts.today
    if rule.recovery == Recovery.RELEASE_AND_NORMAL_DAYS:
        kinds = rule_statuses(rule) or ISOLATING
        if facts.statuses & kinds:
            return None
        # The days of isolation count (2020 practice: "14 days of isolation, 14 days of normal
        # check-ins"), from the status's start; a missed or abnormal day starts the count again.
        starts = [d for k, d in facts.status_started.items() if k in kinds]
        after = max(starts) - dt.timedelta(days=1) if starts else None
        return normal_streak_start(facts, after=after) + n
    if rule.recovery == Recovery.NORMAL_DAYS:
        return normal_streak_start(facts) + n
    return None


@dataclass
class Verdict:
    colour: str
    rule: RuleLike | None
    reason: str
    green_on: dt.date | None


def recovery_words(recovery: str, days: int, waits: bool = False) -> str:
    """How a code from a rule turns green, in words (the code's reason and the rule editor).
    `waits`: the rule names a status, which only the office ends."""
    if recovery == Recovery.NORMAL_DAYS and days == 0:
        how = _("turns green at the next normal check-in")
    elif recovery == Recovery.NORMAL_DAYS:
        how = _("turns green after %(n)s consecutive days of normal check-ins") % {"n": days}
    elif recovery == Recovery.SINCE_EXPOSURE:
        how = _("turns green %(n)s days after the last exposure") % {"n": days}
    elif recovery == Recovery.RELEASE_AND_NORMAL_DAYS and waits:
        how = _("turns green after %(n)s days of isolation with normal check-ins") % {"n": days}
    elif recovery == Recovery.RELEASE_AND_NORMAL_DAYS:
        how = _("turns green after release and %(n)s consecutive days of normal check-ins") % {
            "n": days
        }
    else:
        return ""
    if waits:
        how = _("%(how)s, once the office ends the status") % {"how": how}
    return how


def describe(rule: RuleLike | None) -> str:
    if rule is None:
        return _("No risk found in recent check-ins.")
    how = recovery_words(rule.recovery, rule.recovery_days, bool(rule_statuses(rule)))
    return f"{rule.name}；{how}" if how else rule.name


def _later(a: dt.date | None, b: dt.date | None) -> bool:
    """a is as late as b or later; None (not known yet: waits for the office) is latest."""
    return a is None or (b is not None and a >= b)


def evaluate(
    rules: list[RuleLike], facts: Facts, current: tuple[str, RuleLike | None] | None
) -> Verdict:
    """The code for `facts`: the first matching rule gives the colour. `current` is the code
    in force (colour, rule). Until the current rule's turn-green date has come, a milder
    result cannot replace it, and a result of the same colour replaces it only when its own
    turn-green date is later (a missed check-in does not cut a fever's seven days short). A
    worse result replaces it at once."""
    rule = next((r for r in rules if matches(r, facts)), None)
    colour = rule.colour if rule else CodeColour.GREEN
    until = green_on(rule, facts) if rule else None
    if current and current[1] is not None and current[1] is not rule:
        held_colour, held_rule = current
        held_until = green_on(held_rule, facts)
        if held_until is None or facts.today < held_until:
            severity, held = CodeColour(colour).severity, CodeColour(held_colour).severity
            milder = severity < held or (severity == held and _later(held_until, until))
            if held_colour != CodeColour.GREEN and milder:
                return Verdict(held_colour, held_rule, describe(held_rule), held_until)
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


def days_within(fact: str, days: int) -> dict:
    """The fact's days since ≤ days - 1: "within 14 days" is days since 0 … 13 (ADR 0004)."""
    return {"fact": fact, "op": "lte", "value": days - 1}


RED, YELLOW = CodeColour.RED, CodeColour.YELLOW
ISOLATION = Recovery.RELEASE_AND_NORMAL_DAYS

# Defaults modelled on the 2020 practice of Zhejiang / Hangzhou (sources in ADR 0004): red for
# confirmed, suspected, close contacts and a stay in a high-risk area, 14 days (of isolation
# with normal check-ins) before green; yellow for a stay in a medium-risk area, fever,
# respiratory symptoms and a household member unwell or isolated, 7 days. The office edits
# them in the UI; organizations keep the version they have (these are version 1 of a new one).
DEFAULT_RULES = [
    RuleSpec(
        "确诊或疑似病例", RED, [status_in(EpiStatus.CONFIRMED, EpiStatus.SUSPECTED)], ISOLATION, 14
    ),
    RuleSpec("密切接触者", RED, [status_in(EpiStatus.CLOSE_CONTACT)], ISOLATION, 14),
    RuleSpec("集中隔离", RED, [status_in(EpiStatus.CENTRALIZED)], ISOLATION, 14),
    RuleSpec(
        "14天内接触确诊或疑似病例",
        RED,
        [days_within("days_since_confirmed_contact", 14)],
        Recovery.SINCE_EXPOSURE,
        14,
    ),
    RuleSpec(
        "14天内到过高风险地区",
        RED,
        [days_within("days_since_high_risk_area", 14)],
        Recovery.SINCE_EXPOSURE,
        14,
    ),
    RuleSpec(
        "居家隔离或医学观察",
        YELLOW,
        [status_in(EpiStatus.HOME_ISOLATION, EpiStatus.OBSERVATION)],
        ISOLATION,
        7,
    ),
    RuleSpec(
        "7天内到过中风险地区",
        YELLOW,
        [days_within("days_since_medium_risk_area", 7)],
        Recovery.SINCE_EXPOSURE,
        7,
    ),
    RuleSpec("发热", YELLOW, [is_("fever")], Recovery.NORMAL_DAYS, 7),
    RuleSpec("呼吸道症状", YELLOW, [is_("respiratory_symptom")], Recovery.NORMAL_DAYS, 7),
    RuleSpec("家人身体不适或被隔离", YELLOW, [is_("household_unwell")], Recovery.NORMAL_DAYS, 7),
    RuleSpec(
        "连续2天未打卡",
        YELLOW,
        [{"fact": "days_without_checkin", "op": "gte", "value": 2}],
        Recovery.NORMAL_DAYS,
        0,
    ),
]

# Stricter rules an office may add in the rule editor (not in the defaults): the rule the
# defaults had before issue 10, fever with a respiratory symptom red until 14 normal days.
OPTIONAL_RULES = [
    RuleSpec(
        "发热伴呼吸道症状",
        RED,
        [is_("fever"), is_("respiratory_symptom")],
        ISOLATION,
        14,
    ),
]


def next_steps(rule: RuleLike | None, colour: str) -> list[str]:
    """What a person with a yellow or red code from `rule` does now, in words, most
    important first (2020 practice: isolate, go to a fever clinic with symptoms, check in
    every day). A rule of the office's own (or one deleted since) gets the colour's advice."""
    if colour == CodeColour.GREEN:
        return []
    kinds = rule_statuses(rule) if rule else set()
    named = {c.get("fact") for c in (rule.conditions if rule else []) if isinstance(c, dict)}
    steps = []
    if kinds & {EpiStatus.CONFIRMED, EpiStatus.SUSPECTED}:
        steps.append(_("Follow the treatment and isolation arranged for you by the office."))
    elif EpiStatus.CENTRALIZED in kinds:
        steps.append(_("Stay at the centralized isolation site until the office releases you."))
    elif named & {"fever", "respiratory_symptom"}:
        steps.append(
            _(
                "Go to a fever clinic wearing a mask, without public transport, and stay at "
                "home until your code is green."
            )
        )
    elif named == {"days_without_checkin"}:
        steps.append(_("Check in now: a normal check-in turns the code green again."))
        return steps
    else:
        steps.append(
            _("Stay at home in isolation and do not come to work until your code is green.")
        )
    if rule and rule.recovery in (Recovery.NORMAL_DAYS, Recovery.RELEASE_AND_NORMAL_DAYS):
        steps.append(
            _("Check in every day: a day without a normal check-in starts the count again.")
        )
    else:
        steps.append(_("Check in every day and report any symptom at once."))
    return steps
