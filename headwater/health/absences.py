"""Health's part of core.availability: a person with an epidemiological status (confirmed,
suspected, close contact, isolation, observation) is away for the status's period — the
isolation capability's cases write these statuses through health's services, so isolated
people are covered too."""

import datetime as dt

from django.db.models import Q

from headwater.core import availability
from headwater.health.models import StatusRecord


@availability.provider
def status_absences(person_ids, start: dt.date, end: dt.date):
    rows = (
        StatusRecord.objects.filter(person_id__in=person_ids, started_on__lte=end)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=start))
        .order_by("person_id", "started_on")
    )
    for record in rows:
        yield availability.Absence(
            person_id=record.person_id,
            start=record.started_on,
            end=record.ended_on,
            reason=str(record.get_kind_display()),
            source="health",
        )
