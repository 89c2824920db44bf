"""The code rules: the office publishes an edited rule set as the next version, and every
code is recomputed against it after the commit."""

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from headwater.core import locks
from headwater.core.audit import acting_as
from headwater.core.errors import NotAllowed, invalid
from headwater.core.models import Organization
from headwater.core.validators import parse_temperature
from headwater.core.writes import Written
from headwater.health import rules as rules_mod
from headwater.health.choices import CodeColour, Recovery
from headwater.health.models import RuleSet
from headwater.health.permissions import MANAGE_RULES
from headwater.health.services.codes import (
    active_rule_set,
    create_rule_set,
    recompute_after_commit,
)

MIN_THRESHOLD, MAX_THRESHOLD = Decimal("37.0"), Decimal("39.0")
MAX_RECOVERY_DAYS = 60
MAX_NAME = 100  # health.Rule.name


def publish_rules(
    organization: Organization, rules: list[dict], *, fever_threshold: Any, note: str, by
) -> Written[RuleSet]:
    """Save the edited rules as the next version; every code is recomputed against it."""
    if not by.has_perm(MANAGE_RULES) or not (
        by.is_superuser or by.organization_id == organization.pk
    ):
        raise NotAllowed(_("Your role may not change the health-code rules."))
    errors: dict[str, str] = {}
    specs = []
    for i, r in enumerate(rules, start=1):
        problems = _problems(r)
        if problems:
            errors[f"rules.{i}"] = " ".join(problems)
        else:
            specs.append(
                rules_mod.RuleSpec(
                    r["name"].strip(),
                    r["colour"],
                    r["conditions"],
                    r.get("recovery", ""),
                    r.get("recovery_days", 0),
                )
            )
    threshold, _problem = parse_temperature(fever_threshold)
    if threshold is None or not MIN_THRESHOLD <= threshold <= MAX_THRESHOLD:
        errors["fever_threshold"] = _("The fever threshold must be between 37.0 and 39.0 °C.")
    if not rules:
        errors["rules"] = _("Keep at least one rule.")
    if errors:
        raise invalid(errors)
    with transaction.atomic(), acting_as(by):
        locks.lock_one(Organization, organization.pk)  # two publishers make two versions, not one
        version = active_rule_set(organization).version + 1
        rule_set = create_rule_set(organization, version, specs, threshold, note, by)
        recompute_after_commit(organization)
    return rule_set, True


def _problems(rule: dict) -> list[str]:
    """Everything wrong with one edited rule, in words for the editor."""
    problems = rules_mod.validate_conditions(rule.get("conditions"))
    name = rule.get("name")
    if not isinstance(name, str) or not name.strip():
        problems.append(_("A rule needs a name."))
    elif len(name.strip()) > MAX_NAME:
        problems.append(_("A rule's name may have at most 100 characters."))
    if not isinstance(rule.get("colour"), str) or rule.get("colour") not in CodeColour.values:
        problems.append(_("Choose green, yellow or red."))
    if rule.get("colour") in (CodeColour.YELLOW, CodeColour.RED) and (
        not isinstance(rule.get("recovery"), str) or rule["recovery"] not in Recovery.values
    ):
        problems.append(_("Choose how a yellow or red code from this rule turns green."))
    days = rule.get("recovery_days", 0)
    if isinstance(days, bool) or not isinstance(days, int) or not 0 <= days <= MAX_RECOVERY_DAYS:
        problems.append(_("Days must be a whole number from 0 to 60."))
    return problems
