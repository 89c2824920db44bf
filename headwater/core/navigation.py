"""The navigation menu by role: each entry shows only to users who can open it — holding its
permission and, where the page needs more (a check-in needs a person on the roster), passing
its `when(user)`. Capabilities append their entries with `add()` in AppConfig.ready()."""

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
    # What else the page needs of the user besides the permission (None: nothing), so that
    # the menu never leads to a page that refuses its user.
    when: Callable[[Any], bool] | None = None
    # The menu's group the entry sits in (a heading with its entries below it): one of GROUPS.
    group: str = ""

    def shown_to(self, user) -> bool:
        if self.perm is not None and not user.has_perm(self.perm):
            return False
        return self.when is None or bool(self.when(user))


# The menu's groups, in the order shown: key -> label. An entry without a group stands alone.
GROUPS: dict[str, Any] = {
    "daily": _("My day"),
    "command": _("Command"),
    "health": _("Health"),
    "quality": _("Water quality"),
    "network": _("Pipe network"),
    "organization": _("Organization"),
    "system": _("System"),
}

MENU: list[MenuItem] = [
    MenuItem(_("Home"), "home", None, 0),
    MenuItem(_("People"), "core:people", roles.VIEW_PERSON, 10, group="organization"),
    MenuItem(_("Units"), "core:units", roles.VIEW_UNIT, 11, group="organization"),
    MenuItem(_("Sites"), "core:sites", roles.VIEW_SITE, 12, group="organization"),
    MenuItem(
        _("Roster import"), "core:roster_import", roles.IMPORT_ROSTER, 13, group="organization"
    ),
    MenuItem(_("Roles"), "core:grants", roles.MANAGE_ROLES, 14, group="organization"),
    MenuItem(_("Devices"), "core:devices", roles.MANAGE_DEVICES, 15, group="system"),
    MenuItem(_("Response level"), "core:levels", None, 80, group="command"),
    MenuItem(_("Audit trail"), "core:audit", roles.VIEW_AUDIT, 90, group="system"),
]


def add(item: MenuItem) -> None:
    MENU.append(item)


# Values every page's layout shows (the inbox's unread count): name -> fn(user). A capability
# registers one in AppConfig.ready(), so core's layout never imports it.
LAYOUT_VALUES: dict[str, Callable[..., Any]] = {}


def has_person(user) -> bool:
    """Whether the login is linked to a member of staff (a regulator or an administrator
    account is not): pages about one's own day need one."""
    return user.person_id is not None


def layout_value(name: str, fn: Callable[..., Any]) -> None:
    LAYOUT_VALUES[name] = fn


def layout_values_for(user) -> dict[str, Any]:
    return {name: fn(user) for name, fn in LAYOUT_VALUES.items()}


def menu_for(user) -> list[dict]:
    """The entries the user may open, in order: label, url, url name and group."""
    items = sorted((i for i in MENU if i.shown_to(user)), key=lambda i: i.order)
    return [
        {"label": i.label, "url": reverse(i.url_name), "name": i.url_name, "group": i.group}
        for i in items
    ]


# Up to this many entries the menu is one row of links (a member of staff, a guard); past it
# the entries sit under their groups' headings, so an office's thirty pages stay findable.
FLAT_UP_TO = 7


def menu_tree(entries: list[dict]) -> list[dict]:
    """The menu as the layout draws it: stand-alone links and groups (`entries`), each group
    placed where its first entry falls; a group of one entry is drawn as that link."""
    if len(entries) <= FLAT_UP_TO:
        return entries
    tree: list[dict] = []
    groups: dict[str, dict] = {}
    for entry in entries:
        key = entry["group"]
        if not key:
            tree.append(entry)
            continue
        if key not in groups:
            groups[key] = {"group": key, "label": GROUPS.get(key, key), "entries": []}
            tree.append(groups[key])
        groups[key]["entries"].append(entry)
    return [node["entries"][0] if len(node.get("entries", ())) == 1 else node for node in tree]
