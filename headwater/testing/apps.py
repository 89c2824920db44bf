from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TestingConfig(AppConfig):
    name = "headwater.testing"
    label = "testing"
    verbose_name = _("Test campaigns")

    def ready(self) -> None:
        from headwater.core import navigation, roles
        from headwater.core.audit import track
        from headwater.core.roles import Role
        from headwater.testing import models as m
        from headwater.testing import permissions as p

        for model in (
            m.Campaign,
            m.SamplingSite,
            m.CampaignOperator,
            m.Batch,
            m.RosterEntry,
            m.Tube,
            m.Sample,
            m.Retest,
        ):
            track(model)
        track(m.Outsider, mask=["phone", "id_number"])
        roles.grant(Role.OFFICE, p.VIEW_CAMPAIGNS, p.MANAGE_CAMPAIGNS)
        roles.grant(Role.LEADER, p.VIEW_CAMPAIGNS)
        roles.grant(Role.UNIT_HEAD, p.VIEW_CAMPAIGNS)
        M = navigation.MenuItem  # noqa: F841 (menu entries are added below, one per page)
        # completeness (不落一人): the reconciliation page, briefing, dashboard, tiles, demo
        from headwater.testing import demo, screen, sections, tiles  # noqa: F401 (they register)

        navigation.add(
            M(
                _("Test completeness"),
                "testing:completeness_current",
                p.VIEW_CAMPAIGNS,
                21,
                group="health",
            )
        )
        navigation.add(
            M(_("Test results"), "testing:results", p.MANAGE_CAMPAIGNS, 43, group="health")
        )
        navigation.add(M(_("Retests"), "testing:retests", p.VIEW_CAMPAIGNS, 44, group="health"))
        track(m.LabelSheet)
        track(m.BatchNotice)
        navigation.add(
            M(_("Test campaigns"), "testing:campaigns", p.VIEW_CAMPAIGNS, 45, group="health")
        )
        # The desk (the day of sampling): who works one is listed per campaign, not a role, so
        # the entry shows to every member of staff (no query on every page); the page lists
        # the desks the user works, or says they work none.
        navigation.add(
            M(
                _("My desks"),
                "testing:desk_home",
                None,
                9,
                when=navigation.has_person,
                group="daily",
            )
        )
