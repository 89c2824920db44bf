"""The navigation menu by role: each entry shows only to users holding its permission.
Capabilities append their entries with `add()` in AppConfig.ready()."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from headwater.core import roles


@dataclass(frozen=True)
class MenuItem:
    label: str
    url_name: str
    perm: str | None = None
    order: int = 100


MENU: list[MenuItem] = [
    MenuItem(_("Home"), "home", None, 0),
    MenuItem(_("People"), "core:people", roles.VIEW_PERSON, 10),
    MenuItem(_("Units"), "core:units", roles.VIEW_UNIT, 11),
    MenuItem(_("Sites"), "core:sites", roles.VIEW_SITE, 12),
    MenuItem(_("Roster import"), "core:roster_import", roles.IMPORT_ROSTER, 13),
    MenuItem(_("Response level"), "core:levels", None, 80),
    MenuItem(_("Audit trail"), "core:audit", roles.VIEW_AUDIT, 90),
]


def add(item: MenuItem) -> None:
    MENU.append(item)


def menu_for(user) -> list[dict]:
    items = sorted(
        (i for i in MENU if i.perm is None or user.has_perm(i.perm)), key=lambda i: i.order
    )
    return [{"label": i.label, "url": reverse(i.url_name), "name": i.url_name} for i in items]
