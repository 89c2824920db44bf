from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HealthConfig(AppConfig):
    name = "headwater.health"
    label = "health"
    verbose_name = _("Health check-ins")

    def ready(self) -> None:
        # Imported here, not at the top: an AppConfig module is imported before the models
        # are ready.
        import headwater.health.screen  # noqa: F401 (its command-dashboard panels)
        from headwater.core import audit_display, codes, memo, navigation, roles
        from headwater.core.audit import track
        from headwater.core.roles import Role
        from headwater.health import (  # noqa: F401 (they register)
            demo,
            household,
            household_demo,
            household_section,
            sections,
            services,
            settings_registry,
            tiles,
        )
        from headwater.health import models as m
        from headwater.health import permissions as p
        from headwater.health.choices import Symptom

        for model in (
            m.CheckIn,
            m.StatusRecord,
            m.RiskArea,
            m.RuleSet,
            m.Rule,
            m.UnitReport,
            m.UnitReportFiling,
            m.ReminderRun,
            m.FollowUp,
            m.HealthCode,
            m.HouseholdCheckIn,
        ):
            track(model)
        # The check-in remembers the rule set in force (core.memo).
        memo.forget_on_change(m.RuleSet, m.Rule)
        # The one public read of a person's code, and the recompute other capabilities ask
        # for after changing a fact they provide (core.codes).
        audit_display.list_choices(m.CheckIn, "symptoms", Symptom.choices)
        audit_display.list_choices(m.HouseholdCheckIn, "symptoms", Symptom.choices)
        codes.register_reader(m.HealthCode.objects.code_views)
        codes.register_recomputer(services.recompute_person)
        from headwater.health import absences  # noqa: F401 (registers with core.availability)

        for role in Role.values:
            roles.grant(role, p.CHECK_IN)
        roles.grant(Role.UNIT_HEAD, p.VIEW_UNIT_CHECKINS, p.SUBMIT_UNIT_REPORT, p.SEND_REMINDERS)
        roles.grant(Role.MONITOR, p.VIEW_UNIT_CHECKINS)
        roles.grant(Role.LEADER, p.VIEW_UNIT_CHECKINS, p.VIEW_OVERVIEW)
        roles.grant(
            Role.OFFICE,
            p.VIEW_UNIT_CHECKINS,
            p.VIEW_OVERVIEW,
            p.MANAGE_RULES,
            p.MANAGE_RISK_AREAS,
            p.MANAGE_STATUSES,
            p.CLEAR_CONCEALMENT_FLAG,
            p.SEND_REMINDERS,
        )
        M = navigation.MenuItem
        for item in (
            M(
                _("Check in"),
                "health:checkin",
                p.CHECK_IN,
                1,
                when=navigation.has_person,
                group="daily",
            ),
            M(_("Unit check-ins"), "health:unit", p.VIEW_UNIT_CHECKINS, 2, group="health"),
            M(_("Health overview"), "health:overview", p.VIEW_OVERVIEW, 3, group="health"),
            M(
                _("Household screening"),
                "health:household_screening",
                p.VIEW_UNIT_CHECKINS,
                4,
                group="health",
            ),
            M(_("Code rules"), "health:rules", p.MANAGE_RULES, 60, group="health"),
            M(_("Risk areas"), "health:risk_areas", p.MANAGE_RISK_AREAS, 61, group="health"),
            M(
                _("Epidemiological statuses"),
                "health:statuses",
                p.MANAGE_STATUSES,
                62,
                group="health",
            ),
        ):
            navigation.add(item)
