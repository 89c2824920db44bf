"""What staggered dining adds when the app is ready: its permission to roles, its menu
entries (called from AccessConfig.ready)."""

from django.utils.translation import gettext_lazy as _


def ready() -> None:
    from headwater.access.permissions import MANAGE_GATES, VIEW_PASSAGES
    from headwater.access.permissions_dining import ORDER_MEALS
    from headwater.core import navigation, roles
    from headwater.core.roles import Role

    roles.grant(Role.OFFICE, ORDER_MEALS)
    roles.grant(Role.UNIT_HEAD, ORDER_MEALS)
    M = navigation.MenuItem  # noqa: N806
    navigation.add(
        M(_("Canteen slots"), "access:dining_canteens", MANAGE_GATES, 61, group="command")
    )
    navigation.add(M(_("Meal orders"), "access:dining_orders", ORDER_MEALS, 62, group="daily"))
    navigation.add(M(_("Canteen fill"), "access:dining_live", VIEW_PASSAGES, 63, group="command"))
