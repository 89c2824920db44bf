"""Typed input of contact tracing, shared by the page and the API: whom, which window, how
deep (the window defaults to the last 14 days up to now)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from headwater.core import clock
from headwater.core.errors import invalid
from headwater.core.models import Person

DEFAULT_DAYS = 14


def _moment(raw: Any, name: str, errors: dict, *, end: bool) -> dt.datetime | None:
    if isinstance(raw, dt.datetime):
        return raw if timezone.is_aware(raw) else timezone.make_aware(raw)
    text = str(raw or "").strip()
    if not text:
        return None
    try:
        day = parse_date(text) if len(text) == 10 else None
        if day is not None:  # a whole day: from its start, or to the end of it
            day += dt.timedelta(days=1) if end else dt.timedelta()
            moment = dt.datetime.combine(day, dt.time())
        else:
            moment = parse_datetime(text)
    except (ValueError, OverflowError):
        moment = None
    if moment is None or not 1900 <= moment.year <= 2999:
        errors[name] = _("Enter a date (YYYY-MM-DD) or a date and time.")
        return None
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


@dataclass
class TraceInput:
    person: Person
    start: dt.datetime
    end: dt.datetime
    depth: int

    @classmethod
    def parse(cls, data: Mapping[str, Any], people) -> TraceInput:
        """`people`: the queryset the caller may pick from (`Person.objects.visible_to`)."""
        errors: dict[str, str] = {}
        person = None
        raw = str(data.get("person_id") or "").strip()
        if not raw.isdigit() or len(raw) > 18:
            errors["person_id"] = _("Choose the person to trace.")
        else:
            person = people.filter(pk=int(raw)).select_related("organization").first()
            if person is None:
                errors["person_id"] = _("Choose the person to trace.")
        now = clock.now()
        end = _moment(data.get("end"), "end", errors, end=True) or now
        start = _moment(data.get("start"), "start", errors, end=False)
        start = start or end - dt.timedelta(days=DEFAULT_DAYS)
        depth = str(data.get("depth") or "2").strip()
        if depth not in ("1", "2"):
            errors["depth"] = _("Trace one or two levels deep.")
        if errors:
            raise invalid(errors)
        return cls(person, start, end, int(depth))
