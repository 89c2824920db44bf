"""Staggered dining's reading of meal orders.

`MealOrder`'s own scope reaches the office and whoever sees the canteen's site — which, for a
canteen without a unit (the organization's), is every unit head. Orders are read here instead:
the office and leaders every order, a unit head their units' orders and the orders at the
canteens of their units (the kitchen's side), nobody else's. A proxy (no table of its own)
declares that scope, so pages and the API still read through `visible_to`."""

from django.utils.translation import gettext_lazy as _

from headwater.access.models import MealOrder
from headwater.access.permissions import MANAGE_GATES, VIEW_PASSAGES
from headwater.access.permissions_dining import ORDER_MEALS
from headwater.core.owned import AnyOf, OrganizationWide, ThroughUnit


class UnitMealOrder(MealOrder):
    """A meal order as its unit's head and the canteen's people see it."""

    scope = AnyOf(
        (
            OrganizationWide(MANAGE_GATES),
            ThroughUnit("canteen__unit", VIEW_PASSAGES),
            ThroughUnit("unit", ORDER_MEALS),
        )
    )

    class Meta:
        proxy = True
        verbose_name = _("meal order")
        verbose_name_plural = _("meal orders")
