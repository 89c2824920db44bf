"""The escalation flow drawn as a server-side SVG (no script, no fetch, no style attribute:
SVG presentation attributes only, so the page's CSP holds): one box per step, the steps done
in green with their time and actor, the current one in amber (red when late) with its
remaining time, the rest in grey."""

import datetime as dt
import math

from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from headwater.isolation.models_flow import Flow, FlowState

S = FlowState
CHAIN = [S.REPORTED, S.HEAD_INFORMED, S.OFFICE_INFORMED, S.REFERRED]
OUTCOMES = [S.CLEARED, S.SUSPECTED, S.CONFIRMED, S.HOSPITALIZED]
WIDTH, BOX, GAP, PAD = 320, 50, 20, 4
COLORS = {  # fill, stroke, text
    "done": ("#d1e7dd", "#198754", "#0f5132"),
    "current": ("#fff3cd", "#e0a800", "#664d03"),
    "late": ("#f8d7da", "#dc3545", "#842029"),
    "todo": ("#f8f9fa", "#adb5bd", "#6c757d"),
}


def remaining(due: dt.datetime | None, now: dt.datetime) -> tuple[str, bool]:
    """The current step's remaining time as text, and whether it is late."""
    if due is None:
        return "", False
    seconds = (due - now).total_seconds()
    if seconds < 0:
        return _("%(n)s min overdue") % {"n": math.ceil(-seconds / 60)}, True
    return _("%(n)s min left") % {"n": math.ceil(seconds / 60)}, False


def _when(moment: dt.datetime) -> str:
    return f"{timezone.localtime(moment):%m-%d %H:%M}"


def boxes(flow: Flow, steps: list, now: dt.datetime) -> list[dict]:
    """What each box shows: its label, its kind (done/current/late/todo) and a line. A step
    reached is done (its time and actor); the step after the flow's state is the current one
    (its remaining time); an outcome closes the chain."""
    done = {s.step: s for s in steps}
    closed = flow.state in OUTCOMES
    following = None
    if flow.state in CHAIN and CHAIN.index(flow.state) + 1 < len(CHAIN):
        following = CHAIN[CHAIN.index(flow.state) + 1]
    rows = []
    for state in CHAIN:
        step = done.get(state)
        if step:
            who = ""
            if step.actor_id:
                who = step.actor.person.name if step.actor.person_id else step.actor.username
            rows.append(
                {"label": state.label, "kind": "done", "line": f"{_when(step.done_at)} {who}"}
            )
        elif state == following:
            text, late = remaining(flow.due_at, now)
            rows.append({"label": state.label, "kind": "late" if late else "current", "line": text})
        else:
            rows.append({"label": state.label, "kind": "todo", "line": "—" if closed else ""})
    if closed:
        step = done.get(flow.state)
        line = _when(step.done_at) if step else ""
        rows.append({"label": flow.get_state_display(), "kind": "done", "line": line})
    else:
        kind = "current" if flow.state == S.REFERRED else "todo"
        line = "／".join(str(s.label) for s in OUTCOMES)
        rows.append({"label": _("Outcome of the finding"), "kind": kind, "line": line})
    return rows


def svg(flow: Flow, steps: list, now: dt.datetime) -> SafeString:
    rows = boxes(flow, steps, now)
    height = len(rows) * (BOX + GAP) - GAP + 2 * PAD
    parts = [
        format_html(
            '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" width="{}" '
            'height="{}" role="img" aria-label="{}" data-testid="flow-diagram" '
            'class="flow-diagram mw-100 h-auto d-block">',
            WIDTH,
            height,
            WIDTH,
            height,
            _("Escalation flow"),
        )
    ]
    for i, row in enumerate(rows):
        y = PAD + i * (BOX + GAP)
        fill, stroke, ink = COLORS[row["kind"]]
        width = 3 if row["kind"] in ("current", "late") else 1.5
        parts.append(
            format_html(
                '<g data-step="{}" data-kind="{}"><rect x="{}" y="{}" width="{}" height="{}" '
                'rx="8" fill="{}" stroke="{}" stroke-width="{}"/>'
                '<text x="{}" y="{}" font-size="15" font-weight="600" fill="{}">{}</text>'
                '<text x="{}" y="{}" font-size="13" fill="{}">{}</text></g>',
                i,
                row["kind"],
                PAD,
                y,
                WIDTH - 2 * PAD,
                BOX,
                fill,
                stroke,
                width,
                PAD + 12,
                y + 21,
                ink,
                row["label"],
                PAD + 12,
                y + 40,
                ink,
                row["line"],
            )
        )
        if i < len(rows) - 1:
            x, top = WIDTH // 2, y + BOX
            parts.append(
                format_html(
                    '<path d="M{} {} V{} M{} {} L{} {} L{} {}" stroke="#6c757d" '
                    'stroke-width="1.5" fill="none"/>',
                    x,
                    top + 2,
                    top + GAP - 2,
                    x - 5,
                    top + GAP - 8,
                    x,
                    top + GAP - 2,
                    x + 5,
                    top + GAP - 8,
                )
            )
    parts.append(mark_safe("</svg>"))
    return mark_safe("".join(str(p) for p in parts))
