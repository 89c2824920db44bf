"""The one error type that services raise for a refusal the user can act on, and the error
codes it carries.

The API turns it into the standard error shape (see headwater/api.py); pages show `message`
and each field's message beside its field. Codes are members of an `ErrorCode` enum, one per
app (`health/errors.py`, `quality/errors.py`), so a client can rely on them and a typo fails at
import time rather than in front of a user.
"""

from enum import StrEnum


class ErrorCode(StrEnum):
    """Base of every app's error codes. The values are the API's `error.code`."""


class CoreError(ErrorCode):
    INVALID = "invalid"
    FORBIDDEN = "forbidden"
    NOT_FOUND = "not_found"
    EMPTY = "empty"
    WRONG_STATE = "wrong_state"
    DUPLICATE = "duplicate"
    CONFLICT = "conflict"
    CSRF_FAILED = "csrf_failed"
    SMS_REFUSED = "sms_refused"  # the SMS provider refused or did not answer (core.sms)


class DomainError(Exception):
    def __init__(
        self,
        message: str,
        *,
        code: str = CoreError.INVALID,
        fields: dict[str, str] | None = None,
        status: int = 400,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = str(code)
        self.fields = fields or {}
        self.status = status


class NotAllowed(DomainError):
    def __init__(self, message: str) -> None:
        super().__init__(message, code=CoreError.FORBIDDEN, status=403)


def invalid(fields: dict[str, str], message: str | None = None) -> DomainError:
    """The usual refusal of a form or payload: every bad field named at once."""
    from django.utils.translation import gettext as _

    return DomainError(message or _("Please correct the marked fields."), fields=fields)


def require(user, perm: str) -> None:
    """Refuse, in the one error shape, a user whose roles lack `perm`."""
    from django.utils.translation import gettext as _

    if not user.has_perm(perm):
        raise NotAllowed(_("Your role may not do this."))
