"""The network's daily-briefing section (core.tiles interface): the critical customers cut
off or at risk (named, as flags; the board as it stands when the briefing is made), the
pressure alarms of the day reported (readings below a point's low or above its high
threshold, counted in SQL from Reading and PressurePoint) and the work orders opened and
closed that day, each with a 7-day trend from one grouped query. None when the organization
has neither critical customers nor a network model."""

from __future__ import annotations

import datetime as dt

from django.db.models import F, Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from headwater.core.tiles import (
    BriefingSection,
    Figure,
    Flag,
    FlagKind,
    Table,
    Text,
    briefing_section,
    counts_by_day,
    days_to,
)
from headwater.network.choices import PointKind, SupplyState, WorkOrderState
from headwater.network.models import CriticalCustomer, NetworkModel, Reading, WorkOrder
from headwater.network.services import board

TITLE = _("Critical customers and the pipe network")


def alarms(organization):
    """Pressure readings outside their point's thresholds (the points' columns, in SQL)."""
    return Reading.objects.filter(organization=organization, point__kind=PointKind.PRESSURE).filter(
        Q(point__low__isnull=False, value__lt=F("point__low"))
        | Q(point__high__isnull=False, value__gt=F("point__high"))
    )


@briefing_section
def network_section(organization, date: dt.date) -> BriefingSection | None:
    """The day before `date`."""
    has_customers = CriticalCustomer.objects.filter(organization=organization).exists()
    if not has_customers and not NetworkModel.objects.filter(organization=organization).exists():
        return None
    day = date - dt.timedelta(days=1)
    days = days_to(day)
    orders = WorkOrder.objects.filter(organization=organization)
    opened = counts_by_day(orders, "opened_at", days)
    closed = counts_by_day(orders.filter(state=WorkOrderState.CLOSED), "closed_at", days)
    alarmed = counts_by_day(alarms(organization), "at", days)
    rows = board.states(organization)
    counts = board.counts(rows)
    not_fed = [r for r in rows if r.state != SupplyState.FED]
    active = orders.filter(state__in=WorkOrderState.active()).count()
    flags = [_flag(r) for r in not_fed]
    if alarmed[day]:
        flags.append(
            Flag(
                FlagKind.ABNORMAL,
                Text(_("%(n)s pressure readings outside their thresholds"), n=alarmed[day]),
            )
        )
    return BriefingSection(
        TITLE,
        key="network",
        order=55,
        lines=[
            Text(
                _("Critical customers: %(total)s; fed %(fed)s, at risk %(risk)s, cut off %(cut)s."),
                total=counts["total"],
                fed=counts[SupplyState.FED],
                risk=counts[SupplyState.AT_RISK],
                cut=counts[SupplyState.CUT],
            ),
            Text(
                _("Work orders: %(opened)s opened, %(closed)s closed; %(active)s active."),
                opened=opened[day],
                closed=closed[day],
                active=active,
            ),
            Text(_("Pressure alarms: %(n)s readings."), n=alarmed[day]),
        ],
        figures=[
            Figure.over_days(
                "network.pressure_alarms",
                _("Pressure alarms"),
                [alarmed[d] for d in days],
                better="down",
            ),
            Figure.over_days(
                "network.orders_opened",
                _("Network work orders opened"),
                [opened[d] for d in days],
                better="down",
            ),
            Figure.over_days(
                "network.orders_closed",
                _("Network work orders closed"),
                [closed[d] for d in days],
                better="up",
            ),
        ],
        tables=[_table(not_fed)] if not_fed else [],
        flags=flags,
        quiet="" if flags else _("Every critical customer fed; no pressure alarm."),
    )


def _flag(row: board.CustomerState) -> Flag:
    message = (
        _("Critical customer cut off: %(name)s (%(reasons)s)")
        if row.state == SupplyState.CUT
        else _("Critical customer at risk: %(name)s (%(reasons)s)")
    )
    return Flag(
        FlagKind.ABNORMAL,
        Text(message, name=Text.plain(row.customer.name), reasons=_Joined(row.reasons)),
    )


class _Joined(Text):
    """Reasons joined in the language they are rendered in."""

    def __init__(self, parts):
        super().__init__("")
        self.parts = parts

    def render(self) -> str:
        separator = "；" if translation.get_language().startswith("zh") else "; "
        return separator.join(str(p) for p in self.parts)


def _table(rows: list[board.CustomerState]) -> Table:
    return Table(
        _("Critical customers not fed"),
        [_("Critical customer"), _("Supply state"), _("Reasons"), _("Duty phone")],
        [
            [
                Text.plain(r.customer.name),
                SupplyState(r.state).label,
                _Joined(r.reasons),
                Text.plain(r.customer.duty_phone or "—"),
            ]
            for r in rows
        ],
    )
