"""The command dashboard (指挥大屏): how a capability adds its panels, and core's own panels
(the response level, the sites on a map).

A panel provider is a function `(organization, day) -> list[Panel]` registered with
`@screen_panel` from its app's AppConfig.ready(). The page (/dashboard/screen/) and the API
(GET /api/v1/dashboard) call every provider for the viewer's organization and today, and the
page's script (static/js/screen.js) draws each panel by its `kind`, so a capability adds its
panels without writing JavaScript. A provider returns [] when its capability has nothing to
show for the organization (no placeholder figures). Panels describe the organization as a
whole (`.of(organization)`): only holders of `core.view_dashboard` granted organization-wide
see them (`may_view`).

The dashboard refreshes every 30 seconds: a provider aggregates in SQL (a GROUP BY, never a
loop over people or results) in a few queries; the endpoint must answer in under 300 ms with
100,000 staff (bench/dashboard.py).

Kinds and the `data` each draws (words may be Text or lazy strings: `panels_for` resolves
them in the request's language; colours are the tokens of COLOURS):
- "figures": {"items": [{"key", "label", "text", "unit", "previous_text", "previous_label",
  "colour", "better", "change"}]} — big numbers, each with the value before it (yesterday's);
  `change` is "up", "down" or "" and `better` which of them is good;
- "bars": {"items": [{"label", "value", "text", "colour"}], "max", "unit"} — horizontal bars in
  the order given (worst first);
- "pie": {"items": [{"label", "value", "colour"}]};
- "list": {"items": [{"id", "time", "text", "note", "colour", "muted"}], "empty", "more"} —
  rows in the order given; `more` says how many were left out; the page marks rows whose `id`
  it has not shown before (alerts as they arrive);
- "map": {"outline": GeoJSON FeatureCollection or None, "groups": [{"key", "label",
  "colour"}], "points": [{"name", "lng", "lat", "group", "label"}]} — points on the outline,
  no external tiles; `label` shows the name on the map (others on hover);
- "level": {"label", "colour", "since", "note"} — a big badge.

Sizes are cells of the page's five-column grid: "s" 1×1, "w" 2×1, "t" 1×2, "l" 2×2. Panels
flow into it by `order`, a later panel filling the first gap it fits; the rows share the
screen's height, so more panels make every row lower rather than scroll.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from headwater.core import clock, memo
from headwater.core.choices import ResponseLevel, SiteKind
from headwater.core.models import ResponseLevelChange, Site
from headwater.core.querysets import grants_for
from headwater.core.tiles import Text, render

VIEW_DASHBOARD = "core.view_dashboard"
KINDS = ("figures", "bars", "pie", "list", "map", "level")
SIZES = ("s", "w", "t", "l")
# The screen is a fixed grid of 5 × 3 cells (1920 × 1080); a panel takes 1, 2, 2 or 4 of them.
CELLS = {"s": 1, "w": 2, "t": 2, "l": 4}
SCREEN_CELLS = 15
PAGE_SECONDS = 15  # a screen of panels stays this long before the next one shows
# Colour tokens (Bootstrap's names, as choices' `colour` give them); the page maps each to a
# colour of its dark theme.
COLOURS = ("success", "warning", "danger", "info", "primary", "secondary", "orange")
REFRESH_SECONDS = 30


@dataclass
class Panel:
    key: str
    title: Text | Promise | str
    kind: str
    data: dict[str, Any]
    order: int = 100
    size: str = "s"
    note: Text | Promise | str = ""

    def __post_init__(self) -> None:
        if self.kind not in KINDS or self.size not in SIZES:
            raise ValueError(f"panel {self.key}: kind {self.kind!r}, size {self.size!r}")


PanelProvider = Callable[..., list[Panel]]
PROVIDERS: list[PanelProvider] = []


def screen_panel(fn: PanelProvider) -> PanelProvider:
    if fn not in PROVIDERS:
        PROVIDERS.append(fn)
    return fn


def may_view(user) -> bool:
    """Whether the user sees the dashboard: a grant holding core.view_dashboard over the
    whole organization (office, leader). A grant over one unit is not enough: the panels are
    the organization's, unit names and figures included."""
    if not user.is_authenticated or user.organization_id is None:
        return False
    return user.is_superuser or grants_for(user, VIEW_DASHBOARD)[0]


def resolved(value: Any) -> Any:
    """Panel data with every Text and lazy string rendered in the active language."""
    if isinstance(value, dict):
        return {k: resolved(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [resolved(v) for v in value]
    if isinstance(value, Decimal):
        return float(value)
    return render(value)


def panels_for(organization, day: dt.date) -> list[dict]:
    """Every registered provider's panels for the organization, in order, as JSON-ready data."""
    panels = [p for provider in PROVIDERS for p in provider(organization, day)]
    panels.sort(key=lambda p: (p.order, p.key))
    return [
        {
            "key": p.key,
            "page": page,
            "title": render(p.title),
            "kind": p.kind,
            "size": p.size,
            "order": p.order,
            "note": render(p.note),
            "data": resolved(p.data),
        }
        for page, p in _paged(panels)
    ]


def _paged(panels: list[Panel]) -> list[tuple[int, Panel]]:
    """(page, panel) for every panel, in order: each goes on the first screen (grid of
    `SCREEN_CELLS` cells) with room for it, so a panel too big for what is left of one screen
    does not stop a smaller one after it from filling the gap, and no capability's panels
    squeeze the others' text out of their boxes. The page shows one screen at a time and
    turns to the next every `PAGE_SECONDS` when there are several (ADR 0015)."""
    used: list[int] = []
    placed = []
    for panel in panels:
        cells = CELLS[panel.size]
        page = next((i for i, n in enumerate(used) if n + cells <= SCREEN_CELLS), len(used))
        if page == len(used):
            used.append(0)
        used[page] += cells
        placed.append((page, panel))
    return placed


def dashboard(organization) -> dict:
    """What the API answers and the page draws: the panels of today and when they were made."""
    now = timezone.localtime(clock.now())
    panels = panels_for(organization, now.date())
    return {
        "organization": organization.short_name or organization.name,
        "day": now.date(),
        "generated_at": now,
        "refresh_seconds": REFRESH_SECONDS,
        "page_seconds": PAGE_SECONDS,
        "panels": panels,
        "pages": 1 + max((p["page"] for p in panels), default=0),
    }


def figure(key, label, value, previous=None, *, unit="", better="", colour="primary", decimals=0):
    """One item of a "figures" panel: `value` beside `previous` (None: no figure)."""
    change = ""
    if value is not None and previous is not None and value != previous:
        change = "up" if value > previous else "down"
    return {
        "key": key,
        "label": label,
        "text": _number(value, decimals),
        "unit": unit,
        "previous_text": _number(previous, decimals) if previous is not None else "",
        "colour": colour,
        "better": better,
        "change": change,
    }


def _number(value, decimals: int) -> str:
    if value is None:
        return "—"
    return f"{value:,.{decimals}f}" if decimals else f"{round(value):,}"


# --- Core's panels: the response level and the sites on a map -------------------------------

# Kinds whose sites are named on the map; the others show their names on hover.
NAMED_KINDS = {SiteKind.WATER_PLANT, SiteKind.OFFICE, SiteKind.DISPATCH_CENTER}
KIND_COLOURS = {
    SiteKind.WATER_PLANT: "info",
    SiteKind.RESERVOIR: "primary",
    SiteKind.PUMPING_STATION: "success",
    SiteKind.SUPPLY_STATION: "success",
    SiteKind.OFFICE: "warning",
    SiteKind.DISPATCH_CENTER: "warning",
    SiteKind.LAB: "warning",
    SiteKind.CHECKPOINT: "orange",
    SiteKind.CANTEEN: "secondary",
    SiteKind.WAREHOUSE: "secondary",
}


def _level(organization) -> tuple[str, ResponseLevelChange | None]:
    change = organization.level_changes.order_by("-changed_at", "-id").first()
    return (change.level if change else ResponseLevel.NORMAL), change


def _sites(organization) -> list[tuple[str, str, float, float]]:
    """(name, kind, longitude, latitude) of the sites with coordinates: remembered for the
    memory's lifetime (core.memo), forgotten in this process when a site is saved."""
    rows = (
        Site.objects.filter(organization=organization, latitude__isnull=False)
        .exclude(longitude__isnull=True)
        .order_by("kind", "code")
        .values_list("name", "kind", "longitude", "latitude")
    )
    return memo.remember(
        organization.pk,
        "core.screen.sites",
        lambda: [(n, k, float(lng), float(lat)) for n, k, lng, lat in rows],
    )


def _hull(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """The convex hull, counter-clockwise (Andrew's monotone chain)."""
    pts = sorted(set(points))
    if len(pts) < 3:
        return pts

    def cross(o, a, b):
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    lower: list = []
    upper: list = []
    for p in pts:
        while len(lower) >= 2 and cross(lower[-2], lower[-1], p) <= 0:
            lower.pop()
        lower.append(p)
    for p in reversed(pts):
        while len(upper) >= 2 and cross(upper[-2], upper[-1], p) <= 0:
            upper.pop()
        upper.append(p)
    return lower[:-1] + upper[:-1]


def outline(points: list[tuple[float, float]], margin: float = 0.25) -> dict | None:
    """The service area drawn from the sites themselves (no map tiles, nothing fetched): their
    convex hull widened by `margin` of its extent around its centre, as a GeoJSON feature
    collection. A bounding box when the sites are fewer than three or in a line."""
    if not points:
        return None
    hull = _hull(points)
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    pad = max(max(xs) - min(xs), max(ys) - min(ys), 0.02) * margin
    if len(hull) < 3:
        x0, x1, y0, y1 = min(xs) - pad, max(xs) + pad, min(ys) - pad, max(ys) + pad
        ring = [(x0, y0), (x1, y0), (x1, y1), (x0, y1)]
    else:
        cx, cy = sum(p[0] for p in hull) / len(hull), sum(p[1] for p in hull) / len(hull)
        ring = []
        for x, y in hull:
            dx, dy = x - cx, y - cy
            length = (dx * dx + dy * dy) ** 0.5 or 1
            ring.append((x + dx / length * pad, y + dy / length * pad))
    ring = [(round(x, 5), round(y, 5)) for x, y in ring]
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"name": "area"},
                "geometry": {"type": "Polygon", "coordinates": [[*ring, ring[0]]]},
            }
        ],
    }


@screen_panel
def core_panels(organization, day: dt.date) -> list[Panel]:
    level, change = _level(organization)
    since = timezone.localtime(change.changed_at) if change else None
    panels = [
        Panel(
            "core.level",
            _("Response level"),
            "level",
            {
                "label": ResponseLevel(level).label,
                "colour": ResponseLevel.colour(level),
                "since": Text(_("Since %(when)s"), when=f"{since:%Y-%m-%d %H:%M}") if since else "",
                "note": change.reason if change else "",
            },
            order=0,
        )
    ]
    sites = _sites(organization)
    if sites:
        kinds = [k for k in SiteKind.values if any(s[1] == k for s in sites)]
        panels.append(
            Panel(
                "core.sites",
                _("Sites"),
                "map",
                {
                    "outline": outline([(lng, lat) for _n, _k, lng, lat in sites]),
                    "groups": [
                        {"key": k, "label": SiteKind(k).label, "colour": KIND_COLOURS[k]}
                        for k in kinds
                    ],
                    "points": [
                        {
                            "name": name,
                            "lng": lng,
                            "lat": lat,
                            "group": kind,
                            "label": kind in NAMED_KINDS,
                        }
                        for name, kind, lng, lat in sites
                    ],
                },
                order=50,
                size="l",
                note=Text(_("%(n)s sites"), n=len(sites)),
            )
        )
    return panels
