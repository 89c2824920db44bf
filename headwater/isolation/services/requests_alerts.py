"""Service requests not accepted in time (`isolation.request_accept_minutes`, per level) are
reported to the case's monitor — once per request (its `alerted_at` and the alert's dedup
key); a case without a monitor reports to its unit's heads."""

import datetime as dt

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from headwater.alerts.choices import Severity
from headwater.alerts.services import raise_alert
from headwater.core import clock, levels
from headwater.core.models import Organization, User
from headwater.isolation.choices_requests import RequestState
from headwater.isolation.models import ServiceRequest


def alert_unaccepted(organization: Organization, now: dt.datetime | None = None) -> int:
    """Raise one alert per open request booked more than the setting's minutes before `now`
    and not alerted yet; returns how many."""
    now = now or clock.now()
    minutes = levels.value(organization, "isolation.request_accept_minutes")
    late = (
        ServiceRequest.objects.of(organization)
        .filter(state=RequestState.OPEN, alerted_at=None)
        .filter(created_at__lte=now - dt.timedelta(minutes=minutes))
        .select_related("case__person", "case__household_member", "case__unit")
        .order_by("id")
    )
    count = 0
    for request in late:
        with transaction.atomic():
            _raise(organization, request, minutes)
            ServiceRequest.objects.filter(pk=request.pk).update(alerted_at=now)
        count += 1
    return count


def _raise(organization, request: ServiceRequest, minutes: int) -> None:
    case = request.case
    monitor = User.objects.filter(person_id=case.monitor_id).first() if case.monitor_id else None
    raise_alert(
        organization,
        kind="isolation.request_not_accepted",
        severity=Severity.WARNING,
        title=_("Service request for %(name)s not accepted in %(n)s minutes")
        % {"name": case.subject_name, "n": minutes},
        body=f"{request.get_kind_display()}：{request.details[:100]}",
        link=reverse("isolation:request", args=[request.pk]),
        unit=case.unit,
        to_users=[monitor] if monitor else [],
        to_roles=[] if monitor else ["unit_head"],
        dedup_key=f"isolation.request:{request.pk}",
        robots=False,
    )
