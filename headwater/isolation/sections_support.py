"""The isolation app's second briefing section (core.tiles interface): service requests
opened and closed on the day reported, with their 7-day trends, and the escalation flows —
open ones and the steps past their deadline (OVERDUE, each named). None when the organization
has never had a request or a flow."""

import datetime as dt

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from headwater.core import clock
from headwater.core.tiles import (
    BriefingSection,
    Figure,
    Flag,
    FlagKind,
    Text,
    briefing_section,
    counts_by_day,
    days_to,
)
from headwater.isolation.models import Flow, ServiceRequest
from headwater.isolation.models_flow import OPEN_STATES
from headwater.isolation.services.flow import TRANSITIONS

NAMED = 10
# The step a flow waits for in each state: the first way out of it (its deadline's step).
NEXT_STEP = {state: t.label for (state, _action), t in reversed(TRANSITIONS.items())}
ITEMS = pgettext_lazy("unit of count", "items")


@briefing_section
def support_section(organization, date: dt.date) -> BriefingSection | None:
    """The day before `date`: requests booked and confirmed, flows open and late."""
    requests = ServiceRequest.objects.of(organization)
    flows = Flow.objects.of(organization)
    if not requests.exists() and not flows.exists():
        return None
    day = date - dt.timedelta(days=1)
    days = days_to(day)
    opened = list(counts_by_day(requests, "created_at", days).values())
    closed = list(counts_by_day(requests, "closed_at", days).values())
    end_of_day = clock.day_bounds(day)[1]
    open_flows = flows.filter(state__in=OPEN_STATES, opened_at__lt=end_of_day)
    late = list(
        open_flows.filter(due_at__lt=end_of_day)
        .select_related("person", "unit")
        .order_by("due_at", "id")
    )
    flags = [
        Flag(
            FlagKind.OVERDUE,
            Text(
                _("%(unit)s %(name)s: the escalation step “%(step)s” is past its deadline"),
                unit=Text.plain(f.unit.name),
                name=Text.plain(f.person.name),
                step=NEXT_STEP.get(f.state, f.get_state_display()),
            ),
        )
        for f in late[:NAMED]
    ]
    if len(late) > NAMED:
        flags.append(
            Flag(FlagKind.OVERDUE, Text(_("%(n)s more late escalation steps"), n=len(late) - NAMED))
        )
    return BriefingSection(
        _("Isolation services and escalation"),
        key="isolation.support",
        order=41,
        lines=[
            Text(
                _("Service requests: %(opened)s booked, %(closed)s confirmed as delivered."),
                opened=opened[-1],
                closed=closed[-1],
            ),
            Text(
                _("Escalation flows open: %(open)s; steps past their deadline: %(late)s."),
                open=open_flows.count(),
                late=len(late),
            ),
        ],
        figures=[
            Figure.over_days(
                "isolation.requests_opened", _("Service requests booked"), opened, unit=ITEMS
            ),
            Figure.over_days(
                "isolation.requests_closed",
                _("Service requests confirmed"),
                closed,
                unit=ITEMS,
                better="up",
            ),
            Figure(
                "isolation.flows_late",
                _("Escalation steps past their deadline"),
                len(late),
                unit=ITEMS,
                better="down",
            ),
        ],
        flags=flags,
        quiet="" if flags else _("Every escalation step was taken in time."),
    )
