"""The network's panel on the command dashboard (core.screen interface): the critical
customers not fed now (cut off first, then at risk), each with its first reason. The
board's few queries; [] for an organization without critical customers."""

import datetime as dt

from django.utils.translation import gettext_lazy as _

from headwater.core.screen import Panel, screen_panel
from headwater.core.tiles import Text
from headwater.network.choices import SupplyState
from headwater.network.services import board

SHOWN = 12


@screen_panel
def network_panels(organization, day: dt.date) -> list[Panel]:
    rows = board.states(organization)
    if not rows:
        return []
    not_fed = [r for r in rows if r.state != SupplyState.FED]
    items = [
        {
            "id": f"network.customer.{r.customer.pk}.{r.state}",
            "time": r.state_label,
            "text": Text.plain(r.customer.name),
            "note": r.reasons[0] if r.reasons else "",
            "colour": board.COLOURS[r.state],
            "muted": False,
        }
        for r in not_fed[:SHOWN]
    ]
    return [
        Panel(
            "network.customers",
            _("Critical customers not fed"),
            "list",
            {
                "items": items,
                "empty": _("Every critical customer is fed."),
                "more": max(len(not_fed) - SHOWN, 0),
            },
            order=88,  # after quality and testing: the first screen stays health and quality
            size="t",
            note=Text(
                _("%(cut)s cut off, %(risk)s at risk of %(n)s"),
                cut=sum(r.state == SupplyState.CUT for r in rows),
                risk=sum(r.state == SupplyState.AT_RISK for r in rows),
                n=len(rows),
            ),
        )
    ]
