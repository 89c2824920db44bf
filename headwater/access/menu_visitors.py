"""Menu entries of the visitor pages (imported from AppConfig.ready())."""

from django.utils.translation import gettext_lazy as _

from headwater.access import permissions as p
from headwater.core import navigation

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
