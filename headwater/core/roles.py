"""Roles as permission sets (core.backends.RoleBackend answers `user.has_perm` from them).

A role is granted over a unit subtree or the whole organization (RoleGrant). Permissions are
plain strings ("core.view_person"); capabilities add theirs with `grant()` in their AppConfig.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    STAFF = "staff", _("Staff member")
    UNIT_HEAD = "unit_head", _("Unit head")
    MONITOR = "monitor", _("Monitor / volunteer")
    OFFICE = "office", _("Control office")
    LEADER = "leader", _("Leader")
    GUARD = "guard", _("Gate guard")
    LAB_TECH = "lab_tech", _("Lab technician")
    LAB_REVIEWER = "lab_reviewer", _("Lab reviewer")
    QUALITY = "quality", _("Central lab / quality department")
    DISPATCHER = "dispatcher", _("Dispatcher / hotline")
    CREW = "crew", _("Repair crew")
    STOREKEEPER = "storekeeper", _("Storekeeper")
    REGULATOR = "regulator", _("Regulator")


VIEW_PERSON = "core.view_person"
VIEW_PERSONAL_DATA = "core.view_personal_data"
CHANGE_PERSON = "core.change_person"
VIEW_UNIT = "core.view_unit"
VIEW_SITE = "core.view_site"
CHANGE_SITE = "core.change_site"
IMPORT_ROSTER = "core.import_roster"
EXPORT_ROSTER = "core.export_roster"
CHANGE_RESPONSE_LEVEL = "core.change_response_level"
VIEW_AUDIT = "core.view_audit"
UNLOCK_SIGNIN = "core.unlock_signin"  # lift a sign-in lock-out (core.accounts)
MANAGE_ROLES = "core.manage_roles"  # grant and revoke roles (core.grants; no wider than own)
MANAGE_DEVICES = "core.manage_devices"  # enrol and revoke device tokens (core.devices)

ROLE_PERMISSIONS: dict[str, set[str]] = {
    Role.STAFF: {VIEW_SITE},
    Role.UNIT_HEAD: {VIEW_PERSON, VIEW_UNIT, VIEW_SITE, EXPORT_ROSTER, MANAGE_ROLES},
    Role.MONITOR: {VIEW_PERSON, VIEW_UNIT, VIEW_SITE},
    Role.OFFICE: {
        VIEW_PERSON,
        VIEW_PERSONAL_DATA,
        CHANGE_PERSON,
        VIEW_UNIT,
        VIEW_SITE,
        CHANGE_SITE,
        IMPORT_ROSTER,
        EXPORT_ROSTER,
        CHANGE_RESPONSE_LEVEL,
        VIEW_AUDIT,
        UNLOCK_SIGNIN,
        MANAGE_ROLES,
        MANAGE_DEVICES,
    },
    Role.LEADER: {VIEW_PERSON, VIEW_UNIT, VIEW_SITE},
    Role.GUARD: {VIEW_SITE},
    Role.LAB_TECH: {VIEW_SITE},
    Role.LAB_REVIEWER: {VIEW_SITE},
    Role.QUALITY: {VIEW_SITE, VIEW_UNIT},
    Role.DISPATCHER: {VIEW_SITE, VIEW_UNIT},
    Role.CREW: {VIEW_SITE},
    Role.STOREKEEPER: {VIEW_SITE, VIEW_UNIT},
    Role.REGULATOR: {VIEW_UNIT, VIEW_SITE},
}


def grant(role: str, *perms: str) -> None:
    """Let a capability add its permissions to a role (called from AppConfig.ready)."""
    ROLE_PERMISSIONS.setdefault(role, set()).update(perms)
