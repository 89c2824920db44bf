"""`{% flow_of case as f %}`: the case's escalation flow for its panel on the case page (the
open one, else the latest), drawn, with the steps the user may take next."""

import uuid

from django import template
from django.db.models import Case as DbCase
from django.db.models import Prefetch, When

from headwater.core import clock
from headwater.isolation.flow_diagram import svg
from headwater.isolation.models_flow import OPEN_STATES, Flow, FlowStep
from headwater.isolation.services.flow import next_actions

register = template.Library()


def with_steps(flows):
    return flows.prefetch_related(
        Prefetch("steps", queryset=FlowStep.objects.select_related("actor__person"))
    )


def open_first():
    """Open flows first (the open one, else the latest)."""
    return DbCase(When(state__in=OPEN_STATES, then=0), default=1)


def flow_view(flow: Flow, user, now=None) -> dict:
    now = now or clock.now()
    steps = list(flow.steps.all())  # prefetched by the callers (with their actors)
    return {
        "flow": flow,
        "svg": svg(flow, steps, now),
        "steps": steps,
        "actions": [(a, t.label) for a, t in next_actions(flow, user)],
        "key": uuid.uuid4().hex,
    }


@register.simple_tag
def flow_of(case, user):
    flow = (
        with_steps(Flow.objects.visible_to(user).filter(case=case).select_related("unit", "case"))
        .order_by(open_first(), "-opened_at", "-id")
        .first()
    )
    return flow_view(flow, user) if flow else None


@register.simple_tag
def overdue_flow_steps(user) -> int:
    """Open flows the user sees whose current step is past its deadline (one query)."""
    return (
        Flow.objects.visible_to(user).filter(state__in=OPEN_STATES, due_at__lte=clock.now()).count()
    )
