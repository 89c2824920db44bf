"""Read logic of the alerts app: a user's own inbox, the organization's robots, due deliveries."""

import datetime as dt
from collections.abc import Iterable

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce

from headwater.core.models import RoleGrant, Unit


class AlertQuerySet(models.QuerySet):
    def for_organization(self, organization) -> "AlertQuerySet":
        return self.filter(organization=organization)

    def escalation_due(self) -> "AlertQuerySet":
        """Critical, open, unacknowledged, not yet escalated, with a role to escalate to (the
        time limit is the caller's: it depends on the organization's level)."""
        return self.filter(
            severity="critical",
            acknowledged_at__isnull=True,
            closed_at__isnull=True,
            escalated_at__isnull=True,
        ).exclude(escalate_to="")


class InboxItemQuerySet(models.QuerySet):
    def visible_to(self, user) -> "InboxItemQuerySet":
        """A user's inbox is their own: nobody else's items, whatever their role."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(user=user)

    def unread(self) -> "InboxItemQuerySet":
        return self.filter(read_at__isnull=True)

    def open(self) -> "InboxItemQuerySet":
        """Items whose alert is not closed (acknowledged ones included)."""
        return self.filter(alert__closed_at__isnull=True)

    def handled(self) -> "InboxItemQuerySet":
        """Items whose alert is closed."""
        return self.filter(alert__closed_at__isnull=False)

    def newest_first(self) -> "InboxItemQuerySet":
        return self.select_related(
            "alert",
            "alert__unit",
            "alert__acknowledged_by__person",
            "alert__closed_by__person",
        ).order_by(Coalesce("alert__updated_at", "alert__created_at").desc(), "-id")


class ChannelQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ChannelQuerySet":
        """Robot channels of the user's own organization."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self.all()
        return self.filter(organization_id=user.organization_id)

    def active(self) -> "ChannelQuerySet":
        return self.filter(active=True)


class DeliveryQuerySet(models.QuerySet):
    def visible_to(self, user) -> "DeliveryQuerySet":
        """Deliveries to robot channels of the user's own organization."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self.all()
        return self.filter(channel__organization_id=user.organization_id)

    def due(self, now: dt.datetime) -> "DeliveryQuerySet":
        """Pending deliveries whose next attempt (or claim, see services) has passed."""
        return self.filter(status="pending", next_attempt_at__lte=now)


def unread_count(user) -> int:
    """The number behind the bell in every page's layout: the user's unread items of open
    (not closed) alerts, one COUNT query. (models imports this module, so the model is taken
    from the app registry.)"""
    inbox = apps.get_model("alerts", "InboxItem")
    return inbox.objects.visible_to(user).unread().open().count()


def recipient_ids(organization, *, unit, to_users: Iterable = (), to_roles: Iterable[str] = ()):
    """Ids of the active users of the organization an alert goes to: `to_users` (users or ids),
    and the holders of a grant of one of `to_roles` that covers `unit`. A grant over a unit
    covers that unit's subtree, a grant without a unit the whole organization; an alert
    without a unit reaches only organization-wide grants."""
    members = get_user_model().objects.filter(organization=organization, is_active=True)
    ids: set[int] = set()
    wanted = [getattr(u, "pk", u) for u in to_users]
    if wanted:
        ids.update(members.filter(pk__in=wanted).values_list("pk", flat=True))
    roles = list(to_roles)
    if roles:
        covers = Q(unit__isnull=True)
        if unit is not None:
            steps = range(Unit.steplen, len(unit.path) + 1, Unit.steplen)
            covers |= Q(unit__path__in=[unit.path[:n] for n in steps])
        grants = RoleGrant.objects.filter(covers, role__in=roles, user__in=members)
        ids.update(grants.values_list("user_id", flat=True))
    return ids
