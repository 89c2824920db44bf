"""Meal orders (盒饭、团餐): a unit's head (for their units) or the office orders box meals or a
group order of a unit at a canteen for a day, by default tomorrow.

One order per (canteen, unit, day, kind): ordering again changes its number (an update,
audited), so a retried or repeated order never doubles the kitchen's count; 0 cancels it.
The kitchen needs the numbers in time: orders for a past day are refused, and orders for
today only until `access.meal_order_deadline` (10:00 by default, per response level)."""

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from headwater.access.errors_dining import DiningError
from headwater.access.inputs_dining import OrderInput
from headwater.access.models import MealOrder
from headwater.access.permissions_dining import ORDER_MEALS
from headwater.core import clock, levels, locks
from headwater.core.audit import acting_as
from headwater.core.errors import DomainError, NotAllowed
from headwater.core.models import Site
from headwater.core.querysets import reaches
from headwater.core.writes import Written, idempotent

DEADLINE = "access.meal_order_deadline"


def may_order(by, unit) -> bool:
    """The office for any unit; a unit head for the units of their subtree."""
    return by.is_authenticated and reaches(by, ORDER_MEALS, unit)


def deadline(organization) -> dt.time:
    raw = levels.value(organization, DEADLINE)
    return raw if isinstance(raw, dt.time) else dt.time.fromisoformat(str(raw))


def _refuse_late(canteen: Site, day: dt.date) -> None:
    today, closes = clock.today(), deadline(canteen.organization)
    now = timezone.localtime(clock.now()).time()
    if day < today or (day == today and now >= closes):
        raise DomainError(
            _("Orders for %(day)s closed at %(time)s on that day; order for a later day.")
            % {"day": day.isoformat(), "time": closes.strftime("%H:%M")},
            code=DiningError.ORDER_CLOSED,
            fields={"day": _("Too late for this day.")},
            status=409,
        )


def _order(canteen: Site, data: OrderInput, by) -> Written[MealOrder]:
    if not may_order(by, data.unit):
        raise NotAllowed(_("You may order meals only for your own units."))
    _refuse_late(canteen, data.day)
    ordered_by = by if getattr(by, "pk", None) else None
    with acting_as(by):
        try:
            with transaction.atomic():
                order, created = MealOrder.objects.get_or_create(
                    canteen=canteen,
                    unit=data.unit,
                    day=data.day,
                    kind=data.kind,
                    defaults={
                        "organization_id": canteen.organization_id,
                        "count": data.count,
                        "note": data.note,
                        "ordered_by": ordered_by,
                        "ordered_at": clock.now(),
                    },
                )
        except IntegrityError:  # the same order placed in parallel
            order = MealOrder.objects.get(
                canteen=canteen, unit=data.unit, day=data.day, kind=data.kind
            )
            created = False
        if not created:
            order = locks.lock_one(MealOrder, order.pk)
            if (order.count, order.note) != (data.count, data.note):
                order.count, order.note = data.count, data.note
                order.ordered_by, order.ordered_at = ordered_by, clock.now()
                order.save(update_fields=["count", "note", "ordered_by", "ordered_at"])
    return order, created


def place_order(canteen: Site, data: OrderInput, *, by, key: str = "") -> Written[MealOrder]:
    """Order (or change the number of) a unit's box meals or group meals for a day. A phone
    may retry: the same `key` answers the first outcome."""
    return idempotent(
        "access.meal_order",
        by=by,
        key=key,
        model=MealOrder,
        write=lambda: _order(canteen, data, by),
    )
