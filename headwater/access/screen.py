"""The gates' panels on the command dashboard (core.screen interface), for the organization
and today: passages in and refusals by reason (bars), the visitors (on site now, awaiting
their host, registered today) and the fill of today's meal slots (bars against their places).
Grouped aggregates: a handful of queries whatever the number of passages."""

import datetime as dt

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from headwater.access import now as gates_now
from headwater.access.choices import Decision, Direction, GateKind, RefusalReason, VisitState
from headwater.access.models import Gate, MealSlot, Passage, Visit
from headwater.core import clock
from headwater.core.screen import Panel, figure, screen_panel
from headwater.core.tiles import PEOPLE, Text


@screen_panel
def access_panels(organization, day: dt.date) -> list[Panel]:
    if not Gate.objects.filter(organization=organization).exists():
        return []
    start, end = clock.day_bounds(day)
    today = Passage.objects.filter(organization=organization, at__gte=start, at__lt=end)
    panels = [_passages(today), _visitors(organization, start, end)]
    slots = _slots(organization, today)
    if slots:
        panels.append(slots)
    return panels


def _passages(today) -> Panel:
    rows = list(
        today.order_by()
        .values_list("decision", "reason")
        .annotate(n=Count("id", filter=Q(direction=Direction.IN) | Q(decision=Decision.REFUSE)))
    )
    allowed = sum(n for decision, _r, n in rows if decision == Decision.ALLOW)
    reasons: dict[str, int] = {}
    for decision, reason, n in rows:
        if decision == Decision.REFUSE and n:
            reasons[reason] = reasons.get(reason, 0) + n
    items = [
        {
            "label": pgettext_lazy("gates report", "Let in"),
            "value": allowed,
            "text": f"{allowed:,}",
            "colour": "success",
        }
    ]
    for reason, n in sorted(reasons.items(), key=lambda item: (-item[1], item[0])):
        label = RefusalReason(reason).label if reason in RefusalReason.values else reason
        colour = "warning" if reason == RefusalReason.WRONG_SLOT else "danger"
        items.append(
            {
                "label": Text(_("Refused: %(reason)s"), reason=label),
                "value": n,
                "text": f"{n:,}",
                "colour": colour,
            }
        )
    refused = sum(reasons.values())
    return Panel(
        "access.passages",
        pgettext_lazy("gates report", "Passages today"),
        "bars",
        {"items": items, "max": max((i["value"] for i in items), default=0), "unit": PEOPLE},
        order=95,
        size="t",
        note=Text(_("%(n)s refused"), n=refused),
    )


def _visitors(organization, start, end) -> Panel:
    visits = Visit.objects.filter(organization=organization)
    counts = visits.aggregate(
        pending=Count("id", filter=Q(state=VisitState.PENDING)),
        registered=Count("id", filter=Q(registered_at__gte=start, registered_at__lt=end)),
        on_site=Count("id", filter=gates_now.on_site_q(clock.now())),
    )
    on_site = counts["on_site"]
    return Panel(
        "access.visitors",
        pgettext_lazy("gates report", "Visitors"),
        "figures",
        {
            "items": [
                figure(
                    "access.on_site",
                    pgettext_lazy("gates report", "On site now"),
                    on_site,
                    unit=PEOPLE,
                    colour="info",
                ),
                figure(
                    "access.pending",
                    pgettext_lazy("gates report", "Awaiting their host"),
                    counts["pending"],
                    unit=PEOPLE,
                    colour="warning" if counts["pending"] else "secondary",
                ),
                figure(
                    "access.registered",
                    pgettext_lazy("gates report", "Registered today"),
                    counts["registered"],
                    unit=PEOPLE,
                ),
            ]
        },
        order=96,
        size="w",
    )


def _slots(organization, today) -> Panel | None:
    slots = list(
        MealSlot.objects.filter(organization=organization)
        .select_related("canteen")
        .order_by("canteen__name", "position", "starts", "pk")
    )
    if not slots:
        return None
    fill = dict(
        today.filter(decision=Decision.ALLOW, gate__kind=GateKind.CANTEEN, slot__isnull=False)
        .order_by()
        .values_list("slot_id")
        .annotate(n=Count("id"))
    )
    items = []
    for slot in slots:
        n = fill.get(slot.pk, 0)
        share = n / slot.capacity if slot.capacity else 0
        items.append(
            {
                "label": f"{slot.canteen.name} {slot.starts:%H:%M}",
                "value": n,
                "text": f"{n:,} / {slot.capacity:,}",
                "colour": "danger" if share > 1 else "warning" if share >= 0.8 else "success",
            }
        )
    return Panel(
        "access.slots",
        _("Meal slot fill today"),
        "bars",
        {
            "items": items,
            "max": max(max(s.capacity for s in slots), *(i["value"] for i in items)),
            "unit": PEOPLE,
        },
        order=97,
        size="t",
    )
