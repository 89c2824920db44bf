"""API authentication: the browser's session (with CSRF) for people, bearer tokens for devices."""

import datetime as dt

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
    """`Authorization: Bearer hw_…`; request.auth is the DeviceToken. The device's last use is
    written at most once a minute: a scanner at a busy gate sends a request a second, and a
    write each would be a good part of its database work (bench/access_scan.py)."""

    SEEN_EVERY = dt.timedelta(minutes=1)

    def device(self, token: str) -> DeviceToken | None:
        """The enrolled, unrevoked device of a raw token (a capability may remember it)."""
        return DeviceToken.authenticate(token)

    def authenticate(self, request, token: str):
        device = self.device(token)
        if device is None:
            return None
        now = timezone.now()
        if device.last_used_at is None or now - device.last_used_at >= self.SEEN_EVERY:
            # an update, not a save: a remembered device object stays the one in memory
            DeviceToken.objects.filter(pk=device.pk).update(last_used_at=now)
            device.last_used_at = now
        return device


def user_of(request):
    """The acting user, or None when a device token authenticated the request."""
    return request.auth if not isinstance(request.auth, DeviceToken) else None
