"""The typed inputs of the health use-cases. The page forms and the API schemas only shape
what people send; `parse` here is the one place its rules are written, and a refusal names
every bad field at once (core.errors.invalid), in the words the page and the API both show.

    answer = CheckInInput.parse(form.cleaned_data, organization)   # a page
    answer = CheckInInput.parse(payload.dict(), organization)      # the API
"""

import datetime as dt
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from headwater.core import clock
from headwater.core.errors import invalid
from headwater.core.models import Organization
from headwater.core.validators import INT_MAX, parse_temperature
from headwater.health.choices import Household, Symptom, Whereabouts
from headwater.health.windows import current_slot, slots_for

CONTACTS = ("contact_confirmed", "contact_suspected", "contact_risk_area")
TEXTS = (("location_note", 100), ("travel_to", 100), ("household_note", 200))
DATE_WINDOW_DAYS = 30


@dataclass
class CheckInInput:
    """Today's check-in as the rules accept it; the fields are those of health.CheckIn."""

    slot: str
    temperature: Decimal
    symptoms: list[str] = field(default_factory=list)
    whereabouts: str = Whereabouts.AT_WORK
    location_note: str = ""
    left_city: bool = False
    travel_to: str = ""
    returned_on: dt.date | None = None
    contact_confirmed: bool = False
    contact_suspected: bool = False
    contact_risk_area: bool = False
    last_contact_on: dt.date | None = None
    household: str = Household.WELL
    household_note: str = ""
    # The relatives' health lines of the day (家属), one per registered relative reported.
    relatives: list["RelativeLine"] = field(default_factory=list)

    @classmethod
    def parse(cls, data: Mapping[str, Any], organization: Organization) -> "CheckInInput":
        """The check-in in `data` (a form's cleaned data or an API body), or DomainError naming
        every bad field. An empty slot is the slot open now; details under a switch that is
        off (travel, a contact's date) are not part of the answer and are not checked."""
        errors: dict[str, str] = {}
        clean: dict[str, Any] = {}
        clean["temperature"], problem = parse_temperature(data.get("temperature"))
        if problem:
            errors["temperature"] = problem
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
        clean["slot"] = data.get("slot") or current_slot(organization)
        if clean["slot"] not in slots_for(organization):
            errors["slot"] = _("This slot is not open at the current response level.")
        for name in ("left_city", *CONTACTS):
            clean[name] = bool(data.get(name))
        for name, limit in TEXTS:
            clean[name] = str(data.get(name) or "").strip()[:limit]
        switched_on = {
            "returned_on": clean["left_city"],
            "last_contact_on": any(clean[n] for n in CONTACTS),
        }
        if not clean["left_city"]:
            clean["travel_to"] = ""
        for name in ("returned_on", "last_contact_on"):
            clean[name], problem = _recent_date(data.get(name)) if switched_on[name] else (None, "")
            if problem:
                errors[name] = problem
        if clean["left_city"] and not clean["travel_to"]:
            errors["travel_to"] = _("Say where you went.")
        clean["relatives"] = RelativeLine.parse_all(data.get("relatives"), errors)
        if errors:
            raise invalid(errors)
        return cls(**clean)

    def is_abnormal(self, fever_threshold: Decimal) -> bool:
        """Anything the unit head and the office must follow up."""
        return bool(
            self.temperature >= fever_threshold
            or self.symptoms
            or self.contact_confirmed
            or self.contact_suspected
            or self.contact_risk_area
            or self.household != Household.WELL
        )

    def fields(self) -> dict[str, Any]:
        """The columns of health.CheckIn (the relatives' lines are rows of their own)."""
        fields = asdict(self)
        del fields["relatives"]
        return fields


@dataclass
class RelativeLine:
    """One relative's health line in the check-in: temperature, symptoms (the staff's list),
    and travel or contact in the last 14 days with a note. Errors are named
    `relatives.<member id>.<field>`."""

    member_id: int
    temperature: Decimal
    symptoms: list[str] = field(default_factory=list)
    travel: bool = False
    note: str = ""

    @classmethod
    def parse_all(cls, raw: Any, errors: dict[str, str]) -> list["RelativeLine"]:
        """The lines in `raw` (a list of mappings); each bad field is added to `errors`."""
        if not raw:
            return []
        if not isinstance(raw, list | tuple):
            errors["relatives"] = _("Send the household members' lines as a list.")
            return []
        lines, seen = [], set()
        for item in raw:
            member_id = _member_id(item)
            if member_id is None or member_id in seen:
                errors["relatives"] = _("Each household member once, by their id.")
                continue
            seen.add(member_id)
            prefix = f"relatives.{member_id}."
            temperature, problem = parse_temperature(item.get("temperature"))
            if problem:
                errors[prefix + "temperature"] = problem
            given = item.get("symptoms") or []
            given = given if isinstance(given, list | tuple) else [given]
            known = [s for s in given if isinstance(s, str) and s in Symptom.values]
            if len(known) != len(given):
                errors[prefix + "symptoms"] = _("Unknown symptom.")
            symptoms = list(dict.fromkeys(known))
            travel = bool(item.get("travel"))
            note = str(item.get("note") or "").strip()[:200] if travel else ""
            if travel and not note:
                errors[prefix + "note"] = _("Say where they went or whom they met.")
            lines.append(cls(member_id, temperature, symptoms, travel, note))
        return lines

    def is_abnormal(self, fever_threshold: Decimal) -> bool:
        return bool(
            (self.temperature is not None and self.temperature >= fever_threshold)
            or self.symptoms
            or self.travel
        )


def _member_id(item: Any) -> int | None:
    if not isinstance(item, Mapping):
        return None
    try:
        value = int(item.get("member_id"))
    except (TypeError, ValueError):
        return None
    return value if 1 <= value <= INT_MAX else None


def _recent_date(raw: Any) -> tuple[dt.date | None, str]:
    """A date of the last 30 days, from a date or an ISO string; empty is no date."""
    value = raw or None
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value)
        except ValueError:
            return None, _("Enter a date.")
    today = clock.today()
    if value and not today - dt.timedelta(days=DATE_WINDOW_DAYS) <= value <= today:
        return None, _("The date must be within the last 30 days.")
    return value, ""


REPORT_COUNTS = ["on_duty", "working_from_home", "on_leave", "isolated", "abnormal"]


@dataclass
class UnitReportInput:
    """A unit's daily report: one whole number per count, notes, and whether it is a zero
    report (零报告: nobody abnormal). Counts that contradict each other are refused, never
    quietly changed: a zero report claiming abnormal people, or more abnormal people than the
    report counts at all (each abnormal person is also on duty, at home, on leave or
    isolated)."""

    counts: dict[str, int]
    notes: str = ""
    zero: bool = False

    @classmethod
    def parse(cls, counts: Mapping[str, Any], notes: str = "", zero: bool = False):
        errors: dict[str, str] = {}
        values: dict[str, int] = {}
        for name in REPORT_COUNTS:
            raw = counts.get(name, 0)
            try:
                values[name] = int(raw or 0)
                if values[name] < 0:
                    raise ValueError
            except (TypeError, ValueError):
                errors[name] = _("Enter a whole number, 0 or more.")
            else:
                if values[name] > INT_MAX:
                    errors[name] = _("This number is too large.")
        if errors:
            raise invalid(errors)
        abnormal = values["abnormal"]
        counted = sum(values[n] for n in REPORT_COUNTS if n != "abnormal")
        if zero and abnormal:
            errors["abnormal"] = _(
                "A zero report has no abnormal people, but %(n)s are entered. Send the report "
                "with the counts instead, or enter 0 if nobody is abnormal."
            ) % {"n": abnormal}
        elif abnormal > counted:
            errors["abnormal"] = _(
                "%(n)s abnormal people, but the report counts only %(counted)s people in all: "
                "count each abnormal person where they are (on duty, at home, on leave or "
                "isolated) too."
            ) % {"n": abnormal, "counted": counted}
        if errors:
            raise invalid(errors, _("The counts contradict each other; nothing was saved."))
        return cls(values, (notes or "").strip(), zero)
