"""Error codes of staggered dining (the API's `error.code`)."""

from headwater.core.errors import ErrorCode


class DiningError(ErrorCode):
    NOT_A_CANTEEN = "dining_not_a_canteen"
    SLOTS_OVERLAP = "dining_slots_overlap"
    SLOT_IN_USE = "dining_slot_in_use"
    NO_SLOTS = "dining_no_slots"
    ORDER_CLOSED = "dining_order_closed"
