"""The gates' home tiles (core.tiles interface), counted over what the user may see (the
office and leaders every gate, a unit head the gates at their units' sites, a team member
their gate): today's passages in and refusals, the visitors on site now, the fill of each
meal slot running now. Three grouped queries and a look at the slots."""

from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from headwater.access import now as gates_now
from headwater.access.choices import Decision, Direction
from headwater.access.models import Gate, MealSlot, Passage, Visit
from headwater.core import clock
from headwater.core.tiles import Tile, tile_provider

SLOT_TILES = 3


@tile_provider
def access_tiles(user, organization) -> list[Tile]:
    gates = Gate.objects.visible_to(user)
    if not gates.exists():
        return []
    now = clock.now()
    start, end = clock.day_bounds(clock.today())
    seen = Passage.objects.visible_to(user).filter(at__gte=start, at__lt=end)
    today = seen.aggregate(
        passages=Count("id", filter=Q(decision=Decision.ALLOW, direction=Direction.IN)),
        refused=Count("id", filter=Q(decision=Decision.REFUSE)),
    )
    visitors = gates_now.on_site(Visit.objects.visible_to(user), now).count()
    tiles = [
        Tile(pgettext("gates report", "Passages in today"), f"{today['passages']:,}", order=30),
        Tile(
            _("Refused at the gates today"),
            f"{today['refused']:,}",
            colour="danger" if today["refused"] else "success",
            order=31,
        ),
        Tile(
            pgettext("gates report", "Visitors on site now"),
            f"{visitors:,}",
            colour="info",
            order=32,
        ),
    ]
    return tiles + _slot_tiles(user, seen, now)


def _slot_tiles(user, seen, now) -> list[Tile]:
    slots = list(MealSlot.objects.visible_to(user).select_related("canteen"))
    running = gates_now.running(slots, now)[:SLOT_TILES]
    if not running:
        return []
    fill = dict(
        seen.filter(slot__in=running, decision=Decision.ALLOW)
        .order_by()
        .values_list("slot_id")
        .annotate(n=Count("id"))
    )
    tiles = []
    for slot in running:
        n = fill.get(slot.pk, 0)
        tiles.append(
            Tile(
                _("Slot fill now: %(canteen)s %(time)s")
                % {"canteen": slot.canteen.name, "time": f"{slot.starts:%H:%M}"},
                f"{n:,} / {slot.capacity:,}",
                colour="danger"
                if n > slot.capacity
                else "warning"
                if n == slot.capacity
                else "primary",
                order=33,
            )
        )
    return tiles
