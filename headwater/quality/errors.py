"""Error codes of the water-quality app: the API's `error.code` for its refusals (the values
are part of the API and do not change)."""

from headwater.core.errors import ErrorCode


class QualityError(ErrorCode):
    ALREADY_CHECKED = "already_checked"  # a result past the technician's level is not changed
    DUPLICATE = "duplicate"  # another sample of the point at the same time
    WRONG_STATE = "wrong_state"  # a review step or a decision on the wrong state
    EMPTY = "empty"  # no value entered, no result chosen
