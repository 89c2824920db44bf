"""The typed inputs of the isolation use-cases: the page forms and the API schemas hand their
data to `parse`, the one place its rules are written; a refusal names every bad field at once."""

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from headwater.core import clock, inputs, levels
from headwater.core.errors import invalid
from headwater.core.inputs import date_field, temperature_field
from headwater.core.models import HouseholdMember, Organization, Person
from headwater.isolation.choices import CaseKind, Channel, Mood

FEVER = Decimal("37.3")
DATE_WINDOW_DAYS = 60
DAYS_SETTING = {
    CaseKind.HOME: "isolation.days_home",
    CaseKind.CENTRALIZED: "isolation.days_centralized",
    CaseKind.OBSERVATION: "isolation.days_observation",
}


_text = inputs.text_field  # the one text reader (core.inputs)


def _date(data: Mapping, name: str, errors: dict, *, required=False) -> dt.date | None:
    return date_field(data, name, errors, required=required)


def _person(organization: Organization, raw: Any, name: str, errors: dict) -> Person | None:
    if raw in (None, ""):
        return None
    person = (
        Person.objects.filter(organization_id=getattr(organization, "pk", organization))
        .select_related("unit")
        .filter(pk=_int(raw))
        .first()
        if _int(raw)
        else None
    )
    if person is None:
        errors[name] = _("No such member of staff.")
    return person


_int = inputs.id_value  # the one id reader (core.inputs)


@dataclass
class CaseInput:
    """A case to open: its subject, kind, dates, address, household and who serves it."""

    person: Person
    kind: str
    reason: str
    started_on: dt.date
    planned_end: dt.date
    exposure_on: dt.date | None = None
    address: str = ""
    household_member: HouseholdMember | None = None
    household_isolated: list[HouseholdMember] = field(default_factory=list)
    monitor: Person | None = None
    volunteer: Person | None = None

    @classmethod
    def parse(cls, data: Mapping[str, Any], organization: Organization) -> "CaseInput":
        errors: dict[str, str] = {}
        person = _person(organization, data.get("person_id"), "person_id", errors)
        if person is None and "person_id" not in errors:
            errors["person_id"] = _("Choose the member of staff.")
        kind = str(data.get("kind") or "")
        if kind not in CaseKind.values:
            errors["kind"] = _("Choose home, centralized isolation or medical observation.")
        reason = _text(data, "reason", 300, errors, required=True)
        address = _text(data, "address", 200, errors)
        started = _date(data, "started_on", errors) or clock.today()
        if started > clock.today():
            errors["started_on"] = _("The start cannot be in the future.")
        exposure = _date(data, "exposure_on", errors)
        if exposure and exposure > started:
            errors["exposure_on"] = _("The last exposure is after the start.")
        planned = _date(data, "planned_end", errors)
        if planned is None and kind in CaseKind.values:
            days = levels.value(organization, DAYS_SETTING[kind])
            planned = started + dt.timedelta(days=days)
        if planned and planned < started:
            errors["planned_end"] = _("The planned end is before the start.")
        own = {m.pk: m for m in (person.household.all() if person else [])}
        relative = None
        if data.get("household_member_id") not in (None, ""):
            relative = own.get(_int(data.get("household_member_id")))
            if relative is None:
                errors["household_member_id"] = _("Not a household member of this person.")
        isolated = []
        for raw in data.get("household_ids") or []:
            member = own.get(_int(raw))
            if member is None:
                errors["household_ids"] = _("Not a household member of this person.")
            elif member != relative:
                isolated.append(member)
        monitor = _person(organization, data.get("monitor_id"), "monitor_id", errors)
        volunteer = _person(organization, data.get("volunteer_id"), "volunteer_id", errors)
        if errors:
            raise invalid(errors)
        return cls(
            person=person,
            kind=kind,
            reason=reason,
            started_on=started,
            planned_end=planned,
            exposure_on=exposure,
            address=address,
            household_member=relative,
            household_isolated=isolated,
            monitor=monitor,
            volunteer=volunteer,
        )


@dataclass
class CheckInput:
    """One daily follow-up of an isolated person, as the monitor records it."""

    channel: str
    morning_temperature: Decimal | None = None
    afternoon_temperature: Decimal | None = None
    symptoms: str = ""
    needs: str = ""
    mood: str = Mood.GOOD
    note: str = ""

    @classmethod
    def parse(cls, data: Mapping[str, Any]) -> "CheckInput":
        errors: dict[str, str] = {}
        channel = str(data.get("channel") or "")
        if channel not in Channel.values:
            errors["channel"] = _("Choose phone, video or visit.")
        mood = str(data.get("mood") or Mood.GOOD)
        if mood not in Mood.values:
            errors["mood"] = _("Choose good, fair or low.")
        morning = temperature_field(data, "morning_temperature", errors)
        afternoon = temperature_field(data, "afternoon_temperature", errors)
        if morning is None and afternoon is None and not errors:
            errors["morning_temperature"] = _("Enter at least one temperature.")
        values = {
            "symptoms": _text(data, "symptoms", 200, errors),
            "needs": _text(data, "needs", 300, errors),
            "note": _text(data, "note", 300, errors),
        }
        if errors:
            raise invalid(errors)
        return cls(channel, morning, afternoon, mood=mood, **values)

    @property
    def is_normal(self) -> bool:
        temps = [t for t in (self.morning_temperature, self.afternoon_temperature) if t]
        return not self.symptoms and all(t < FEVER for t in temps)
