"""Duty's part of core.availability: leave (annual, sick, personal) makes a person
unavailable for its days."""

import datetime as dt

from headwater.core import availability
from headwater.duty.models import Leave


@availability.provider
def leave_absences(person_ids, start: dt.date, end: dt.date):
    rows = Leave.objects.filter(
        person_id__in=person_ids, starts_on__lte=end, ends_on__gte=start
    ).order_by("person_id", "starts_on")
    for leave in rows:
        yield availability.Absence(
            person_id=leave.person_id,
            start=leave.starts_on,
            end=leave.ends_on,
            reason=str(leave.get_kind_display()),
            source="duty",
        )
