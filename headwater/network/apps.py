from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class NetworkConfig(AppConfig):
    name = "headwater.network"
    label = "network"
    verbose_name = _("Critical customers and the pipe network")

    def ready(self) -> None:
        from headwater.core import navigation, roles
        from headwater.core.audit import track
        from headwater.core.roles import Role
        from headwater.network import models as m
        from headwater.network import permissions as p
        from headwater.network import settings_registry  # noqa: F401 (it registers)

        # Nodes, links, valves, readings and ranks are bulk rows of a version or a device:
        # the version (below, without its .inp text), the customer, the point and the work
        # order are what is audited.
        for model in (m.CriticalCustomer, m.PressurePoint, m.WorkOrder):
            track(model)
        for role in (Role.OFFICE, Role.LEADER, Role.DISPATCHER, Role.CREW, Role.QUALITY):
            roles.grant(role, p.VIEW_NETWORK)
        roles.grant(Role.OFFICE, p.MANAGE_NETWORK, p.MANAGE_WORK_ORDERS)
        roles.grant(Role.DISPATCHER, p.MANAGE_WORK_ORDERS)
        roles.grant(Role.CREW, p.MANAGE_WORK_ORDERS)
        M = navigation.MenuItem
        # Each part adds its menu entries, tiles, sections, tasks and signals below.
        # Network models (管网模型): versions, valve layers and the demo's Net3 — its demo
        # extension first: the customers' and the pressure points' demos look up its model.
        from headwater.network import demo  # noqa: F401 (it registers the demo extension)

        # The .inp text of a version is kept whole on the row; the trail records the rest.
        track(m.NetworkModel, exclude=["inp"])
        label = pgettext_lazy("network models", "Network models")
        navigation.add(M(label, "network:models", p.MANAGE_NETWORK, 10, group="network"))
        # critical customers: the board, briefing section, tiles, screen panel, demo
        from headwater.network import (  # noqa: F401 (register)
            demo_customers,  # noqa: F401 (after the models' demo)
            screen,
            sections,
            tiles,
        )

        navigation.add(
            M(_("Critical customers"), "network:customers", p.VIEW_NETWORK, 10, group="network")
        )
        # criticality ranking (排查隐患): the page, the periodic recompute, the registry's signal
        from headwater.network import signals_ranking, tasks_ranking  # noqa: F401 (register)

        label = pgettext_lazy("ranking", "Hidden-risk check")
        navigation.add(M(label, "network:criticality", p.VIEW_NETWORK, 72, group="network"))
        # pressure watch: points, readings, alarms, silent points, the demo's readings
        navigation.add(
            M(_("Pressure watch"), "network:pressure_points", p.VIEW_NETWORK, 30, group="network")
        )
        from headwater.network import demo_pressure, tasks_pressure  # noqa: F401 (register)

        # the map (管网地图), the burst list and the work orders (管网工单)
        navigation.add(M(_("Network map"), "network:map", p.VIEW_NETWORK, 70, group="network"))
        navigation.add(
            M(_("Network work orders"), "network:work_orders", p.VIEW_NETWORK, 71, group="network")
        )
