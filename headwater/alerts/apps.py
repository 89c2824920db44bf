from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlertsConfig(AppConfig):
    name = "headwater.alerts"
    label = "alerts"
    verbose_name = _("Alerts")

    def ready(self) -> None:
        import headwater.alerts.screen  # noqa: F401 (its command-dashboard panel)
        from headwater.alerts import settings_registry  # noqa: F401 (it registers)
        from headwater.alerts.models import WebhookChannel
        from headwater.alerts.permissions import MANAGE_WEBHOOKS
        from headwater.alerts.querysets import unread_count
        from headwater.core import navigation, roles
        from headwater.core.audit import track
        from headwater.core.navigation import MenuItem

        roles.grant(roles.Role.OFFICE, MANAGE_WEBHOOKS)
        navigation.add(MenuItem(_("Inbox"), "alerts:inbox", None, 5, group="daily"))
        navigation.add(
            MenuItem(_("Group robots"), "alerts:robots", MANAGE_WEBHOOKS, 85, group="system")
        )
        navigation.layout_value("unread_alerts", unread_count)
        # The URL carries the robot's access token; the secret signs its requests.
        track(WebhookChannel, mask=["url", "secret"])
