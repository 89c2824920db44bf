"""The testing app's panels on the command dashboard (core.screen interface): the progress of
the campaigns running today (or still open for results) and who is still untested by unit and
company, worst first. Grouped counts over the entries' status (one GROUP BY per panel)."""

import datetime as dt
from collections import defaultdict

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from headwater.core.models import Unit
from headwater.core.screen import Panel, figure, screen_panel
from headwater.core.tiles import PEOPLE, Text
from headwater.testing.choices import CampaignState, EntryStatus, RetestState
from headwater.testing.completeness import AWAITING
from headwater.testing.models import Campaign, Retest, RosterEntry

BARS = 15


def running(organization, day: dt.date):
    return (
        Campaign.objects.of(organization)
        .filter(state=CampaignState.OPEN, starts_on__lte=day)
        .filter(Q(ends_on__gte=day) | Q(entries__status__in=AWAITING))
        .distinct()
        .order_by("starts_on", "pk")
    )


@screen_panel
def testing_panels(organization, day: dt.date) -> list[Panel]:
    ids = list(running(organization, day).values_list("pk", flat=True))
    if not ids:
        return []
    entries = RosterEntry.objects.filter(campaign_id__in=ids)
    by_status = dict(entries.order_by().values_list("status").annotate(n=Count("id")))
    roster = sum(by_status.values())
    pending = by_status.get(EntryStatus.PENDING, 0)
    awaiting = sum(by_status.get(s, 0) for s in AWAITING)
    retests = Retest.objects.filter(campaign_id__in=ids, state=RetestState.OPEN).count()
    items = [
        figure("testing.roster", _("On the roster"), roster, unit=PEOPLE),
        figure("testing.sampled", _("Sampled"), roster - pending, unit=PEOPLE, colour="success"),
        figure("testing.pending", _("Not sampled"), pending, unit=PEOPLE, colour="warning"),
        figure("testing.awaiting", _("Awaiting a result"), awaiting, unit=PEOPLE, colour="info"),
        figure(
            "testing.cleared",
            _("Negative"),
            by_status.get(EntryStatus.CLEARED, 0),
            unit=PEOPLE,
            colour="success",
        ),
        figure(
            "testing.retests",
            _("Retests pending"),
            retests,
            unit=PEOPLE,
            colour="danger" if retests else "secondary",
        ),
    ]
    share = round(100 * (roster - pending) / roster) if roster else 0
    panels = [
        Panel(
            "testing.progress",
            _("Test campaign progress"),
            "figures",
            {"items": items},
            order=85,
            size="w",
            note=Text(_("%(share)s%% sampled"), share=share),
        )
    ]
    bars = _untested(organization, entries)
    if bars:
        panels.append(
            Panel(
                "testing.untested",
                _("Not sampled by unit"),
                "bars",
                {
                    "items": [
                        {"label": label, "value": n, "text": f"{n:,}", "colour": "warning"}
                        for label, n in bars[:BARS]
                    ],
                    "max": bars[0][1],
                    "unit": PEOPLE,
                },
                order=86,
                size="t",
            )
        )
    return panels


def _untested(organization, entries) -> list[tuple[str, int]]:
    rows = (
        entries.filter(status=EntryStatus.PENDING)
        .order_by()
        .values_list("unit__path", "company")
        .annotate(n=Count("id"))
    )
    units = list(
        Unit.objects.filter(organization=organization, depth__lte=2)
        .order_by("-depth", "path")
        .values_list("path", "name")
    )
    totals: dict[str, int] = defaultdict(int)
    for path, company, n in rows:
        label = company if path is None else next((m for p, m in units if path.startswith(p)), "")
        totals[label] += n
    return sorted(totals.items(), key=lambda t: (-t[1], t[0]))
