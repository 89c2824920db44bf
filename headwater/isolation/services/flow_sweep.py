"""An overdue step of an escalation flow alerts the next level at once: the unit head when
nobody has informed them in time, the office when the unit head has not, the office and the
leaders when the referral is late. Once per flow and step (`alerted`, and the alert's dedup
key `isolation.flow:<flow>:<state>`).

The sweep (every minute) reads the overdue, not yet reported flows in one indexed query;
with nothing late it costs that one query however many flows are open."""

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext as _

from headwater.alerts.choices import Severity
from headwater.alerts.services import raise_alert
from headwater.core import clock
from headwater.isolation.models_flow import Flow, FlowState

S = FlowState
# Who is told when the step after a state is late.
NEXT_LEVEL = {
    S.REPORTED: (["unit_head"], Severity.WARNING),
    S.HEAD_INFORMED: (["office"], Severity.CRITICAL),
    S.OFFICE_INFORMED: (["office", "leader"], Severity.CRITICAL),
}


def overdue(now: dt.datetime | None = None):
    """Open flows whose current step is past its deadline and not reported yet."""
    return Flow.objects.filter(
        due_at__lte=now or clock.now(), alerted=False, state__in=list(NEXT_LEVEL)
    )


def escalate_overdue_flows(now: dt.datetime | None = None) -> int:
    """Alert the next level for every late step not reported yet; returns how many."""
    now = now or clock.now()
    flows = list(overdue(now).select_related("organization", "unit", "person").order_by("due_at"))
    for flow in flows:
        _raise(flow, now)
    if flows:
        Flow.objects.filter(pk__in=[f.pk for f in flows]).update(alerted=True)
    return len(flows)


def _raise(flow: Flow, now: dt.datetime) -> None:
    roles, severity = NEXT_LEVEL[flow.state]
    late = int((now - flow.due_at).total_seconds() // 60)
    link = (
        reverse("isolation:case", args=[flow.case_id])
        if flow.case_id
        else reverse("isolation:flows")
    )
    raise_alert(
        flow.organization,
        kind="isolation.flow_overdue",
        severity=severity,
        title=_("Escalation flow overdue: %(name)s") % {"name": flow.person.name},
        body=_("“%(finding)s” — the step after “%(state)s” is %(late)s minutes late.")
        % {"finding": flow.finding, "state": flow.get_state_display(), "late": late},
        link=link,
        unit=flow.unit,
        to_roles=roles,
        dedup_key=f"isolation.flow:{flow.pk}:{flow.state}",
    )
