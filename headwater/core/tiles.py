"""How a capability adds tiles to the home dashboard, panels to the command dashboard and
sections to the daily briefing.

A tile provider is a function `(user, organization) -> list[Tile]`; a briefing section is a
function `(organization, date) -> BriefingSection | None`. A capability registers its
providers in its AppConfig.ready(); the dashboard and the briefing call every provider and
never import a capability's internals. Tile providers must scope what they count to the
user; a briefing section describes the organization as a whole.

A briefing section describes the day *before* `date` (the briefing of 12-04 reports 12-03),
and returns None when its capability has nothing to report for the organization at all (not
built, no data ever): no placeholder figures. Its words are `Text` — a translatable message
and its arguments, resolved later in each language — so that the Chinese briefing and its
English rendering come from the same figures (`resolve(section, "zh-hans")`). The parts:

- `figures`: the day's key figures, each with the value of the day before and a 7-day
  trend (oldest first, ending with the day itself; None where there was no data), and which
  way is better, so the briefing can say what changed;
- `lines`: sentences of the section's body;
- `tables`: detail tables (a title, a header and rows), each also a sheet of the Excel file;
- `flags`: named exceptions ("供水二厂 did not file its report"), each of a `FlagKind` —
  OVERDUE (something not done in time), ABNORMAL (a reading or a person out of bounds),
  DECISION (waiting for someone to decide); the key points of the day are drawn from these
  and from the figures that changed;
- `quiet`: what the section says when it has nothing abnormal (a real zero report).
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from django.db.models import Count
from django.db.models.functions import TruncDate
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from headwater.core import clock
from headwater.core.choices import ResponseLevel
from headwater.core.models import Person
from headwater.core.roles import VIEW_PERSON

LANGUAGES = ("zh-hans", "en")


class Text:
    """A message to be translated later: `Text(_("%(n)s staff"), n=5)` with `_` being
    gettext_lazy. An argument may itself be a Text or a lazy string (a choice's label);
    numbers are shown with thousands separators. `Text.plain("name")` is text that is not
    translated (a unit's or a point's name)."""

    def __init__(self, message: str | Promise, **args: Any):
        self.message = message
        self.args = args

    @classmethod
    def plain(cls, text: str) -> "Text":
        return cls(str(text))

    def render(self) -> str:
        """The text in the active language."""
        message = str(self.message)
        if not self.args:
            return message
        return message % {k: _arg(v) for k, v in self.args.items()}

    def __str__(self) -> str:
        return self.render()

    def __repr__(self) -> str:
        return f"Text({self.render()!r})"

    def __eq__(self, other) -> bool:
        if isinstance(other, Text):
            return self.render() == other.render()
        return self.render() == other


def _arg(value: Any) -> Any:
    if isinstance(value, Text | Promise):
        return str(value)
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.1f}"
    return value


def render(value: Any) -> Any:
    """A Text, lazy string, number or None as the active language shows it."""
    if isinstance(value, Text | Promise):
        return str(value)
    return value


class FlagKind(StrEnum):
    OVERDUE = "overdue"
    ABNORMAL = "abnormal"
    DECISION = "decision"


# The unit after a count of people ("12 人"), for every capability's figures.
PEOPLE = pgettext_lazy("count", "people")


@dataclass
class Figure:
    """One key figure of the day. `value`/`previous` are numbers (None: no data); `trend` is
    the last 7 days' values, oldest first, ending with `value`. `better` is "up", "down" or
    "" (neither). `unit` is shown after the number ("%", "人")."""

    key: str
    label: Text | Promise | str
    value: float | int | None
    previous: float | int | None = None
    trend: list[float | int | None] = field(default_factory=list)
    unit: Text | Promise | str = ""
    better: str = ""
    decimals: int = 0

    @classmethod
    def over_days(cls, key: str, label, series: list, **kw) -> "Figure":
        """A figure from the last days' values, oldest first: the day reported is the last,
        the day before it the previous value, all of them the trend."""
        return cls(key, label, series[-1], series[-2], series, **kw)


@dataclass
class Table:
    title: Text | Promise | str
    header: list[Any]
    rows: list[list[Any]]


@dataclass
class Flag:
    """A named exception the briefing lists and may raise as a key point."""

    kind: FlagKind
    text: Text | Promise | str


@dataclass
class BriefingSection:
    title: Text | Promise | str
    lines: list[Any] = field(default_factory=list)
    table: list[list[Any]] = field(default_factory=list)  # kept for older providers
    order: int = 100
    key: str = ""
    figures: list[Figure] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)
    quiet: Text | Promise | str = ""


def days_to(day: dt.date, n: int = 7) -> list[dt.date]:
    """The n days ending with `day`, oldest first: the days of a figure's trend."""
    return [day - dt.timedelta(days=n - 1 - i) for i in range(n)]


def counts_by_day(rows, field: str, days: list[dt.date]) -> dict[dt.date, int]:
    """How many of `rows` (a queryset) have their timestamp `field` on each of `days` (local
    dates, consecutive), in one grouped query over the span."""
    start, end = clock.day_bounds(days[0])[0], clock.day_bounds(days[-1])[1]
    counts = dict(
        rows.filter(**{f"{field}__gte": start, f"{field}__lt": end})
        .annotate(day=TruncDate(field, tzinfo=timezone.get_current_timezone()))
        .order_by()
        .values("day")
        .annotate(n=Count("id"))
        .values_list("day", "n")
    )
    return {day: counts.get(day, 0) for day in days}


def _number(value: float | int | None, decimals: int) -> str:
    if value is None:
        return "—"
    if decimals:
        return f"{value:,.{decimals}f}"
    return f"{round(value):,}"


def resolve(section: BriefingSection, language: str) -> dict:
    """The section as plain JSON-ready data with its words in `language`: what a stored
    briefing keeps and every format (page, PDF, Word, Excel) renders."""
    with translation.override(language):
        tables = list(section.tables)
        if section.table:
            tables.insert(0, Table("", section.table[0], section.table[1:]))
        return {
            "key": section.key,
            "title": render(section.title),
            "order": section.order,
            "lines": [render(line) for line in section.lines],
            "figures": [
                {
                    "key": f.key,
                    "label": render(f.label),
                    "value": f.value,
                    "previous": f.previous,
                    "trend": list(f.trend),
                    "unit": render(f.unit),
                    "better": f.better,
                    "text": _number(f.value, f.decimals),
                    "previous_text": _number(f.previous, f.decimals),
                }
                for f in section.figures
            ],
            "tables": [
                {
                    "title": render(t.title),
                    "header": [render(h) for h in t.header],
                    "rows": [[render(c) for c in row] for row in t.rows],
                }
                for t in tables
            ],
            "flags": [{"kind": str(a.kind), "text": render(a.text)} for a in section.flags],
            "quiet": render(section.quiet),
        }


@dataclass
class Tile:
    title: str
    value: str
    note: str = ""
    url: str = ""
    colour: str = "primary"
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
    """The organization's level, its changes on the day reported, and its staff."""
    day = date - dt.timedelta(days=1)
    staff = Person.objects.filter(organization=organization).active().count()
    start, end = clock.day_bounds(day)
    changes = organization.level_changes.filter(changed_at__gte=start, changed_at__lt=end)
    changes = list(changes.order_by("changed_at", "id"))
    lines = [
        Text(
            _("Response level: %(level)s."),
            level=ResponseLevel(organization.response_level).label,
        )
    ]
    flags = [
        Flag(
            FlagKind.DECISION,
            Text(
                _("The response level was switched to %(level)s at %(time)s: %(reason)s"),
                level=ResponseLevel(c.level).label,
                time=f"{timezone.localtime(c.changed_at):%H:%M}",
                reason=c.reason,
            ),
        )
        for c in changes
    ]
    return BriefingSection(
        _("Organization"),
        key="core",
        lines=lines,
        figures=[
            Figure(
                "core.staff",
                _("Staff on the roster"),
                staff,
                unit=PEOPLE,
            )
        ],
        flags=flags,
        order=0,
    )
