"""The duty home tiles (core.tiles interface): posts staffed now, the user's next shift, and
for unit heads the swaps waiting for them."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from headwater.core import clock
from headwater.core.tiles import Tile, tile_provider
from headwater.duty import now
from headwater.duty.choices import SwapState
from headwater.duty.models import Post, Swap
from headwater.duty.permissions import MANAGE_ROSTERS, VIEW_ON_DUTY


@tile_provider
def duty_tiles(user, organization) -> list[Tile]:
    if not user.has_perm(VIEW_ON_DUTY):
        return []
    moment = clock.now()
    rows = now.on_duty(Post.objects.visible_to(user), moment)
    if not rows:
        return []
    staffed = sum(1 for r in rows if r.people)
    short = sum(1 for r in rows if r.short)
    leaders = now.leaders(rows)
    note = _("Leader on duty: %(names)s") % {
        "names": "、".join(p.name for p in leaders) or _("nobody")
    }
    tiles = [
        Tile(
            _("On duty now"),
            f"{staffed}/{len(rows)}",
            note=note,
            url=reverse("duty:on_duty"),
            colour="danger" if short else "success",
            order=25,
        )
    ]
    mine = now.upcoming(user, moment, limit=1).first() if user.person_id else None
    if mine:
        start = timezone.localtime(mine.shift.starts_at)
        tiles.append(
            Tile(
                _("My next shift"),
                f"{start:%m-%d %H:%M}",
                note=f"{mine.shift.post.name} · {mine.shift.label}",
                url=reverse("duty:my_shifts"),
                order=26,
            )
        )
    if user.has_perm(MANAGE_ROSTERS):
        waiting = (
            Swap.objects.visible_to(user)
            .filter(state=SwapState.REQUESTED)
            .exclude(from_person_id=user.person_id or 0)
            .count()
        )
        if waiting:
            tiles.append(
                Tile(
                    _("Swaps to decide"),
                    str(waiting),
                    url=reverse("duty:swaps"),
                    colour="warning",
                    order=27,
                )
            )
    return tiles
