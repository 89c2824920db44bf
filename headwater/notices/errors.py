"""Error codes of the notices app: the API's `error.code` for its refusals."""

from headwater.core.errors import ErrorCode


class NoticeError(ErrorCode):
    OUTSIDE_UNITS = "outside_units"  # a unit head publishing beyond their units
    NO_AUDIENCE = "no_audience"  # nobody in the chosen units
    WRONG_ANSWER = "wrong_answer"  # a quiz answered wrongly (recorded; try again)
