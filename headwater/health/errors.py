"""Error codes of the health app: the API's `error.code` for the refusals only health makes
(the common ones — invalid, forbidden, not found — are core.errors.CoreError)."""

from headwater.core.errors import ErrorCode


class HealthError(ErrorCode):
    # The slot's check-in window has closed: a phone that kept the page open past noon.
    WINDOW_CLOSED = "window_closed"
