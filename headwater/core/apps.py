from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "headwater.core"
    label = "core"
    verbose_name = _("Organization and platform")

    def ready(self) -> None:
        from headwater.core import audit, levels, memo, tiles  # noqa: F401  (registers models, settings, tiles)
        from headwater.core import models as m

        # The check-in remembers the level in force and the office's settings (core.memo).
        memo.forget_on_change(m.Organization, m.ResponseLevelChange, m.LevelSettingValue)

        # The command dashboard (core.screen): office and leaders, the level and sites panels;
        # it remembers the sites and the reporting units (core.memo).
        from headwater.core import navigation, roles, screen
        from headwater.core.navigation import MenuItem

        roles.grant(roles.Role.OFFICE, screen.VIEW_DASHBOARD)
        roles.grant(roles.Role.LEADER, screen.VIEW_DASHBOARD)
        navigation.add(
            MenuItem(
                _("Command dashboard"),
                "dashboard:screen",
                screen.VIEW_DASHBOARD,
                61,
                when=screen.may_view,
                group="command",
            )
        )
        memo.forget_on_change(m.Site, m.Unit, m.RoleGrant)

        # Sign-in (core.accounts): the session's lifetime by role; a leaver's sessions end.
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import post_save

        from headwater.core import accounts

        user_logged_in.connect(accounts.apply_session_lifetime, dispatch_uid="hw_session_life")
        post_save.connect(accounts.end_leaver_sessions, sender=m.Person, dispatch_uid="hw_leaver")

        # Logins from the roster and their activation codes (core.logins).
        from headwater.core import logins

        logins.register()

        # The SMS sender's settings are checked by `manage.py check` (core.sms.check_sender).
        # "My household" (core.household): beside the check-in in the user's day.
        from headwater.core import (
            navigation,
            sms,  # noqa: F401
        )

        navigation.add(
            navigation.MenuItem(
                _("My household"),
                "core:household",
                None,
                2,
                when=navigation.has_person,
                group="daily",
            )
        )
