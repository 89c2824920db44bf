"""The alerts panel of the command dashboard (core.screen interface): the organization's
latest alerts, newest first, coloured by severity; handled ones dimmed. The page marks the
alerts it had not shown before, so new ones stand out as they arrive."""

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from headwater.alerts.choices import AlertState, Severity
from headwater.alerts.models import Alert
from headwater.core.screen import Panel, screen_panel
from headwater.core.tiles import Text

LATEST = 20


def _time(moment: dt.datetime, day: dt.date) -> str:
    local = timezone.localtime(moment)
    return f"{local:%H:%M}" if local.date() == day else f"{local:%m-%d %H:%M}"


@screen_panel
def alerts_panels(organization, day: dt.date) -> list[Panel]:
    alerts = list(
        Alert.objects.for_organization(organization)
        .select_related("unit")
        .order_by("-created_at", "-id")[:LATEST]
    )
    items = []
    for a in alerts:
        parts = [a.unit.name] if a.unit else []
        if a.state != AlertState.OPEN:
            parts.append(AlertState(a.state).label)
        items.append(
            {
                "id": f"alert-{a.pk}",
                "time": _time(a.created_at, day),
                "text": a.title,
                "note": " · ".join(str(p) for p in parts),
                "colour": Severity.colour(a.severity),
                "muted": a.closed_at is not None,
            }
        )
    return [
        Panel(
            "alerts.latest",
            _("Latest alerts"),
            "list",
            {"items": items, "empty": _("No alerts."), "more": 0},
            order=30,
            size="t",
            note=Text(_("newest first, last %(n)s"), n=LATEST),
        )
    ]
