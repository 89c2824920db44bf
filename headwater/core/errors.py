"""The one error type that services raise for a refusal the user can act on.

The API turns it into the standard error shape (see headwater/api.py); pages show `message`
and each field's message beside its field.
"""


class DomainError(Exception):
    def __init__(
        self,
        message: str,
        *,
        code: str = "invalid",
        fields: dict[str, str] | None = None,
        status: int = 400,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.fields = fields or {}
        self.status = status


class NotAllowed(DomainError):
    def __init__(self, message: str) -> None:
        super().__init__(message, code="forbidden", status=403)


def require(user, perm: str) -> None:
    """Refuse, in the one error shape, a user whose roles lack `perm`."""
    from django.utils.translation import gettext as _

    if not user.has_perm(perm):
        raise NotAllowed(_("Your role may not do this."))
