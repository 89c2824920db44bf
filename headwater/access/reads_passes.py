"""Reads of the passes pages and API: the printed cards a user may see, filtered."""

from django.db.models import Q

from headwater.access.models import PassCard
from headwater.core import clock

STATES = ("active", "revoked", "expired")


def cards_queryset(user, q: str = "", state: str = ""):
    """The cards the user may see (the office every card; anybody else their own), filtered
    by a name, staff number or serial and by state."""
    qs = (
        PassCard.objects.visible_to(user)
        .select_related("person__unit")
        .order_by("-issued_at", "-pk")
    )
    q = q.strip()[:50]
    if q:
        qs = qs.filter(Q(person__name__contains=q) | Q(person__employee_no=q) | Q(serial=q.upper()))
    today = clock.today()
    if state == "active":
        qs = qs.filter(revoked_at__isnull=True, expires_on__gte=today)
    elif state == "revoked":
        qs = qs.filter(revoked_at__isnull=False)
    elif state == "expired":
        qs = qs.filter(revoked_at__isnull=True, expires_on__lt=today)
    return qs
