"""Error codes of the duty app (the API's `error.code`)."""

from headwater.core.errors import ErrorCode


class DutyError(ErrorCode):
    OVERLAP = "shift_overlap"
    BELOW_MINIMUM = "shift_below_minimum"
    NOT_QUALIFIED = "not_qualified"
    UNAVAILABLE = "person_unavailable"
    REST_TOO_SHORT = "rest_too_short"
    TOO_MANY_SHIFTS = "too_many_consecutive_shifts"
    TOO_MANY_HOURS = "too_many_hours"
    INFEASIBLE = "roster_infeasible"
    PUBLISHED = "roster_published"
    NOT_ON_NEXT_SHIFT = "not_on_next_shift"
    WRONG_STATE = "duty_wrong_state"
    SWAP_REFUSED = "swap_not_possible"
    LOG_CLOSED = "duty_log_closed"
    NOT_ON_SHIFT = "not_on_shift"
