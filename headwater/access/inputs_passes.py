"""Typed inputs of the passes use-cases: the cards page and the API hand their data to
`parse`, the one place each rule is written; a refusal names every bad field at once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from django.utils.translation import gettext as _

from headwater.core import clock, inputs
from headwater.core.errors import invalid
from headwater.core.models import Person

MAX_CARD_YEARS = 3
MAX_PRINT = 200  # cards in one PDF (twenty A4 pages)


_number = inputs.id_value  # the one id reader (core.inputs)


@dataclass
class CardInput:
    """Who gets a printed card (by id or staff number) and until when."""

    person: Person
    expires_on: dt.date | None = None

    @classmethod
    def parse(cls, data: Mapping, user) -> CardInput:
        errors: dict[str, str] = {}
        person = None
        people = Person.objects.visible_to(user).filter(organization_id=user.organization_id)
        if data.get("person_id") not in (None, ""):
            pk = _number(data.get("person_id"))
            person = people.filter(pk=pk).first() if pk else None
        elif str(data.get("employee_no") or "").strip():
            person = people.filter(employee_no=str(data["employee_no"]).strip()[:30]).first()
        else:
            errors["employee_no"] = _("This field is required.")
        if person is None and not errors:
            errors["employee_no"] = _("No member of staff with this staff number.")
        expires_on = None
        raw = data.get("expires_on")
        if raw not in (None, ""):
            try:
                expires_on = raw if isinstance(raw, dt.date) else dt.date.fromisoformat(str(raw))
            except ValueError:
                errors["expires_on"] = _("Enter a date such as 2020-02-01.")
            else:
                today = clock.today()
                if expires_on < today:
                    errors["expires_on"] = _("Choose today or a later day.")
                elif expires_on > today + dt.timedelta(days=366 * MAX_CARD_YEARS):
                    errors["expires_on"] = _("A card is valid for at most three years.")
        if errors:
            raise invalid(errors)
        return cls(person=person, expires_on=expires_on)


def card_ids(values) -> list[int]:
    """The chosen cards' ids (bad ones dropped, at most MAX_PRINT)."""
    ids = [n for n in (_number(v) for v in values) if n]
    return list(dict.fromkeys(ids))[:MAX_PRINT]
