"""Permission of staggered dining (错峰就餐) besides the app's own (permissions.py).

Ordering box meals and group meals is for a unit's head (their units' subtree) and the
office (the organization); granted in apps.py."""

ORDER_MEALS = "access.order_meals"
