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
        navigation.add(
            M(_("Duty rosters"), "duty:rosters", p.VIEW_ROSTERS, 40, group="organization")
        )
        navigation.add(M(_("Duty posts"), "duty:posts", p.MANAGE_POSTS, 41, group="organization"))
        navigation.add(M(_("My duty wishes"), "duty:wishes", p.VIEW_ON_DUTY, 40, group="daily"))
        # the "now" part: on duty now, my shifts and calendar, swaps, duty log, handovers
        from headwater.duty import screen, sections, tasks_now, tiles  # noqa: F401 (register)
        from headwater.duty.models_now import CalendarFeed

        track(CalendarFeed, mask=["secret"])
        mine = navigation.has_person
        for item in (
            M(_("On duty now"), "duty:on_duty", p.VIEW_ON_DUTY, 3, group="daily"),
            M(_("My shifts"), "duty:my_shifts", p.VIEW_ON_DUTY, 4, when=mine, group="daily"),
            M(_("Shift swaps"), "duty:swaps", p.VIEW_ROSTERS, 30, group="organization"),
            M(
                _("Shifts without handover"),
                "duty:missing_handovers",
                p.VIEW_ROSTERS,
                31,
                group="organization",
            ),
        ):
            navigation.add(item)
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
        from headwater.duty import contacts  # noqa: F401 (registers the same-shift contacts)
