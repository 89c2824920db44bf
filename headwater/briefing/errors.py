"""Error codes of the briefing app (the API's `error.code`; the values do not change)."""

from headwater.core.errors import ErrorCode


class BriefingError(ErrorCode):
    FUTURE_DAY = "future_day"  # a briefing of a day that has not begun
    NO_FORMAT = "no_format"  # a download format Headwater does not make
