"""Write use-cases of the health app: check-ins, codes, statuses, rules, risk areas, unit
daily reports. Each checks its permission, validates, is atomic and audited."""

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from headwater.core import clock, levels
from headwater.core.audit import acting_as
from headwater.core.errors import DomainError, NotAllowed
from headwater.core.models import Organization, Person, Unit
from headwater.health import facts as facts_mod
from headwater.health import rules as rules_mod
from headwater.health.choices import (
    CodeColour,
    EpiStatus,
    Household,
    Recovery,
    Slot,
    Symptom,
    Whereabouts,
)
from headwater.health.models import (
    CheckIn,
    FollowUp,
    HealthCode,
    Rule,
    RuleSet,
    StatusRecord,
    UnitReport,
)
from headwater.health.permissions import MANAGE_RULES, MANAGE_STATUSES, SUBMIT_UNIT_REPORT

MIN_TEMP, MAX_TEMP = Decimal("34.0"), Decimal("42.5")


# --- Rule sets -----------------------------------------------------------------------------


def _same_organization(user, organization_id: int) -> bool:
    return user.is_superuser or user.organization_id == organization_id


def active_rule_set(organization: Organization) -> RuleSet:
    """The rule set in force; the default rules become version 1 the first time."""
    current = organization.health_rule_sets.order_by("-version").first()
    if current:
        return current
    with transaction.atomic():
        Organization.objects.select_for_update().get(pk=organization.pk)
        current = organization.health_rule_sets.order_by("-version").first()
        if current:
            return current
        return _create_rule_set(
            organization,
            1,
            rules_mod.DEFAULT_RULES,
            Decimal("37.3"),
            _("Default rules (2020 practice)"),
            None,
        )


def _create_rule_set(organization, version, rules, fever_threshold, note, by) -> RuleSet:
    rule_set = RuleSet.objects.create(
        organization=organization,
        version=version,
        note=note,
        fever_threshold=fever_threshold,
        created_by=by,
    )
    Rule.objects.bulk_create(
        Rule(
            rule_set=rule_set,
            order=i,
            name=r.name,
            colour=r.colour,
            conditions=r.conditions,
            recovery=r.recovery,
            recovery_days=r.recovery_days,
        )
        for i, r in enumerate(rules, start=1)
    )
    return rule_set


def publish_rules(
    organization: Organization, rules: list[dict], *, fever_threshold: Any, note: str, by
) -> RuleSet:
    """Save the edited rules as the next version; every code is recomputed against it."""
    if not by.has_perm(MANAGE_RULES) or not _same_organization(by, organization.pk):
        raise NotAllowed(_("Your role may not change the health-code rules."))
    errors: dict[str, str] = {}
    specs = []
    for i, r in enumerate(rules, start=1):
        problems = rules_mod.validate_conditions(r.get("conditions"))
        if not str(r.get("name", "")).strip():
            problems.append(_("A rule needs a name."))
        if r.get("colour") not in CodeColour.values:
            problems.append(_("Choose green, yellow or red."))
        if (
            r.get("colour") in (CodeColour.YELLOW, CodeColour.RED)
            and r.get("recovery") not in Recovery.values
        ):
            problems.append(_("Choose how a yellow or red code from this rule turns green."))
        days = r.get("recovery_days", 0)
        if not isinstance(days, int) or not 0 <= days <= 60:
            problems.append(_("Days must be a whole number from 0 to 60."))
        if problems:
            errors[f"rules.{i}"] = " ".join(problems)
        else:
            specs.append(
                rules_mod.RuleSpec(
                    r["name"].strip(), r["colour"], r["conditions"], r.get("recovery", ""), days
                )
            )
    threshold = _temperature(fever_threshold, {}, "fever_threshold")
    if threshold is None or not Decimal("37.0") <= threshold <= Decimal("39.0"):
        errors["fever_threshold"] = _("The fever threshold must be between 37.0 and 39.0 °C.")
    if not rules:
        errors["rules"] = _("Keep at least one rule.")
    if errors:
        raise DomainError(_("Please correct the marked fields."), fields=errors)
    with transaction.atomic(), acting_as(by):
        Organization.objects.select_for_update().get(pk=organization.pk)
        version = active_rule_set(organization).version + 1
        rule_set = _create_rule_set(organization, version, specs, threshold, note, by)
    from headwater.health.tasks import recompute_organization

    transaction.on_commit(lambda: recompute_organization(organization.pk))
    return rule_set


# --- Check-ins -----------------------------------------------------------------------------


def _temperature(raw: Any, errors: dict, name: str = "temperature") -> Decimal | None:
    try:
        value = Decimal(str(raw)).quantize(Decimal("0.1"))
    except (InvalidOperation, TypeError, ValueError):
        errors[name] = _("Enter the temperature as a number, e.g. 36.5.")
        return None
    if not MIN_TEMP <= value <= MAX_TEMP:
        errors[name] = _("%(t)s °C is outside 34.0–42.5 °C; please measure again.") % {"t": value}
        return None
    return value


def _parse_time(text: str) -> dt.time:
    hours, minutes = (int(x) for x in str(text).split(":"))
    return dt.time(hours, minutes)


def slots_for(organization: Organization) -> list[str]:
    return (
        [Slot.MORNING, Slot.AFTERNOON]
        if levels.value(organization, "health.checkins_per_day") >= 2
        else [Slot.MORNING]
    )


def window(organization: Organization, day: dt.date, slot: str) -> tuple[dt.datetime, dt.datetime]:
    """When a slot's check-in may be made or corrected (Asia/Shanghai)."""
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(day, dt.time.min, tz)
    end = start + dt.timedelta(days=1)
    if len(slots_for(organization)) == 1:
        return start, end
    noon = dt.datetime.combine(
        day, _parse_time(levels.value(organization, "health.morning_closes")), tz
    )
    return (start, noon) if slot == Slot.MORNING else (noon, end)


def current_slot(organization: Organization, now: dt.datetime | None = None) -> str:
    now = now or clock.now()
    day = timezone.localdate(now)
    for slot in slots_for(organization):
        opens, closes = window(organization, day, slot)
        if opens <= now < closes:
            return slot
    return Slot.MORNING


def _clean_checkin(organization, data: dict) -> tuple[dict, dict]:
    errors: dict[str, str] = {}
    today = clock.today()
    clean: dict[str, Any] = {}
    clean["temperature"] = _temperature(data.get("temperature"), errors)
    symptoms = list(dict.fromkeys(data.get("symptoms") or []))
    if not set(symptoms) <= set(Symptom.values):
        errors["symptoms"] = _("Unknown symptom.")
    clean["symptoms"] = symptoms
    for name, choices, default in (
        ("whereabouts", Whereabouts, Whereabouts.AT_WORK),
        ("household", Household, Household.WELL),
    ):
        value = data.get(name) or default
        if value not in choices.values:
            errors[name] = _("Choose one of the options.")
        clean[name] = value
    slot = data.get("slot") or current_slot(organization)
    if slot not in slots_for(organization):
        errors["slot"] = _("This slot is not open at the current response level.")
    clean["slot"] = slot
    for name in ("left_city", "contact_confirmed", "contact_suspected", "contact_risk_area"):
        clean[name] = bool(data.get(name))
    for name, limit in (("location_note", 100), ("travel_to", 100), ("household_note", 200)):
        clean[name] = str(data.get(name) or "").strip()[:limit]
    for name in ("returned_on", "last_contact_on"):
        value = data.get(name) or None
        if isinstance(value, str):
            try:
                value = dt.date.fromisoformat(value)
            except ValueError:
                errors[name] = _("Enter a date.")
                value = None
        if value and not today - dt.timedelta(days=30) <= value <= today:
            errors[name] = _("The date must be within the last 30 days.")
        clean[name] = value
    if clean["left_city"] and not clean["travel_to"]:
        errors["travel_to"] = _("Say where you went.")
    if not clean["left_city"]:
        clean["travel_to"], clean["returned_on"] = "", None
    if not (clean["contact_confirmed"] or clean["contact_suspected"] or clean["contact_risk_area"]):
        clean["last_contact_on"] = None
    return clean, errors


def is_abnormal(clean: dict, fever_threshold: Decimal) -> bool:
    return bool(
        clean["temperature"] >= fever_threshold
        or clean["symptoms"]
        or clean["contact_confirmed"]
        or clean["contact_suspected"]
        or clean["contact_risk_area"]
        or clean["household"] != Household.WELL
    )


def submit_checkin(person: Person, data: dict, *, by, key: str = "") -> tuple[CheckIn, bool]:
    """Record (or correct, while its window is open) the person's check-in for the current
    day. Returns (check-in, created). The same idempotency key returns the first result and
    changes nothing, so a retry on a bad connection never makes a second check-in."""
    if by.person_id != person.pk:
        raise NotAllowed(_("You can only check in for yourself."))
    key = (key or "").strip()[:64]
    if key:
        existing = CheckIn.objects.filter(person=person, idempotency_key=key).first()
        if existing:
            return existing, False
    org = person.organization
    clean, errors = _clean_checkin(org, data)
    if errors:
        raise DomainError(_("Please correct the marked fields."), fields=errors)
    now = clock.now()
    today = timezone.localdate(now)
    opens, closes = window(org, today, clean["slot"])
    if not opens <= now < closes:
        raise DomainError(
            _("This check-in window has closed."),
            code="window_closed",
            fields={"slot": _("This check-in window has closed.")},
        )
    rule_set = active_rule_set(org)
    abnormal = is_abnormal(clean, rule_set.fever_threshold)
    try:
        with transaction.atomic(), acting_as(by):
            checkin, created = _save_checkin(person, today, clean, abnormal, key, now)
    except IntegrityError:  # the same key raced in from a parallel retry
        existing = CheckIn.objects.filter(person=person, idempotency_key=key).first()
        if key and existing:
            return existing, False
        raise
    code = HealthCode.objects.filter(person=person, is_current=True).only("colour").first()
    if abnormal or (code and code.colour != CodeColour.GREEN) or code is None:
        recompute_code(person, rule_set=rule_set)
    if abnormal:
        _follow_up(checkin)
    return checkin, created


def _save_checkin(person, today, clean, abnormal, key, now) -> tuple[CheckIn, bool]:
    checkin = (
        CheckIn.objects.select_for_update()
        .filter(person=person, date=today, slot=clean["slot"])
        .first()
    )
    if checkin is None:
        checkin = CheckIn.objects.create(
            organization_id=person.organization_id,
            person=person,
            unit_id=person.unit_id,
            date=today,
            is_abnormal=abnormal,
            idempotency_key=key,
            submitted_at=now,
            updated_at=now,
            **clean,
        )
        return checkin, True
    for name, value in clean.items():
        setattr(checkin, name, value)
    checkin.is_abnormal = abnormal
    checkin.updated_at = now
    # The first key stays: a late retry of the first request must still find this check-in
    # (and change nothing) rather than overwrite the correction with older data.
    checkin.save()
    return checkin, False


def describe_checkin(checkin: CheckIn) -> str:
    parts = [f"{checkin.temperature} °C"]
    parts += [str(Symptom(s).label) for s in checkin.symptoms]
    if checkin.contact_confirmed or checkin.contact_suspected:
        parts.append(_("contact with a case"))
    if checkin.contact_risk_area:
        parts.append(_("contact with people from a risk area"))
    if checkin.household != Household.WELL:
        parts.append(str(Household(checkin.household).label))
    return _(", ").join(parts)


def _follow_up(checkin: CheckIn) -> None:
    """Open a follow-up item and alert the unit head and the office at once."""
    from headwater.alerts.services import raise_alert

    # Alerts go to other people and groups: in the organization's language, not the sender's.
    with translation.override(settings.LANGUAGE_CODE), transaction.atomic():
        reason = describe_checkin(checkin)
        FollowUp.objects.get_or_create(
            checkin=checkin,
            defaults={
                "organization_id": checkin.organization_id,
                "person_id": checkin.person_id,
                "reason": reason,
            },
        )
        person = checkin.person
        raise_alert(
            person.organization,
            kind="health.abnormal_checkin",
            severity="critical",
            title=_("Abnormal check-in: %(name)s (%(unit)s)")
            % {"name": person.name, "unit": person.unit.name},
            body=reason,
            link=f"/health/people/{person.pk}/",
            unit=person.unit,
            to_roles=["unit_head", "office"],
            dedup_key=f"health.abnormal:{checkin.pk}:{checkin.updated_at.isoformat()}",
        )


# --- Codes ---------------------------------------------------------------------------------


def recompute_code(
    person: Person, *, today: dt.date | None = None, rule_set: RuleSet | None = None, areas=None
) -> HealthCode:
    """Evaluate the rules for the person and keep the code history: a new row when the colour
    or rule changes, otherwise the current row's date to turn green is refreshed."""
    today = today or clock.today()
    rule_set = rule_set or active_rule_set(person.organization)
    rules = rule_set.ordered_rules
    facts = facts_mod.gather(
        person, today, float(rule_set.fever_threshold), rule_set.tracking_since, areas
    )
    with transaction.atomic():
        current = (
            HealthCode.objects.select_for_update(of=("self",))
            .select_related("rule")
            .filter(person=person, is_current=True)
            .first()
        )
        held = None
        if current and current.rule:
            # Held under an older version: the same-named rule of the version in force decides
            # when it turns green, so a changed recovery applies to codes already held.
            same = next((r for r in rules if r.name == current.rule.name), current.rule)
            held = (current.colour, same)
        verdict = rules_mod.evaluate(rules, facts, held)
        verdict_rule_id = getattr(verdict.rule, "pk", None)
        if current and current.colour == verdict.colour and current.rule_id == verdict_rule_id:
            if current.green_on != verdict.green_on or current.reason != verdict.reason:
                current.green_on, current.reason = verdict.green_on, verdict.reason
                current.save(update_fields=["green_on", "reason"])
            return current
        if current:
            HealthCode.objects.filter(pk=current.pk).update(is_current=False)
        rule = verdict.rule if isinstance(verdict.rule, Rule) else None
        return HealthCode.objects.create(
            organization_id=person.organization_id,
            person=person,
            colour=verdict.colour,
            reason=verdict.reason,
            rule=rule,
            rule_name=verdict.rule.name if verdict.rule else "",
            rule_set_version=rule.rule_set.version if rule else rule_set.version,
            green_on=verdict.green_on,
            since=clock.now(),
        )


# --- Epidemiological statuses --------------------------------------------------------------


def set_status(
    person: Person,
    kind: str,
    started_on: dt.date,
    *,
    by,
    exposure_on: dt.date | None = None,
    note: str = "",
) -> StatusRecord:
    """Record that a person is a close contact, isolated, a case …; the code follows."""
    if not by.has_perm(MANAGE_STATUSES) or not _same_organization(by, person.organization_id):
        raise NotAllowed(_("Your role may not record epidemiological statuses."))
    if kind not in EpiStatus.values:
        raise DomainError(_("Unknown status."), fields={"kind": _("Unknown status.")})
    if started_on > clock.today():
        raise DomainError(
            _("The start cannot be in the future."),
            fields={"started_on": _("The start cannot be in the future.")},
        )
    with transaction.atomic(), acting_as(by):
        record = StatusRecord.objects.create(
            organization_id=person.organization_id,
            person=person,
            kind=kind,
            started_on=started_on,
            exposure_on=exposure_on,
            note=note,
            recorded_by=by,
        )
    recompute_code(person)
    return record


def end_status(record: StatusRecord, ended_on: dt.date, *, by) -> StatusRecord:
    if not by.has_perm(MANAGE_STATUSES) or not _same_organization(by, record.organization_id):
        raise NotAllowed(_("Your role may not record epidemiological statuses."))
    if ended_on < record.started_on:
        raise DomainError(
            _("The end is before the start."),
            fields={"ended_on": _("The end is before the start.")},
        )
    with transaction.atomic(), acting_as(by):
        record.ended_on = ended_on
        record.save(update_fields=["ended_on"])
    recompute_code(record.person)
    return record


# --- Unit daily reports --------------------------------------------------------------------

REPORT_COUNTS = ["on_duty", "working_from_home", "on_leave", "isolated", "abnormal"]


def report_deadline(organization: Organization, day: dt.date) -> dt.datetime:
    at = _parse_time(levels.value(organization, "health.report_deadline"))
    return dt.datetime.combine(day, at, timezone.get_current_timezone())


def submit_unit_report(
    unit: Unit, *, by, counts: dict[str, Any], notes: str = "", zero: bool = False
) -> tuple[UnitReport, bool]:
    """The unit's report for today; submitting again the same day updates it (audited), so a
    retried request never makes two. A zero report carries zero abnormal."""
    from headwater.core.models import Unit as UnitModel

    if (
        not by.has_perm(SUBMIT_UNIT_REPORT)
        or not UnitModel.objects.visible_to(by).filter(pk=unit.pk).exists()
    ):
        raise NotAllowed(_("You may only report for your own unit."))
    errors: dict[str, str] = {}
    values: dict[str, int] = {}
    for name in REPORT_COUNTS:
        raw = counts.get(name, 0) if not zero or name != "abnormal" else 0
        try:
            values[name] = int(raw or 0)
            if values[name] < 0:
                raise ValueError
        except (TypeError, ValueError):
            errors[name] = _("Enter a whole number, 0 or more.")
    if zero and values.get("abnormal"):
        errors["abnormal"] = _("A zero report has no abnormal cases.")
    if errors:
        raise DomainError(_("Please correct the marked fields."), fields=errors)
    now = clock.now()
    with transaction.atomic(), acting_as(by):
        report, created = UnitReport.objects.select_for_update().get_or_create(
            unit=unit,
            date=timezone.localdate(now),
            defaults={
                "organization_id": unit.organization_id,
                "submitted_by": by,
                "submitted_at": now,
                "is_zero": zero,
                "notes": notes.strip(),
                **values,
            },
        )
        if not created:
            for name, value in values.items():
                setattr(report, name, value)
            # submitted_at stays the first submission: a correction does not make a report late.
            report.is_zero, report.notes = zero, notes.strip()
            report.save()
    return report, created


def recompute_stale_codes(organization: Organization) -> int:
    """Recompute the codes that may change with the date alone: non-green codes, and people
    with no check-in since the day before yesterday. Returns how many were recomputed."""
    from django.db.models import Max, Q

    from headwater.health.facts import risk_areas_on

    today = clock.today()
    rule_set = active_rule_set(organization)
    areas = risk_areas_on(organization.pk, today)
    stale = (
        organization.people.active()
        .annotate(last=Max("checkins__date"))
        .filter(
            Q(health_codes__is_current=True, health_codes__colour__in=["yellow", "red"])
            | Q(last__lt=today - dt.timedelta(days=1))
            | Q(last__isnull=True)
        )
        .distinct()
        .select_related("organization")
    )
    count = 0
    for person in stale.iterator(chunk_size=500):
        recompute_code(person, today=today, rule_set=rule_set, areas=areas)
        count += 1
    return count
