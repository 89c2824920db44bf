from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


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
        # the version, the customer, the point and the work order are what is audited.
        for model in (m.NetworkModel, m.CriticalCustomer, m.PressurePoint, m.WorkOrder):
            track(model)
        for role in (Role.OFFICE, Role.LEADER, Role.DISPATCHER, Role.CREW, Role.QUALITY):
            roles.grant(role, p.VIEW_NETWORK)
        roles.grant(Role.OFFICE, p.MANAGE_NETWORK, p.MANAGE_WORK_ORDERS)
        roles.grant(Role.DISPATCHER, p.MANAGE_WORK_ORDERS)
        roles.grant(Role.CREW, p.MANAGE_WORK_ORDERS)
        M = navigation.MenuItem  # noqa: F841 (the parts add their menu entries below)
        # Each part adds its menu entries, tiles, sections, tasks and signals below:
        # the map (管网地图), the burst list and the work orders (管网工单)
        navigation.add(M(_("Network map"), "network:map", p.VIEW_NETWORK, 70, group="network"))
        navigation.add(
            M(_("Network work orders"), "network:work_orders", p.VIEW_NETWORK, 71, group="network")
        )
