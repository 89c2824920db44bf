"""Who reads visits and vehicle entries besides their models' scopes: the guard at a gate.

A guard holds `access.scan` (by a unit grant reaching the gate's site, or organization-wide)
or is listed on the gate's team; neither grants `access.view_passages`, so the models' own
scopes do not show a guard the visitors they register. `guard_gates(user)` is that one rule,
declared like a model scope, and `visits_for` / `vehicles_for` add the rows of those gates to
what `visible_to` shows."""

from django.db.models import Q

from headwater.access.models import Gate, VehicleEntry, Visit
from headwater.access.permissions import SCAN
from headwater.core.owned import AnyOf, ListedIn, ThroughSite

GUARD_SCOPE = AnyOf(
    (ThroughSite("site", SCAN), ListedIn("id", "access.GateTeamMember", "team__gate_id"))
)


def guard_gates(user):
    """The active gates where `user` registers visitors and vehicles."""
    if not user.is_authenticated:
        return Gate.objects.none()
    qs = Gate.objects.filter(active=True)
    if user.is_superuser:
        return qs
    q = GUARD_SCOPE.q(user)
    if q is None:
        return Gate.objects.none()
    return qs.filter(Q(organization_id=user.organization_id) & q)


def may_guard(user, gate: Gate) -> bool:
    return guard_gates(user).filter(pk=gate.pk).exists()


def visits_for(user):
    """Visits the user may open: their scope (site, host) and those of the gates they guard."""
    if not user.is_authenticated:
        return Visit.objects.none()
    guarded = guard_gates(user).values("pk")
    return Visit.objects.visible_to(user) | Visit.objects.filter(
        organization_id=user.organization_id, gate__in=guarded
    )


def vehicles_for(user):
    if not user.is_authenticated:
        return VehicleEntry.objects.none()
    guarded = guard_gates(user).values("pk")
    return VehicleEntry.objects.visible_to(user) | VehicleEntry.objects.filter(
        organization_id=user.organization_id, gate__in=guarded
    )
