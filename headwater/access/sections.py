"""The gates' daily-briefing section (core.tiles interface): for the day reported, the
passages in and the refusals by reason, the fevers at the gates (named), visitors
(registered, refused, awaiting their host at the end of the day), vehicles (entries,
refused), the fullest meal slot of each canteen against its places and the bus trips without
a disinfection record — figures with 7-day trends from one grouped query per table. None for
an organization without gates."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from headwater.access import day_figures as figures
from headwater.access.choices import RefusalReason
from headwater.access.models import BusTrip, Gate, MealSlot
from headwater.core.tiles import (
    PEOPLE,
    BriefingSection,
    Figure,
    Flag,
    FlagKind,
    Table,
    Text,
    briefing_section,
    days_to,
)

FEVERS_NAMED = 30
TITLE = _("Gates and checkpoints")


@briefing_section
def access_section(organization, date: dt.date) -> BriefingSection | None:
    """The day before `date`. None when the organization has no gate at all."""
    if not Gate.objects.filter(organization=organization).exists():
        return None
    day = date - dt.timedelta(days=1)
    days = days_to(day)
    passages = figures.passages(organization, days)
    visits = figures.visits(organization, days)
    vehicles = figures.vehicles(organization, days)
    trips = figures.trips(organization, days)
    slots = list(MealSlot.objects.filter(organization=organization).select_related("canteen"))
    fill = figures.slot_fill(organization, days) if slots else {d: {} for d in days}
    today = passages[day]
    flags = _fever_flags(organization, day) + _trip_flags(organization, day)
    tables = [_reasons_table(today["reasons"])] if today["refused"] else []
    slot_rows, slot_flags = _slots(slots, fill[day])
    flags += slot_flags
    if slot_rows:
        tables.append(
            Table(
                _("The fullest meal slot of each canteen"),
                [
                    pgettext_lazy("gates report", "Canteen"),
                    pgettext_lazy("gates report", "Meal slot"),
                    pgettext_lazy("gates report", "People let in"),
                    pgettext_lazy("gates report", "Places"),
                    "%",
                ],
                slot_rows,
            )
        )
    if visits[day]["pending"]:
        flags.append(
            Flag(
                FlagKind.DECISION,
                Text(
                    _("%(n)s visitors were still awaiting their host at the end of the day"),
                    n=visits[day]["pending"],
                ),
            )
        )
    return BriefingSection(
        TITLE,
        key="access",
        order=50,
        lines=_lines(today, visits[day], vehicles[day], trips[day]),
        figures=_figures(days, passages, visits, vehicles, trips, slots, fill),
        tables=tables,
        flags=flags,
        quiet=""
        if flags
        else _("No fever at the gates, every bus trip disinfected, no visitor left waiting."),
    )


def _lines(passages: dict, visits: dict, vehicles: dict, trips: dict) -> list[Text]:
    lines = [
        Text(
            _("Passages in: %(n)s; refused at the gates: %(refused)s; fevers: %(fevers)s."),
            n=passages["passages"],
            refused=passages["refused"],
            fevers=passages["fevers"],
        ),
        Text(
            _(
                "Visitors: %(registered)s registered, %(refused)s refused by their host, "
                "%(pending)s awaiting their host at the end of the day."
            ),
            **visits,
        ),
        Text(
            _("Vehicles: %(entries)s entries, %(refused)s refused."),
            **vehicles,
        ),
    ]
    if trips["trips"]:
        lines.append(
            Text(
                _(
                    "Commute buses: %(trips)s trips, %(boarded)s boardings, "
                    "%(missing)s trips without a disinfection record."
                ),
                trips=trips["trips"],
                boarded=passages["boarded"],
                missing=trips["not_disinfected"],
            )
        )
    return lines


def _figures(days, passages, visits, vehicles, trips, slots, fill) -> list[Figure]:
    def series(table, key):
        return [table[d][key] for d in days]

    out = [
        Figure.over_days(
            "access.passages",
            pgettext_lazy("gates report", "Passages in"),
            series(passages, "passages"),
            unit=PEOPLE,
        ),
        Figure.over_days(
            "access.refused",
            pgettext_lazy("gates report", "Refused at the gates"),
            series(passages, "refused"),
            unit=PEOPLE,
            better="down",
        ),
    ]
    seen = sorted({r for d in days for r in passages[d]["reasons"]})
    for reason in seen:
        out.append(
            Figure.over_days(
                f"access.refused.{reason}",
                Text(_("Refused: %(reason)s"), reason=_reason(reason)),
                [passages[d]["reasons"].get(reason, 0) for d in days],
                unit=PEOPLE,
                better="down",
            )
        )
    out += [
        Figure.over_days(
            "access.fevers",
            pgettext_lazy("gates report", "Fevers at the gates"),
            series(passages, "fevers"),
            unit=PEOPLE,
            better="down",
        ),
        Figure.over_days(
            "access.visitors",
            pgettext_lazy("gates report", "Visitors registered"),
            series(visits, "registered"),
        ),
        Figure.over_days(
            "access.visitors_pending",
            _("Visitors awaiting their host"),
            series(visits, "pending"),
            better="down",
        ),
        Figure.over_days(
            "access.vehicles",
            pgettext_lazy("gates report", "Vehicle entries"),
            series(vehicles, "entries"),
        ),
        Figure.over_days(
            "access.vehicles_refused",
            pgettext_lazy("gates report", "Vehicles refused"),
            series(vehicles, "refused"),
            better="down",
        ),
    ]
    if slots:
        out.append(
            Figure.over_days(
                "access.slot_fill",
                pgettext_lazy("gates report", "Fullest meal slot"),
                [figures.fullest_share(slots, fill[d]) for d in days],
                unit="%",
                better="down",
            )
        )
    if any(trips[d]["trips"] for d in days):
        out.append(
            Figure.over_days(
                "access.trips_not_disinfected",
                _("Bus trips without disinfection"),
                series(trips, "not_disinfected"),
                better="down",
            )
        )
    return out


def _reason(reason: str):
    try:
        return RefusalReason(reason).label
    except ValueError:
        return reason or "—"


def _reasons_table(reasons: dict[str, int]) -> Table:
    rows = sorted(reasons.items(), key=lambda item: (-item[1], item[0]))
    return Table(
        _("Refusals at the gates by reason"),
        [pgettext_lazy("gates report", "Reason"), pgettext_lazy("gates report", "Refused")],
        [[_reason(reason), n] for reason, n in rows],
    )


def _fever_flags(organization, day: dt.date) -> list[Flag]:
    return [
        Flag(
            FlagKind.ABNORMAL,
            Text(
                _("Fever at %(gate)s: %(name)s, %(temperature)s °C at %(time)s"),
                gate=Text.plain(p.gate.name),
                name=Text.plain(
                    p.person.name if p.person_id else (p.visit.name if p.visit_id else "—")
                ),
                temperature=f"{p.temperature}" if p.temperature is not None else "—",
                time=f"{timezone.localtime(p.at):%H:%M}",
            ),
        )
        for p in figures.fevers(organization, day, FEVERS_NAMED)
    ]


def _trip_flags(organization, day: dt.date) -> list[Flag]:
    trips = (
        BusTrip.objects.filter(organization=organization, day=day, disinfected_at__isnull=True)
        .select_related("route")
        .order_by("departs", "route__name", "pk")
    )
    return [
        Flag(
            FlagKind.OVERDUE,
            Text(
                _("Bus %(route)s departing %(time)s: no disinfection recorded"),
                route=Text.plain(t.route.name),
                time=f"{t.departs:%H:%M}",
            ),
        )
        for t in trips
    ]


def _slots(slots: list[MealSlot], fill: dict[int, int]) -> tuple[list[list], list[Flag]]:
    rows, flags = [], []
    best = figures.fullest(slots, fill)
    for canteen_id in sorted(best, key=lambda c: best[c][0].canteen.name):
        slot, n = best[canteen_id]
        if not n:
            continue
        share = round(100 * n / slot.capacity) if slot.capacity else 0
        label = f"{slot.name} {slot.starts:%H:%M}"
        rows.append([Text.plain(slot.canteen.name), Text.plain(label), n, slot.capacity, share])
        if n > slot.capacity:
            flags.append(
                Flag(
                    FlagKind.ABNORMAL,
                    Text(
                        _("%(canteen)s, slot %(slot)s: %(n)s people for %(places)s places"),
                        canteen=Text.plain(slot.canteen.name),
                        slot=Text.plain(label),
                        n=n,
                        places=slot.capacity,
                    ),
                )
            )
    return rows, flags
