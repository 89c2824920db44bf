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
        ):
            track(model)
        # visits and vehicle entries: ready_visitors.py (masked, without their client keys)
        track(m.SigningKey, exclude=["private_key"])
        track(m.PassCard)
        # Passage is append-only and huge: no audit rows (the passage is its own record).
        for role in Role.values:
            roles.grant(role, p.OWN_PASS)
        roles.grant(Role.GUARD, p.SCAN)
        roles.grant(Role.UNIT_HEAD, p.VIEW_PASSAGES)
        roles.grant(Role.LEADER, p.VIEW_PASSAGES)
        roles.grant(Role.OFFICE, p.VIEW_PASSAGES, p.SCAN, p.MANAGE_GATES, p.TRACE)
        # Each part adds its menu entries, tiles, sections and signals below:
        from headwater.core import navigation  # passes: my pass, printed cards, signing keys

        mine, M = navigation.has_person, navigation.MenuItem
        navigation.add(M(_("My pass"), "access:my_pass", p.OWN_PASS, 1, when=mine, group="daily"))
        navigation.add(
            M(_("Pass cards"), "access:pass_cards", p.MANAGE_GATES, 50, group="organization")
        )
        navigation.add(
            M(_("Signing keys"), "access:signing_keys", p.MANAGE_GATES, 51, group="organization")
        )
        # dining (错峰就餐): ordering meals, the canteen slots and rotation, the live fill
        from headwater.access import apps_dining

        apps_dining.ready()
        # buses and reporting: the bus pages, the briefing section, tiles, panels, demo data
        from django.utils.translation import pgettext_lazy

        from headwater.access import demo, screen, sections, tiles  # noqa: F401 (they register)
        from headwater.core import navigation

        navigation.add(
            navigation.MenuItem(
                pgettext_lazy("bus", "Commute buses"),
                "access:buses",
                p.VIEW_PASSAGES,
                60,
                group="command",
            )
        )
        navigation.add(
            navigation.MenuItem(
                pgettext_lazy("bus", "My bus"), "access:bus_mine", p.SCAN, 12, group="daily"
            )
        )
        from django.utils.translation import pgettext_lazy  # gates (ADR 0025) from here

        from headwater.access import (
            ready_visitors,  # noqa: F401 (menu, audit of visits)
            scan_reads,  # noqa: F401 (it forgets its memory on change)
        )
        from headwater.access.permissions_gates import MANAGE_TEAMS
        from headwater.core import navigation

        roles.grant(Role.OFFICE, MANAGE_TEAMS)
        roles.grant(Role.UNIT_HEAD, MANAGE_TEAMS)
        gates_label, teams_label = (
            pgettext_lazy("gates", "Gate posts"),
            pgettext_lazy("gates", "Import duty teams"),
        )
        for label, url, perm, order in (
            (gates_label, "access:gates", p.VIEW_PASSAGES, 45),
            (teams_label, "access:gate_teams_import", MANAGE_TEAMS, 46),
        ):
            navigation.add(navigation.MenuItem(label, url, perm, order, group="organization"))
        from headwater.access import tasks_tracing, tracing_contacts, tracing_reach  # noqa: F401
        from headwater.core.navigation import MenuItem, add  # contact tracing (office)

        add(MenuItem(_("Contact tracing"), "access:tracing", p.TRACE, 30, group="health"))
        from headwater.core import navigation as nav  # the scanner page (a device's shell)

        nav.add(nav.MenuItem(_("Gate scanner"), "access:scanner", p.SCAN, 35, group="daily"))
