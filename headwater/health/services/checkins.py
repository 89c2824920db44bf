"""Check-ins: record or correct today's, and what an abnormal one sets off."""

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from headwater.alerts.choices import Severity
from headwater.alerts.services import raise_alert
from headwater.core import clock, levels, locks, memo
from headwater.core.audit import acting_as
from headwater.core.errors import DomainError, NotAllowed
from headwater.core.models import Person
from headwater.core.roles import Role
from headwater.core.writes import Written, idempotent
from headwater.health.choices import CodeColour, Household, Symptom
from headwater.health.errors import HealthError
from headwater.health.inputs import CheckInInput
from headwater.health.models import CheckIn, FollowUp, HealthCode, HouseholdCheckIn
from headwater.health.services.codes import active_rule_set, recompute_code
from headwater.health.services.household import describe_line, save_lines
from headwater.health.windows import window

CHECKIN = "health.checkin"  # the action of its idempotency keys (core.IdempotencyKey)


def submit_checkin(
    person: Person, data: Mapping[str, Any], *, by, key: str = ""
) -> Written[CheckIn]:
    """Record (or correct, while its window is open) the person's check-in for the current
    slot. Returns (check-in, created).

    One transaction: the check-in, the relatives' lines of the day it carries (ADR 0017), the
    code it gives, and for an abnormal one (or an abnormal relative) the follow-up and the
    alert (whose robot deliveries go out after the commit). The same key returns the first
    outcome and changes nothing — for the first check-in and for a correction alike — so a
    retry on a bad connection never stores or alerts twice."""
    if by.person_id != person.pk:
        raise NotAllowed(_("You can only check in for yourself."))

    def write():
        return idempotent(
            CHECKIN, by=by, key=key, model=CheckIn, write=lambda: _check_in(person, data, by=by)
        )

    try:
        return write()
    except IntegrityError:
        # The slot's first check-in raced in from another request (a second phone, say) after
        # ours looked: ours was rolled back whole; run again, now as a correction.
        return write()


def _check_in(person: Person, data: Mapping[str, Any], *, by) -> Written[CheckIn]:
    org = person.organization
    # The level in force, the office's settings and the rule set change a few times a month
    # and are read by every check-in: kept in this process for a few seconds (core.memo).
    levels.remembered(org)
    answer = CheckInInput.parse(data, org)
    now = clock.now()
    today = timezone.localdate(now)
    opens, closes = window(org, today, answer.slot)
    if not opens <= now < closes:
        message = _("This check-in window has closed.")
        raise DomainError(message, code=HealthError.WINDOW_CLOSED, fields={"slot": message})
    rule_set = memo.remember(org.pk, "health.rule_set", lambda: active_rule_set(org))
    abnormal = answer.is_abnormal(rule_set.fever_threshold)
    with acting_as(by):
        code, slot_taken = _code_and_slot(person, today, answer.slot)
        checkin, created = _save(person, answer, abnormal, now, slot_taken)
        # The relatives' lines of the day, in the same transaction (none sent: no statement);
        # the abnormal ones back.
        unwell = save_lines(checkin, person, answer.relatives, rule_set.fever_threshold, now)
        # A check-in that reports nothing a rule reads (no fever, symptom, contact, sick
        # household member or travel) cannot change a green code: the rules need not run.
        if (
            abnormal
            or unwell
            or answer.left_city
            or code is None
            or code.colour != CodeColour.GREEN
        ):
            code, _changed = recompute_code(person, rule_set=rule_set)
        # The code in force after this check-in, so the answer need not read it again.
        checkin.code_in_force = code
        if abnormal or unwell:
            follow_up(checkin, unwell)
    return checkin, created


def _code_and_slot(person: Person, day, slot: str) -> tuple[HealthCode | None, bool]:
    """The person's code in force and whether the slot has a check-in already, in one query
    (two for a person who has no code yet)."""
    taken = CheckIn.objects.filter(person=person, date=day, slot=slot)
    code = (
        HealthCode.objects.current()
        .filter(person=person)
        .annotate(slot_taken=Exists(taken))
        .first()
    )
    if code is None:
        return None, taken.exists()
    return code, code.slot_taken


def _save(
    person: Person, answer: CheckInInput, abnormal: bool, now, slot_taken: bool
) -> Written[CheckIn]:
    """Insert the slot's first check-in, or correct the slot's check-in on its locked row.
    (Two first check-ins racing: the loser's insert breaks the unique constraint, its
    transaction is rolled back and submit_checkin runs it again as a correction.)"""
    today = timezone.localdate(now)
    fields = answer.fields()
    if not slot_taken:
        checkin = CheckIn.objects.create(
            organization_id=person.organization_id,
            person=person,
            unit_id=person.unit_id,
            date=today,
            is_abnormal=abnormal,
            submitted_at=now,
            updated_at=now,
            **fields,
        )
        return checkin, True
    checkin = locks.lock(CheckIn.objects.filter(person=person, date=today, slot=answer.slot))[0]
    checkin.person = person
    for name, value in fields.items():
        setattr(checkin, name, value)
    checkin.is_abnormal, checkin.updated_at = abnormal, now
    checkin.save(update_fields=[*fields, "is_abnormal", "updated_at"])
    return checkin, False


def describe_checkin(checkin: CheckIn) -> str:
    """What was abnormal about a check-in, in words (e.g. "38.2 °C, cough")."""
    parts = [f"{checkin.temperature} °C"]
    parts += [str(Symptom(s).label) for s in checkin.symptoms]
    if checkin.contact_confirmed or checkin.contact_suspected:
        parts.append(_("contact with a case"))
    if checkin.contact_risk_area:
        parts.append(_("contact with people from a risk area"))
    if checkin.household != Household.WELL:
        parts.append(str(Household(checkin.household).label))
    return _(", ").join(parts)


def follow_up(checkin: CheckIn, relatives: list[HouseholdCheckIn] = ()) -> Written[FollowUp]:
    """Open a follow-up item for an abnormal check-in — the person's own answers, or the
    abnormal lines of relatives they reported in it — and alert the unit head and the office
    at once. The alert is the person's episode: while it is open, a correction updates it (the
    latest reason, unread again) rather than alerting anew; a retried raise changes nothing."""
    # Alerts go to other people and groups: in the organization's language, not the sender's.
    with translation.override(settings.LANGUAGE_CODE), transaction.atomic(savepoint=False):
        parts = [describe_checkin(checkin)] if checkin.is_abnormal else []
        parts += [_("household member %(line)s") % {"line": describe_line(r)} for r in relatives]
        reason = _("; ").join(parts)[:300]
        item, created = FollowUp.objects.get_or_create(
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
            severity=Severity.CRITICAL,
            title=(
                _("Abnormal check-in: %(name)s (%(unit)s)")
                if checkin.is_abnormal
                else _("Household member abnormal: %(name)s (%(unit)s)")
            )
            % {"name": person.name, "unit": person.unit.name},
            body=reason,
            link=reverse("health:person", args=[person.pk]),
            unit=person.unit,
            to_roles=[Role.UNIT_HEAD, Role.OFFICE],
            dedup_key=f"health.abnormal:{checkin.pk}:{checkin.updated_at.isoformat()}",
            episode=f"health.abnormal:{person.pk}",
        )
    return item, created
