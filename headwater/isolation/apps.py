from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IsolationConfig(AppConfig):
    name = "headwater.isolation"
    label = "isolation"
    verbose_name = _("Isolation")

    def ready(self) -> None:
        from headwater.core import navigation, roles
        from headwater.core.audit import track
        from headwater.core.roles import Role
        from headwater.isolation import (  # noqa: F401 (they register)
            demo,
            sections,
            sections_support,
            settings_registry,
            tiles,
        )
        from headwater.isolation import models as m
        from headwater.isolation import permissions as p

        for model in (m.Case, m.CaseEvent, m.CaseCheck):
            track(model, mask=["address"] if model is m.Case else [])
        roles.grant(Role.MONITOR, p.RECORD_CHECKS)
        roles.grant(Role.UNIT_HEAD, p.VIEW_CASES)
        roles.grant(Role.LEADER, p.VIEW_CASES)
        roles.grant(Role.OFFICE, p.VIEW_CASES, p.MANAGE_CASES)
        M = navigation.MenuItem
        for item in (
            M(
                _("Today's monitoring"),
                "isolation:today",
                p.RECORD_CHECKS,
                5,
                when=navigation.has_person,
                group="daily",
            ),
            M(_("Isolation cases"), "isolation:list", p.VIEW_CASES, 10, group="health"),
        ):
            navigation.add(item)
        # service requests (服务预约)
        for model in (m.ServiceRequest, m.RequestEvent):
            track(model)
        roles.grant(Role.MONITOR, p.SERVE_REQUESTS)
        navigation.add(
            M(
                _("Service to-do"),
                "isolation:requests_todo",
                p.SERVE_REQUESTS,
                6,
                when=navigation.has_person,
                group="daily",
            )
        )
        # The escalation flow (应急处理流程)
        from headwater.isolation import models_flow as mf

        for model in (mf.Flow, mf.FlowStep):
            track(model)
        roles.grant(Role.UNIT_HEAD, p.HANDLE_FLOWS)
        roles.grant(Role.OFFICE, p.HANDLE_FLOWS)
        navigation.add(
            M(_("Escalation flows"), "isolation:flows", p.HANDLE_FLOWS, 11, group="health")
        )
        # Two-level supervision (ADR 0022): supervisors call a daily sample; unit heads close
        # the correction items of their units.
        from headwater.isolation import models_supervision as ms
        from headwater.isolation import tasks_supervision  # noqa: F401 (registers the 09:00 draw)

        for model in (ms.SupervisionCall, ms.Correction):
            track(model)
        roles.grant(Role.OFFICE, p.SUPERVISE)
        roles.grant(Role.LEADER, p.SUPERVISE)
        roles.grant(Role.UNIT_HEAD, p.CLOSE_CORRECTIONS)
        navigation.add(
            M(_("Today's supervision"), "isolation:supervision", p.SUPERVISE, 6, group="daily")
        )
        navigation.add(
            M(_("Correction items"), "isolation:corrections", p.VIEW_CASES, 11, group="health")
        )
