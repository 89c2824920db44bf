"""API authentication: the browser's session (with CSRF) for people, bearer tokens for devices."""

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.errors import HttpError
from ninja.security import HttpBearer
from ninja.security import SessionAuth as _SessionAuth

from headwater.core.errors import CoreError, DomainError
from headwater.core.models import DeviceToken


class SessionAuth(_SessionAuth):
    """A logged-in user; the user is in request.auth and request.user."""

    def _get_key(self, request):
        # The CSRF token guards a logged-in session. Without one this method authenticates
        # nobody, and the caller (a device token on a session-only endpoint, say) is told 401
        # in the error shape rather than a bare CSRF failure.
        if not request.user.is_authenticated:
            return None
        try:
            return super()._get_key(request)
        except HttpError as e:
            # ninja's only refusal here is the CSRF check, in English and outside the shape.
            raise DomainError(
                _("This page is out of date (no valid security token): reload it and try again."),
                code=CoreError.CSRF_FAILED,
                status=403,
            ) from e


class DeviceTokenAuth(HttpBearer):
    """`Authorization: Bearer hw_…`; request.auth is the DeviceToken."""

    def authenticate(self, request, token: str):
        device = DeviceToken.authenticate(token)
        if device is None:
            return None
        DeviceToken.objects.filter(pk=device.pk).update(last_used_at=timezone.now())
        return device


def user_of(request):
    """The acting user, or None when a device token authenticated the request."""
    return request.auth if not isinstance(request.auth, DeviceToken) else None
