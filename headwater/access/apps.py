from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccessConfig(AppConfig):
    name = "headwater.access"
    label = "access"
    verbose_name = _("Gates and checkpoints")

    def ready(self) -> None:
        from headwater.access import models as m
        from headwater.access import permissions as p
        from headwater.access import settings_registry  # noqa: F401 (it registers)
        from headwater.core import roles
        from headwater.core.audit import track
        from headwater.core.roles import Role

        for model in (
            m.Gate,
            m.GateDevice,
            m.GateTeam,
            m.GateTeamMember,
            m.MealSlot,
            m.DiningGroup,
            m.MealOrder,
            m.BusRoute,
            m.BusTrip,
            m.VehicleEntry,
        ):
            track(model)
        track(m.SigningKey, exclude=["private_key"])
        track(m.PassCard)
        track(m.Visit, mask=["phone", "id_number"])
        # Passage is append-only and huge: no audit rows (the passage is its own record).
        for role in Role.values:
            roles.grant(role, p.OWN_PASS)
        roles.grant(Role.GUARD, p.SCAN)
        roles.grant(Role.UNIT_HEAD, p.VIEW_PASSAGES)
        roles.grant(Role.LEADER, p.VIEW_PASSAGES)
        roles.grant(Role.OFFICE, p.VIEW_PASSAGES, p.SCAN, p.MANAGE_GATES, p.TRACE)
        # Each part adds its menu entries, tiles, sections and signals below:
        from headwater.access import scan_reads  # noqa: F401 (it forgets its memory on change)
        from headwater.core import navigation as nav  # the scanner page (a device's shell)

        nav.add(nav.MenuItem(_("Gate scanner"), "access:scanner", p.SCAN, 35, group="daily"))
