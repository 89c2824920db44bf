"""The network map page (管网地图, desktop): the current model drawn in the browser from the
geometry API, a side panel with the details of what was clicked and a pipe's burst analysis
drawn over the map. The page itself only carries the labels; `static/network/map.js` draws."""

from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from headwater.core.errors import DomainError
from headwater.network import reads_map
from headwater.network.choices import (
    LinkKind,
    LinkStatus,
    NodeKind,
    SupplyState,
    WorkOrderState,
)
from headwater.network.permissions import MANAGE_WORK_ORDERS, VIEW_NETWORK


def labels() -> dict:
    """Every word the map's script shows, translated here."""
    return {
        "series": {
            "pipes": _("Pipes"),
            "junctions": _("Junctions"),
            "tanks": _("Tanks"),
            "reservoirs": _("Reservoirs"),
            "valves": _("Isolation valves"),
            "customers": _("Critical customers"),
            "orders": _("Open work orders"),
            "segment": _("Segment that loses water"),
            "cut": _("Cut off (segment)"),
            "unintended": _("Cut off (unintended)"),
            "close": _("Valves to close"),
            "hydraulic": _("Loses water or pressure (hydraulic check)"),
            "affected": _("Critical customers affected"),
        },
        "node_kinds": dict(NodeKind.choices),
        "link_kinds": dict(LinkKind.choices),
        "link_status": dict(LinkStatus.choices),
        "states": dict(SupplyState.choices),
        "order_states": dict(WorkOrderState.choices),
        "fields": {
            "id": pgettext("network element", "ID"),
            "kind": _("Kind"),
            "dn": _("Diameter (DN)"),
            "length": _("Length (m)"),
            "material": _("Material"),
            "status": _("Status"),
            "start": _("Start node"),
            "end": _("End node"),
            "elevation": _("Elevation (m)"),
            "demand": _("Base demand (L/s)"),
            "nodes": _("Feeding nodes"),
            "feeds": _("Independent feeds"),
            "min_pressure": _("Minimum pressure (m)"),
            "duty_phone": _("Duty phone"),
            "contact": _("Contact person"),
            "contact_phone": _("Contact phone"),
            "state": _("Supply state"),
            "link": _("Pipe"),
            "node": _("Node"),
            "number": _("Number"),
            "title": _("Title"),
        },
        "words": {
            "analyse": _("Burst analysis"),
            "analysing": _("Analysing…"),
            "print": _("Printable list"),
            "open_order": _("Open work order"),
            "order": _("Open the work order"),
            "valves": _("Valves to close"),
            "cut_nodes": _("Junctions cut off"),
            "unintended": _("of which unintended"),
            "demand": _("Demand cut off (L/s)"),
            "population": _("Population affected"),
            "critical": _("Critical customers"),
            "none": _("None"),
            "lost": _("Lose water (hydraulic)"),
            "low": _("Below pressure (hydraulic)"),
            "seconds": _("Computed in %(s)s s"),
            "failed": _("The analysis failed"),
            "clear": _("Clear the analysis"),
            "no_coordinates": _("The model has no coordinates to draw."),
            "drawn": _("%(links)s links and %(nodes)s nodes drawn in %(ms)s ms."),
            "effects": {
                "cut": _("cut off"),
                "lost": _("loses water"),
                "low": _("below pressure"),
            },
        },
    }


@login_required
@permission_required(VIEW_NETWORK, raise_exception=True)
def map_page(request):
    try:
        model = reads_map.current_model(request.user)
    except DomainError as e:  # no model yet: the page says so (the menu leads here)
        return render(request, "network/map_page.html", {"error": e})
    config = {
        "geometry": reverse("api:network_map"),
        "burst": reverse("api:network_burst"),
        "burst_page": reverse("network:burst"),
        "order_page": reverse("network:work_order", args=[0]),
        "may_open": request.user.has_perm(MANAGE_WORK_ORDERS),
        "labels": labels(),
    }
    return render(request, "network/map_page.html", {"model": model, "config": config})
