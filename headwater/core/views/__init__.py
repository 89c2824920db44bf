"""Pages of the core app, one module per area; all thin over services and querysets."""

from headwater.core.views.audit import audit_trail, object_history
from headwater.core.views.levels import level_setting, response_levels
from headwater.core.views.pages import home, page_not_found, permission_denied, server_error
from headwater.core.views.people import (
    people,
    person_detail,
    person_edit,
    person_reveal,
    sites,
    units,
)
from headwater.core.views.roster import roster_export, roster_import, roster_template

__all__ = [
    "audit_trail",
    "home",
    "level_setting",
    "object_history",
    "page_not_found",
    "people",
    "permission_denied",
    "person_detail",
    "person_edit",
    "person_reveal",
    "response_levels",
    "roster_export",
    "roster_import",
    "roster_template",
    "server_error",
    "sites",
    "units",
]
