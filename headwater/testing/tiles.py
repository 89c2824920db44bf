"""The testing app's home tile (core.tiles interface): the progress of each campaign running
now, counted over the people the user may see (a unit head their units'; a desk operator the
campaign they work)."""

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _

from headwater.core import clock
from headwater.core.tiles import Tile, tile_provider
from headwater.testing.choices import CampaignState, EntryStatus
from headwater.testing.completeness import AWAITING
from headwater.testing.models import Campaign, RosterEntry

SHOWN = 2


@tile_provider
def testing_tiles(user, organization) -> list[Tile]:
    today = clock.today()
    campaigns = list(
        Campaign.objects.visible_to(user)
        .filter(state=CampaignState.OPEN, starts_on__lte=today, ends_on__gte=today)
        .order_by("starts_on", "pk")[:SHOWN]
    )
    if not campaigns:
        return []
    counts: dict[int, dict[str, int]] = {c.pk: {} for c in campaigns}
    for campaign_id, status, n in (
        RosterEntry.objects.visible_to(user)
        .filter(campaign__in=campaigns)
        .order_by()
        .values_list("campaign_id", "status")
        .annotate(n=Count("id"))
    ):
        counts[campaign_id][status] = n
    tiles = []
    for campaign in campaigns:
        by_status = counts[campaign.pk]
        roster = sum(by_status.values())
        if not roster:
            continue
        pending = by_status.get(EntryStatus.PENDING, 0)
        awaiting = sum(by_status.get(s, 0) for s in AWAITING)
        tiles.append(
            Tile(
                _("Sampled: %(campaign)s") % {"campaign": campaign.name},
                f"{roster - pending:,} / {roster:,}",
                note=_("%(pending)s not sampled, %(awaiting)s awaiting a result")
                % {"pending": f"{pending:,}", "awaiting": f"{awaiting:,}"},
                url=reverse("testing:completeness", args=[campaign.pk]),
                colour="warning" if pending else "success",
                order=25,
            )
        )
    return tiles
