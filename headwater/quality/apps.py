from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QualityConfig(AppConfig):
    name = "headwater.quality"
    label = "quality"
    verbose_name = _("Water quality")

    def ready(self) -> None:
        import headwater.quality.screen  # noqa: F401 (its command-dashboard panels)
        from headwater.core import navigation, roles
        from headwater.core.audit import track
        from headwater.core.roles import Role
        from headwater.quality import (  # noqa: F401 (they register)
            demo,
            sections,
            settings_registry,
            tiles,
        )
        from headwater.quality import models as m
        from headwater.quality import permissions as p

        for model in (
            m.Lab,
            m.SamplingPoint,
            m.SamplingPlan,
            m.SamplingTask,
            m.Sample,
            m.Result,
            m.InternalLimit,
            m.Relaxation,
        ):
            track(model)
        roles.grant(Role.LAB_TECH, p.VIEW, p.ENTER_RESULTS)
        roles.grant(Role.LAB_REVIEWER, p.VIEW, p.ENTER_RESULTS, p.CHECK_RESULTS, p.VIEW_REPORTS)
        roles.grant(
            Role.QUALITY,
            p.VIEW,
            p.ENTER_RESULTS,
            p.APPROVE_RESULTS,
            p.MANAGE,
            p.MANAGE_LIMITS,
            p.VIEW_REPORTS,
        )
        roles.grant(Role.OFFICE, p.VIEW, p.VIEW_REPORTS, p.MANAGE_LIMITS, p.APPROVE_RELAXATION)
        roles.grant(Role.LEADER, p.VIEW, p.VIEW_REPORTS, p.APPROVE_RELAXATION)
        roles.grant(Role.UNIT_HEAD, p.VIEW, p.VIEW_REPORTS)
        roles.grant(Role.REGULATOR, p.VIEW_REPORTS)
        M = navigation.MenuItem
        for item in (
            M(_("Sampling tasks"), "quality:tasks", p.ENTER_RESULTS, 20, group="quality"),
            M(_("Result review"), "quality:review", p.VIEW, 21, group="quality"),
            M(_("Water quality report"), "quality:report", p.VIEW_REPORTS, 22, group="quality"),
            M(_("Sampling points and plans"), "quality:setup", p.VIEW, 63, group="quality"),
            M(_("Limits and relaxations"), "quality:limits", p.VIEW, 64, group="quality"),
        ):
            navigation.add(item)
