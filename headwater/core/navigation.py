"""The navigation menu by role: each entry shows only to users holding its permission.
Capabilities append their entries with `add()` in AppConfig.ready()."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

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


# Values every page's layout shows (the inbox's unread count): name -> fn(user). A capability
# registers one in AppConfig.ready(), so core's layout never imports it.
LAYOUT_VALUES: dict[str, Callable[..., Any]] = {}


def layout_value(name: str, fn: Callable[..., Any]) -> None:
    LAYOUT_VALUES[name] = fn


def layout_values_for(user) -> dict[str, Any]:
    return {name: fn(user) for name, fn in LAYOUT_VALUES.items()}


def menu_for(user) -> list[dict]:
    items = sorted(
        (i for i in MENU if i.perm is None or user.has_perm(i.perm)), key=lambda i: i.order
    )
    return [{"label": i.label, "url": reverse(i.url_name), "name": i.url_name} for i in items]
