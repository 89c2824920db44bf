"""The testing app's daily-briefing section (core.tiles interface): for each campaign running
on the day reported (or ended the day before it, or still open for results), its progress at
the end of the day — on the roster, sampled, with a result, negative — with 7-day trends, the
untested by unit and company, and flags: pools found positive or invalid (ABNORMAL), retests
still pending and people never sampled once the campaign's days were over (OVERDUE)."""

import datetime as dt

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

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
from headwater.testing import day_figures
from headwater.testing.choices import CampaignState, TubeResult
from headwater.testing.models import Campaign

TABLE_ROWS = 30
LABELS = {
    "rostered": _("On a test campaign's roster"),
    "sampled": _("Sampled"),
    "results": _("With a test result"),
    "cleared": _("Tested negative"),
}


def reported(organization, day: dt.date):
    """The campaigns the briefing of the day after `day` speaks of."""
    return (
        Campaign.objects.of(organization)
        .exclude(state=CampaignState.DRAFT)
        .filter(starts_on__lte=day)
        .filter(Q(ends_on__gte=day - dt.timedelta(days=1)) | Q(state=CampaignState.OPEN))
        .order_by("starts_on", "pk")
    )


@briefing_section
def testing_section(organization, date: dt.date) -> BriefingSection | None:
    """The day before `date`. None when the organization never had a test campaign."""
    if not Campaign.objects.of(organization).exists():
        return None
    day = date - dt.timedelta(days=1)
    campaigns = list(reported(organization, day))
    if not campaigns:
        return BriefingSection(
            _("Test campaigns"),
            key="testing",
            order=45,
            quiet=_("No test campaign was running."),
        )
    days = days_to(day)
    figures = day_figures.per_day([c.pk for c in campaigns], days)
    series = {k: [figures[d][k] for d in days] for k in day_figures.FIGURES}
    lines, tables, flags = [], [], []
    for campaign in campaigns:
        mine = day_figures.per_day([campaign.pk], [day])[day]
        lines.append(
            Text(
                _(
                    "%(campaign)s (%(start)s – %(end)s): %(rostered)s on the roster, "
                    "%(sampled)s sampled, %(results)s with a result, %(cleared)s negative."
                ),
                campaign=Text.plain(campaign.name),
                start=f"{campaign.starts_on:%m-%d}",
                end=f"{campaign.ends_on:%m-%d}",
                **mine,
            )
        )
        flags += _flags(campaign, day, mine)
        untested = [row for row in day_figures.untested_by_unit(campaign, day) if row[2]]
        if untested:
            tables.append(
                Table(
                    Text(
                        _("Not sampled by unit: %(campaign)s"), campaign=Text.plain(campaign.name)
                    ),
                    [_("Unit or company"), _("On the roster"), _("Not sampled")],
                    [[Text.plain(label), roster, missing] for label, roster, missing in untested][
                        :TABLE_ROWS
                    ],
                )
            )
    return BriefingSection(
        _("Test campaigns"),
        key="testing",
        order=45,
        lines=lines,
        figures=[
            Figure.over_days(f"testing.{k}", LABELS[k], series[k], unit=PEOPLE, better="up")
            for k in day_figures.FIGURES
        ],
        tables=tables,
        flags=flags,
        quiet="" if flags else _("No positive pool, no retest pending, nobody left unsampled."),
    )


def _flags(campaign, day: dt.date, mine: dict[str, int]) -> list[Flag]:
    name = Text.plain(campaign.name)
    flags = [
        Flag(
            FlagKind.ABNORMAL,
            Text(
                _("%(campaign)s: pool %(tube)s %(result)s, %(n)s people to retest"),
                campaign=name,
                tube=barcode,
                result=TubeResult(result).label,
                n=n,
            ),
        )
        for barcode, result, n in day_figures.positive_pools(campaign, day)
    ]
    pending = day_figures.open_retests(campaign, day)
    if pending:
        flags.append(
            Flag(
                FlagKind.OVERDUE,
                Text(_("%(campaign)s: %(n)s retests pending"), campaign=name, n=pending),
            )
        )
    missing = mine["rostered"] - mine["sampled"]
    if campaign.ends_on <= day and missing:
        flags.append(
            Flag(
                FlagKind.OVERDUE,
                Text(
                    _("%(campaign)s ended on %(end)s: %(n)s people were never sampled"),
                    campaign=name,
                    end=f"{campaign.ends_on:%m-%d}",
                    n=missing,
                ),
            )
        )
    return flags
