"""How a capability adds tiles to the home dashboard and sections to the daily briefing.

A tile provider is a function `(user, organization) -> list[Tile]`; a briefing section is a
function `(organization, date) -> BriefingSection | None`. A capability registers its
providers in its AppConfig.ready(); the dashboard and the briefing call every provider and
never import a capability's internals. Providers must scope what they count to the user.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from headwater.core.choices import ResponseLevel
from headwater.core.models import Person
from headwater.core.roles import VIEW_PERSON


@dataclass
class Tile:
    title: str
    value: str
    note: str = ""
    url: str = ""
    colour: str = "primary"
    order: int = 100


@dataclass
class BriefingSection:
    title: str
    lines: list[str] = field(default_factory=list)
    table: list[list[str]] = field(default_factory=list)
    order: int = 100


TileProvider = Callable[..., list[Tile]]
SectionProvider = Callable[..., BriefingSection | None]
TILE_PROVIDERS: list[TileProvider] = []
BRIEFING_SECTIONS: list[SectionProvider] = []


def tile_provider(fn: TileProvider) -> TileProvider:
    TILE_PROVIDERS.append(fn)
    return fn


def briefing_section(fn: SectionProvider) -> SectionProvider:
    BRIEFING_SECTIONS.append(fn)
    return fn


def tiles_for(user, organization) -> list[Tile]:
    tiles = [t for provider in TILE_PROVIDERS for t in provider(user, organization)]
    return sorted(tiles, key=lambda t: t.order)


def briefing_for(organization, date: dt.date) -> list[BriefingSection]:
    sections = [s for provider in BRIEFING_SECTIONS if (s := provider(organization, date))]
    return sorted(sections, key=lambda s: s.order)


@tile_provider
def core_tiles(user, organization) -> list[Tile]:
    level = organization.response_level
    tiles = [
        Tile(
            _("Response level"),
            ResponseLevel(level).label,
            colour=ResponseLevel.colour(level),
            url=reverse("core:levels"),
            order=0,
        ),
    ]
    if user.has_perm(VIEW_PERSON):
        people = Person.objects.visible_to(user).active()
        tiles.append(
            Tile(_("Staff in scope"), f"{people.count():,}", url=reverse("core:people"), order=10)
        )
        tiles.append(
            Tile(
                _("Critical-role staff"),
                f"{people.filter(is_critical=True).count():,}",
                url=reverse("core:people") + "?critical=1",
                order=11,
            )
        )
    # No count of sites: every member sees all of the organization's, so the figure said
    # nothing to any role (the sites list stays in the menu).
    return tiles


@briefing_section
def core_section(organization, date: dt.date) -> BriefingSection:
    people = Person.objects.filter(organization=organization).active()
    return BriefingSection(
        _("Organization"),
        lines=[
            _("Response level: %(level)s")
            % {"level": ResponseLevel(organization.response_level).label},
            _("Staff: %(n)s") % {"n": people.count()},
        ],
        order=0,
    )
