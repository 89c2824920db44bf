"""Logging filters used by settings.LOGGING."""

import logging


class NoTracebackBelow500(logging.Filter):
    """Drop the traceback from a log record about a response below 500.

    Django logs a refused request (PermissionDenied → 403, a bad request → 400) with the
    exception attached; that is the expected outcome of a check, not a fault, and a traceback
    per refusal would bury real errors. The one-line message stays.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", 500) < 500:
            record.exc_info = None
            record.exc_text = None
        return True
