"""Error codes of the isolation app (the API's `error.code`)."""

from headwater.core.errors import ErrorCode


class IsolationError(ErrorCode):
    ALREADY_OPEN = "case_already_open"
    CASE_RELEASED = "case_released"
    TOO_EARLY = "release_too_early"
    NOT_ENOUGH_NORMAL = "release_not_enough_normal"
    NO_PROPOSAL = "release_not_proposed"
    FOLLOW_UP_CLOSED = "follow_up_closed"
    FLOW_ALREADY_OPEN = "flow_already_open"
    FLOW_OUT_OF_ORDER = "flow_out_of_order"


class RequestError(ErrorCode):
    WRONG_STATE = "request_wrong_state"
    NOT_ACCEPTER = "request_not_accepter"
