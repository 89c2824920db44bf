"""The isolation app's home tile (core.tiles interface): open cases in the user's scope and
those not followed up today."""

from django.urls import reverse
from django.utils.translation import gettext as _

from headwater.core import clock
from headwater.core.tiles import Tile, tile_provider
from headwater.isolation.models import Case
from headwater.isolation.permissions import VIEW_CASES


@tile_provider
def isolation_tiles(user, organization) -> list[Tile]:
    if not user.has_perm(VIEW_CASES):
        return []
    cases = Case.objects.visible_to(user).open()
    current = cases.count()
    if not current:
        return []
    overdue = cases.unchecked_on(clock.today()).count()
    return [
        Tile(
            _("In isolation"),
            f"{current:,}",
            note=_("%(n)s not followed up today") % {"n": overdue},
            url=reverse("isolation:list"),
            colour="warning" if overdue else "primary",
            order=20,
        )
    ]
