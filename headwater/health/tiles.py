"""The health app's dashboard tiles (core.tiles interface); its briefing sections are in
health.sections."""

from django.urls import reverse
from django.utils.translation import gettext as _

from headwater.core import clock, codes
from headwater.core.tiles import Tile, tile_provider
from headwater.health.overview import completion_for
from headwater.health.permissions import CHECK_IN, VIEW_UNIT_CHECKINS


@tile_provider
def health_tiles(user, organization) -> list[Tile]:
    tiles = []
    if user.person_id and user.has_perm(CHECK_IN):
        code = codes.current(user.person_id)
        if code:
            tiles.append(
                Tile(
                    _("My health code"),
                    code.label,
                    note=code.reason,
                    url=reverse("health:checkin"),
                    colour=code.css,
                    order=1,
                )
            )
    if user.has_perm(VIEW_UNIT_CHECKINS):
        done, total, abnormal = completion_for(user, clock.today())
        tiles.append(
            Tile(
                _("Checked in today"),
                f"{done:,} / {total:,}",
                note=_("%(n)s abnormal") % {"n": abnormal},
                url=reverse("health:unit"),
                colour="danger" if abnormal else "primary",
                order=2,
            )
        )
    return tiles
