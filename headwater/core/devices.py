"""Enrolling and revoking devices (gate scanners, telemetry loggers) — the office's page and
the API write through here (ADR 0012 "Roles and devices on pages").

`enrol` returns the raw token once: only its hash is stored (DeviceToken.issue), so the result
page and the API answer are the one chance to copy it. Both writes are audited (DeviceToken
is tracked; the hash is excluded from the trail).
"""

from django.db import transaction
from django.utils.translation import gettext as _

from headwater.core import audit, clock, locks
from headwater.core.errors import DomainError, require
from headwater.core.models import DeviceToken, Site
from headwater.core.roles import MANAGE_DEVICES

NAME_MAX = 100


def visible_devices(user):
    """The organization's device tokens, for those who manage devices; nothing otherwise."""
    if not user.is_authenticated or not (user.is_superuser or user.has_perm(MANAGE_DEVICES)):
        return DeviceToken.objects.none()
    return (
        DeviceToken.objects.filter(organization_id=user.organization_id)
        .select_related("site")
        .order_by("revoked_at", "-created_at", "-pk")
    )


def enrol(organization, name: str, site: Site | None = None, *, by) -> tuple[DeviceToken, str]:
    """A new device token: (token, raw value shown once)."""
    require(by, MANAGE_DEVICES)
    name = (name or "").strip()
    fields = {}
    if not name:
        fields["name"] = _("This field is required.")
    elif len(name) > NAME_MAX:
        fields["name"] = _("This value is too long.")
    if site is not None and site.organization_id != organization.pk:
        fields["site_id"] = _("Choose a site of your organization.")
    if fields:
        raise DomainError(_("Please correct the marked fields."), fields=fields)
    with audit.acting_as(by), transaction.atomic():
        return DeviceToken.issue(organization, name, site)


def revoke(device: DeviceToken, *, by) -> bool:
    """Stop the token from authenticating (audited). False when it was revoked already."""
    require(by, MANAGE_DEVICES)
    with audit.acting_as(by), transaction.atomic():
        rows = locks.lock(DeviceToken.objects.filter(pk=device.pk))
        fresh = rows[0] if rows else None
        if fresh is None or fresh.revoked_at is not None:
            return False
        fresh.revoked_at = clock.now()
        fresh.save(update_fields=["revoked_at"])
    device.revoked_at = fresh.revoked_at
    return True
