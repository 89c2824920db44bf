from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DutyConfig(AppConfig):
    name = "headwater.duty"
    label = "duty"
    verbose_name = _("Duty")

    def ready(self) -> None:
        from headwater.core import navigation, roles
        from headwater.core.audit import track
        from headwater.core.roles import Role
        from headwater.duty import absences, settings_registry  # noqa: F401 (they register)
        from headwater.duty import models as m
        from headwater.duty import permissions as p

        for model in (
            m.Post,
            m.ShiftDef,
            m.Eligibility,
            m.Roster,
            m.Shift,
            m.Assignment,
            m.Leave,
            m.Preference,
            m.Swap,
            m.LogEntry,
            m.Handover,
            m.ShiftFlag,
            m.LoopGroup,
        ):
            track(model)
        for role in Role.values:
            roles.grant(role, p.VIEW_ON_DUTY)
        roles.grant(Role.UNIT_HEAD, p.VIEW_ROSTERS, p.MANAGE_ROSTERS)
        roles.grant(Role.LEADER, p.VIEW_ROSTERS)
        roles.grant(Role.OFFICE, p.VIEW_ROSTERS, p.MANAGE_ROSTERS, p.MANAGE_POSTS)
        M = navigation.MenuItem
        # continuity (一防三保): flags, replacements, margins, reserve pool, closed-loop groups
        from headwater.duty import demo, signals_continuity, tasks_continuity  # noqa: F401

        signals_continuity.connect()
        for item in (
            M(_("Shifts to cover"), "duty:flags", p.VIEW_ROSTERS, 41, group="organization"),
            M(_("Staffing margin"), "duty:margins", p.VIEW_ROSTERS, 42, group="organization"),
            M(_("Reserve pool"), "duty:reserve", p.VIEW_ROSTERS, 43, group="organization"),
            M(_("Closed-loop groups"), "duty:loops", p.VIEW_ROSTERS, 44, group="organization"),
        ):
            navigation.add(item)
