from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BriefingConfig(AppConfig):
    name = "headwater.briefing"
    label = "briefing"
    verbose_name = _("Daily briefing")

    def ready(self) -> None:
        from headwater.briefing import (
            demo,  # noqa: F401 (it registers)
            settings_registry,  # noqa: F401 (it registers)
        )
        from headwater.briefing.models import Briefing, Dispatch
        from headwater.briefing.permissions import GENERATE_BRIEFING, VIEW_BRIEFING
        from headwater.core import navigation, roles
        from headwater.core.audit import track
        from headwater.core.roles import Role

        # The content is the whole document (both languages): the trail keeps who generated
        # which version of which day, not the text.
        track(Briefing, exclude=["content"])
        track(Dispatch)
        roles.grant(Role.OFFICE, VIEW_BRIEFING, GENERATE_BRIEFING)
        roles.grant(Role.LEADER, VIEW_BRIEFING)
        navigation.add(
            navigation.MenuItem(
                _("Daily briefings"), "briefing:archive", VIEW_BRIEFING, 60, group="command"
            )
        )
