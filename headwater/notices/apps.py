from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NoticesConfig(AppConfig):
    name = "headwater.notices"
    label = "notices"
    verbose_name = _("Notices")

    def ready(self) -> None:
        from headwater.core import announcements, navigation, roles
        from headwater.core.audit import track
        from headwater.core.navigation import MenuItem
        from headwater.notices import demo, services  # noqa: F401 (demo registers)
        from headwater.notices.models import Notice, Reminder
        from headwater.notices.permissions import PUBLISH, VIEW_RECEIPTS
        from headwater.notices.querysets import unread_count

        roles.grant(roles.Role.OFFICE, PUBLISH, VIEW_RECEIPTS)
        roles.grant(roles.Role.UNIT_HEAD, PUBLISH, VIEW_RECEIPTS)
        roles.grant(roles.Role.LEADER, VIEW_RECEIPTS)
        navigation.add(
            MenuItem(
                _("Notices"), "notices:mine", None, 5, group="daily", when=navigation.has_person
            )
        )
        navigation.add(MenuItem(_("Publish notices"), "notices:list", PUBLISH, 62, group="command"))
        navigation.layout_value("unread_notices", unread_count)
        announcements.register(services.publish_announcement)
        track(Notice)
        track(Reminder)
