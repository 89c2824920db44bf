"""`{% flow_of case as f %}`: the case's escalation flow for its panel on the case page (the
open one, else the latest), drawn, with the steps the user may take next."""

import uuid

from django import template

from headwater.core import clock
from headwater.isolation.flow_diagram import svg
from headwater.isolation.models_flow import OPEN_STATES, Flow
from headwater.isolation.services.flow import next_actions

register = template.Library()


def flow_view(flow: Flow, user, now=None) -> dict:
    now = now or clock.now()
    steps = list(flow.steps.select_related("actor__person"))
    return {
        "flow": flow,
        "svg": svg(flow, steps, now),
        "steps": steps,
        "actions": [(a, t.label) for a, t in next_actions(flow, user)],
        "key": uuid.uuid4().hex,
    }


@register.simple_tag
def flow_of(case, user):
    flows = Flow.objects.visible_to(user).filter(case=case).select_related("unit", "case")
    flow = flows.filter(state__in=OPEN_STATES).first() or flows.first()
    return flow_view(flow, user) if flow else None
