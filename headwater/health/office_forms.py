"""Forms of the office's desktop pages. They only shape input; rules live in services.

The rule editor is not a Django formset: a rule holds a variable list of conditions whose
value widget depends on the fact chosen, so `RuleEditor` reads the posted table into plain
rule dicts (what services.publish_rules takes) and applies the editing buttons (add, delete,
move, add a condition) to them without saving anything.
"""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from headwater.core.forms import Form, date_input
from headwater.core.validators import is_record_date
from headwater.health import rules as rules_mod
from headwater.health.choices import CodeColour, EpiStatus, Recovery, RiskLevel
from headwater.health.models import RuleSet
from headwater.health.rules import all_facts


class RiskAreaForm(Form):
    name = forms.CharField(
        label=gettext_lazy("Area"),
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": "湖北省武汉市"}),
    )
    level = forms.ChoiceField(label=gettext_lazy("Risk level"), choices=RiskLevel.choices)
    valid_from = forms.DateField(label=gettext_lazy("Valid from"), widget=date_input())
    valid_to = forms.DateField(
        label=gettext_lazy("Valid to"),
        required=False,
        widget=date_input(),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The area takes the row's wider column (templates/partials/fields.html reads `cols`).
        for name, form_field in self.fields.items():
            form_field.cols = "col-12 col-md-4" if name == "name" else "col-12 col-md-2"


class StatusForm(Form):
    kind = forms.ChoiceField(label=gettext_lazy("Status"), choices=EpiStatus.choices)
    started_on = forms.DateField(label=gettext_lazy("From"), widget=date_input())
    exposure_on = forms.DateField(
        label=gettext_lazy("Last exposure on"),
        required=False,
        widget=date_input(),
        help_text=gettext_lazy("For close contacts: the code turns green 14 days after it."),
    )
    note = forms.CharField(label=gettext_lazy("Note"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The two dates side by side (templates/partials/fields.html reads `cols`).
        for name, form_field in self.fields.items():
            form_field.cols = "col-6" if name in ("started_on", "exposure_on") else "col-12"

    def clean(self):
        data = super().clean()
        started, exposure = data.get("started_on"), data.get("exposure_on")
        if started and exposure and exposure > started:
            self.add_error("exposure_on", _("The last exposure is after the start."))
        return data


def parse_day(text: str | None, default: dt.date) -> dt.date | None:
    """A date from a form field or the query string; the default when empty, None when bad."""
    if not text:
        return default
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        return None
    return day if is_record_date(day) else None


# --- Rules in words ------------------------------------------------------------------------

OPS = {
    "is": gettext_lazy("is"),
    "in": gettext_lazy("is one of"),
    "gte": "≥",
    "lte": "≤",
    "eq": "=",
}
OP_KINDS = {"is": "bool", "in": "status", "gte": "int", "lte": "int", "eq": "str"}


def condition_words(condition: dict) -> str:
    """A condition as the office reads it, e.g. "Days since leaving a high-risk area ≤ 13"."""
    fact, op, value = condition.get("fact"), condition.get("op"), condition.get("value")
    facts = all_facts()
    label = facts[fact][0] if fact in facts else fact
    if op == "in":
        words = "、".join(
            str(EpiStatus(v).label) if v in EpiStatus.values else str(v) for v in value or []
        )
    elif op == "is":
        words = _("yes") if value else _("no")
    else:
        words = str(value)
    return f"{label} {OPS.get(op, op)} {words}"


def recovery_words(recovery: str, days: int, waits: bool = False) -> str:
    """How a code from the rule turns green (the same words the codes show)."""
    return rules_mod.recovery_words(recovery, days, waits) or "—"


# --- The rule editor -----------------------------------------------------------------------


@dataclass
class EditedRule:
    """One row of the editor. `recovery_days` and condition values keep what was typed when
    it is not a number, so that the service names the problem instead of a silent zero."""

    name: str = ""
    colour: str = CodeColour.YELLOW
    recovery: str = Recovery.NORMAL_DAYS
    recovery_days: Any = 7
    conditions: list[dict] = field(default_factory=list)
    error: str = ""

    @property
    def condition_rows(self) -> list[dict]:
        """The conditions with their fact's kind, which picks the value widget."""
        facts = all_facts()
        return [
            {**c, "kind": facts[c.get("fact")][1] if c.get("fact") in facts else ""}
            for c in self.conditions
        ]

    def payload(self) -> dict:
        return {
            "name": self.name,
            "colour": self.colour,
            "conditions": self.conditions,
            "recovery": self.recovery,
            "recovery_days": self.recovery_days,
        }


def _number(text: str) -> Any:
    try:
        return int(text.strip())
    except (AttributeError, ValueError):
        return text


class RuleEditor:
    """The editor's state: the rules, the fever threshold and the note, read from a rule set
    or from the posted table. Field names: rule-<i>-name … and rule-<i>-c<j>-fact …"""

    def __init__(self, rules: list[EditedRule], fever_threshold: str, note: str = ""):
        self.rules = rules
        self.fever_threshold = fever_threshold
        self.note = note
        self.threshold_error = ""
        self.error = ""

    @classmethod
    def from_rule_set(cls, rule_set: RuleSet) -> "RuleEditor":
        rules = [
            EditedRule(r.name, r.colour, r.recovery, r.recovery_days, list(r.conditions))
            for r in rule_set.rules.all()
        ]
        return cls(rules, str(rule_set.fever_threshold))

    @classmethod
    def from_post(cls, data) -> "RuleEditor":
        rules = []
        for i in range(_count(data.get("rule_count"))):
            p = f"rule-{i}-"
            rule = EditedRule(
                name=data.get(p + "name", "").strip(),
                colour=data.get(p + "colour", ""),
                recovery=data.get(p + "recovery", ""),
                recovery_days=_number(data.get(p + "recovery_days", "")),
            )
            for j in range(_count(data.get(p + "cond_count"))):
                rule.conditions.append(_condition(data, f"{p}c{j}-"))
            rules.append(rule)
        return cls(rules, data.get("fever_threshold", "").strip(), data.get("note", "").strip())

    @property
    def optional(self) -> list[tuple[int, str]]:
        """The optional rules (health.rules.OPTIONAL_RULES) not in the table yet, by index:
        each is one button that adds it (`add_optional:<i>`)."""
        names = {r.name for r in self.rules}
        return [(i, r.name) for i, r in enumerate(rules_mod.OPTIONAL_RULES) if r.name not in names]

    def apply(self, action: str) -> None:
        """An editing button: add_rule, add_optional:<i>, delete:<i>, up:<i>, down:<i>,
        add_cond:<i>, delete_cond:<i>:<j>. Unknown or out-of-range actions change nothing."""
        name, *args = action.split(":")
        try:
            idx = [int(a) for a in args]
        except ValueError:
            return
        rules = self.rules
        if name == "add_rule":
            rules.append(EditedRule(conditions=[_blank_condition()]))
        elif name == "add_optional" and len(idx) == 1 and idx[0] in dict(self.optional):
            spec = rules_mod.OPTIONAL_RULES[idx[0]]
            rule = EditedRule(
                spec.name, spec.colour, spec.recovery, spec.recovery_days, list(spec.conditions)
            )
            # Before the first milder rule, so that it wins over them (first match wins).
            at = next((i for i, r in enumerate(rules) if r.colour != CodeColour.RED), len(rules))
            rules.insert(at, rule)
        elif name == "delete" and len(idx) == 1 and 0 <= idx[0] < len(rules):
            del rules[idx[0]]
        elif name in ("up", "down") and len(idx) == 1:
            i = idx[0]
            j = i - 1 if name == "up" else i + 1
            if 0 <= i < len(rules) and 0 <= j < len(rules):
                rules[i], rules[j] = rules[j], rules[i]
        elif name == "add_cond" and len(idx) == 1 and 0 <= idx[0] < len(rules):
            rules[idx[0]].conditions.append(_blank_condition())
        elif name == "delete_cond" and len(idx) == 2 and 0 <= idx[0] < len(rules):
            conditions = rules[idx[0]].conditions
            if 0 <= idx[1] < len(conditions):
                del conditions[idx[1]]

    def own_errors(self) -> bool:
        """What the service leaves open: a yellow or red code must have a way to turn green
        (without one it would never turn green). Marks the rules; True if any is wrong."""
        wrong = False
        for rule in self.rules:
            if rule.colour == CodeColour.GREEN:
                continue
            if rule.recovery not in Recovery.values:
                rule.error = _("Choose how a yellow or red code from this rule turns green.")
                wrong = True
        return wrong

    def payload(self) -> list[dict]:
        return [r.payload() for r in self.rules]

    def show_errors(self, fields: dict[str, str], message: str) -> None:
        """Put the service's field errors ("rules.N", "fever_threshold") beside their rows."""
        self.error = message
        for key, text in fields.items():
            if key == "fever_threshold":
                self.threshold_error = text
            elif key.startswith("rules."):
                n = _count(key.removeprefix("rules."))
                if 1 <= n <= len(self.rules):
                    self.rules[n - 1].error = text
            else:
                self.error = f"{message} {text}"


def _count(text: Any) -> int:
    try:
        return max(0, min(int(text), 200))
    except (TypeError, ValueError):
        return 0


def _blank_condition() -> dict:
    return {"fact": "fever", "op": "is", "value": True}


def _condition(data, prefix: str) -> dict:
    fact = data.get(prefix + "fact", "")
    op = data.get(prefix + "op", "")
    facts = all_facts()
    kind = facts[fact][1] if fact in facts else None
    if kind == "bool":
        value: Any = data.get(prefix + "bool", "true") == "true"
    elif kind == "int":
        value = _number(data.get(prefix + "int", ""))
    elif kind == "status":
        value = data.getlist(prefix + "status") if hasattr(data, "getlist") else []
    elif kind == "str":
        value = data.get(prefix + "str", "").strip()
    else:
        value = None
    return {"fact": fact, "op": op, "value": value}


def fact_choices() -> list[dict]:
    """The facts the editor offers: health's own, then those other capabilities declare."""
    return [{"name": n, "label": label, "kind": kind} for n, (label, kind) in all_facts().items()]


def op_choices() -> list[dict]:
    return [{"name": n, "label": label, "kind": OP_KINDS[n]} for n, label in OPS.items()]
