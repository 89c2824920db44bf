"""What the visitors part registers at start-up (imported from AppConfig.ready()): its menu
entries, and the audit of visits and vehicle entries without their idempotency keys (a
client's retry token, no fact about the visit, with no label to show in the trail)."""

from django.utils.translation import gettext_lazy as _

from headwater.access import models as m
from headwater.access import permissions as p
from headwater.core import navigation
from headwater.core.audit import track

M = navigation.MenuItem
navigation.add(M(_("Visitor registration"), "access:visitor_gates", p.SCAN, 8, group="daily"))
navigation.add(
    M(
        _("Visitors waiting for me"),
        "access:my_visits",
        p.OWN_PASS,
        9,
        when=navigation.has_person,
        group="daily",
    )
)
navigation.add(M(_("Visitors"), "access:visits", p.VIEW_PASSAGES, 47, group="health"))

track(m.Visit, mask=["phone", "id_number"], exclude=["key"])
track(m.VehicleEntry, mask=["driver_phone"], exclude=["key"])
