"""The network's home tiles (core.tiles interface), for holders of `network.view_network`
(the network is organization-wide): critical customers cut off / at risk now, and the
active work orders. The board's few queries and one count."""

from django.urls import reverse
from django.utils.translation import gettext as _

from headwater.core.tiles import Tile, tile_provider
from headwater.network.choices import SupplyState, WorkOrderState
from headwater.network.models import CriticalCustomer, WorkOrder
from headwater.network.permissions import VIEW_NETWORK
from headwater.network.services import board


@tile_provider
def network_tiles(user, organization) -> list[Tile]:
    if not user.has_perm(VIEW_NETWORK):
        return []
    customers = CriticalCustomer.objects.visible_to(user).filter(active=True)
    rows = board.states(organization, customers)
    orders = WorkOrder.objects.visible_to(user).filter(state__in=WorkOrderState.active()).count()
    if not rows and not orders:
        return []
    counts = board.counts(rows)
    cut, risk = counts[SupplyState.CUT], counts[SupplyState.AT_RISK]
    return [
        Tile(
            _("Critical customers cut off / at risk"),
            f"{cut:,} / {risk:,}",
            note=_("%(n)s critical customers") % {"n": counts["total"]},
            url=reverse("network:customers"),
            colour="danger" if cut else "warning" if risk else "success",
            order=40,
        ),
        Tile(
            _("Active network work orders"),
            f"{orders:,}",
            colour="warning" if orders else "success",
            order=41,
        ),
    ]
