"""Write use-cases of the alerts app; `raise_alert` is the one way a capability alerts people.

    from headwater.alerts.services import raise_alert
    raise_alert(org, kind="health.abnormal_checkin", title=..., link=..., unit=person.unit,
                to_roles=["unit_head", "office"], dedup_key=f"checkin:{checkin.pk}")

An alert lands in the inbox of each recipient and is carried to every active group robot
whose filters take it. Robot deliveries are sent by the task queue after the commit and
retried with backoff (1, 2, 4, 8, 16 minutes) until sent or given up after six attempts.
Each robot gets at most 20 posts a minute (the platforms' limit); what waits beyond that is
merged into one digest message, and the platform's own rate-limit answer means "later".
"""

import datetime as dt
import logging
from collections.abc import Iterable
from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils.translation import gettext as _
from huey.contrib.djhuey import db_task

from headwater.alerts import channels
from headwater.alerts.choices import ChannelKind, DeliveryStatus, Severity
from headwater.alerts.models import (
    Alert,
    Delivery,
    InboxItem,
    WebhookChannel,
    validate_webhook_url,
)
from headwater.alerts.permissions import MANAGE_WEBHOOKS
from headwater.alerts.querysets import recipient_ids
from headwater.core import clock
from headwater.core.audit import acting_as
from headwater.core.errors import NotAllowed, invalid
from headwater.core.models import Organization, Unit

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 6
# A claimed delivery is not due again until the claim runs out: longer than the post's
# timeout, so two workers never send it at once, and short, so a worker that died mid-send
# only delays it.
CLAIM = dt.timedelta(seconds=channels.TIMEOUT_SECONDS * 6)
TEST_KIND = "alerts.test"
# DingTalk and WeCom group robots take at most 20 messages a minute each, then refuse for a
# while (DingTalk: ten minutes): posts to one robot are paced within that.
RATE_LIMIT = 20
WINDOW = dt.timedelta(minutes=1)
DIGEST_MAX = 200  # deliveries looked at for one digest (channels.DIGEST_BYTES bounds it too)


@transaction.atomic
def raise_alert(
    organization: Organization,
    *,
    kind: str,
    title: str,
    body: str = "",
    severity: str = Severity.WARNING,
    link: str = "",
    unit: Unit | None = None,
    to_users: Iterable = (),
    to_roles: Iterable[str] = (),
    dedup_key: str = "",
) -> Alert:
    """Raise an alert: inbox items for the recipients, robot deliveries for matching channels.

    Recipients are `to_users` (users or ids) and, for each role in `to_roles`, the active
    users of the organization whose grant of that role covers `unit` (an organization-wide
    grant covers every unit; with no unit only organization-wide grants match). With a
    `dedup_key` already raised in the organization, returns that alert and does nothing else.
    """
    _check_arguments(organization, kind=kind, severity=severity, link=link, unit=unit)
    fields = {
        "kind": kind,
        "title": title[: Alert._meta.get_field("title").max_length],
        "body": body,
        "severity": severity,
        "link": link,
        "unit": unit,
        "created_at": clock.now(),
    }
    if dedup_key:
        alert, created = Alert.objects.get_or_create(
            organization=organization, dedup_key=dedup_key, defaults=fields
        )
        if not created:
            return alert
    else:
        alert = Alert.objects.create(organization=organization, **fields)
    users = recipient_ids(organization, unit=unit, to_users=to_users, to_roles=to_roles)
    InboxItem.objects.bulk_create(InboxItem(alert=alert, user_id=pk) for pk in sorted(users))
    matching = WebhookChannel.objects.filter(organization=organization).active()
    _queue_deliveries(alert, [c for c in matching.select_related("unit") if c.takes(alert)])
    return alert


def _check_arguments(organization, *, kind: str, severity: str, link: str, unit) -> None:
    """A bad argument is a bug in the raising capability, not something a user can fix."""
    if not kind or severity not in Severity.values:
        raise ValueError(f"raise_alert: bad kind {kind!r} or severity {severity!r}")
    if link and (not link.startswith("/") or link.startswith("//")):
        raise ValueError(f"raise_alert: link must be a path inside Headwater, got {link!r}")
    if unit is not None and unit.organization_id != organization.pk:
        raise ValueError("raise_alert: the unit belongs to another organization")


def _queue_deliveries(alert: Alert, targets: list[WebhookChannel]) -> list[Delivery]:
    now = clock.now()
    deliveries = [
        Delivery.objects.create(alert=alert, channel=channel, next_attempt_at=now)
        for channel in targets
    ]
    for delivery in deliveries:
        transaction.on_commit(partial(_enqueue, delivery.pk))
    return deliveries


def _enqueue(delivery_id: int) -> None:
    deliver(delivery_id)


@db_task()
def deliver(delivery_id: int) -> str | None:
    """The queue's task: send one delivery now if it is due; failures are rescheduled by
    attempt_delivery. Defined here (and re-exported by tasks.py, where the worker finds it) so
    that services and tasks do not import each other."""
    delivery = attempt_delivery(delivery_id)
    return delivery.status if delivery else None


def mark_read(user, item_ids: Iterable[int]) -> int:
    """Mark some of the user's own inbox items read; returns how many were unread."""
    items = InboxItem.objects.visible_to(user).unread().filter(pk__in=list(item_ids))
    return items.update(read_at=clock.now())


def mark_all_read(user) -> int:
    """Mark the user's whole inbox read; returns how many were unread."""
    return InboxItem.objects.visible_to(user).unread().update(read_at=clock.now())


def require_manager(by, channel: WebhookChannel | None = None) -> None:
    """Refuse anybody but the office (alerts.manage_webhooks) of the channel's organization."""
    if not by.has_perm(MANAGE_WEBHOOKS):
        raise NotAllowed(_("Your role may not manage group robots."))
    if channel and not by.is_superuser and channel.organization_id != by.organization_id:
        raise NotAllowed(_("Your role may not manage group robots."))


@transaction.atomic
def save_channel(channel: WebhookChannel, *, by) -> WebhookChannel:
    """Create or update a group robot channel (office only); audited with URL and secret masked."""
    require_manager(by, channel)
    errors = clean_channel(channel)
    if errors:
        raise invalid(errors)
    with acting_as(by):
        channel.save()
    return channel


def clean_channel(channel: WebhookChannel) -> dict[str, str]:
    """Normalize the channel in place; return a message for every bad field."""
    errors: dict[str, str] = {}
    channel.name = channel.name.strip()
    channel.url = channel.url.strip()
    channel.secret = channel.secret.strip()
    if not channel.name:
        errors["name"] = _("This field is required.")
    if channel.kind not in ChannelKind.values:
        errors["kind"] = _("Unknown robot kind: choose DingTalk or WeCom.")
    try:
        validate_webhook_url(channel.url)
    except ValidationError as e:
        errors["url"] = e.messages[0]
    if channel.min_severity not in Severity.values:
        errors["min_severity"] = _("Unknown severity.")
    if not isinstance(channel.kinds, list) or not all(isinstance(k, str) for k in channel.kinds):
        errors["kinds"] = _("Enter alert kinds as a list of prefixes.")
    else:
        channel.kinds = list(dict.fromkeys(k.strip() for k in channel.kinds if k.strip()))
    in_org = Unit.objects.filter(pk=channel.unit_id, organization_id=channel.organization_id)
    if channel.unit_id and not in_org.exists():
        errors["unit_id"] = _("Unknown unit.")
    return errors


@transaction.atomic
def send_test(channel: WebhookChannel, *, by) -> Delivery:
    """Send a test message to one robot through the same path as every alert (office only)."""
    require_manager(by, channel)
    alert = Alert.objects.create(
        organization=channel.organization,
        kind=TEST_KIND,
        severity=Severity.INFO,
        title=_("Test message from Headwater"),
        body=_("%(user)s sent this to check the group robot “%(channel)s”.")
        % {"user": getattr(by.person, "name", "") or by.username, "channel": channel.name},
        link=reverse("alerts:robots"),
        created_at=clock.now(),
    )
    (delivery,) = _queue_deliveries(alert, [channel])
    return delivery


def attempt_delivery(delivery_id: int) -> Delivery | None:
    """Send a due delivery once and record what came of it.

    A conditional UPDATE claims the delivery (counts the attempt and pushes its due time
    past the post's timeout), so a second worker finds it not due and leaves it alone.
    Returns None when the delivery was not due or somebody else holds it. A robot that
    posted RATE_LIMIT times in the last minute waits for its next free slot (not a failure);
    when more deliveries are due for it than it has slots, one digest carries them all.
    """
    now = clock.now()
    claimed = (
        Delivery.objects.due(now)
        .filter(pk=delivery_id)
        .update(attempts=F("attempts") + 1, next_attempt_at=now + CLAIM)
    )
    if not claimed:
        return None
    delivery = Delivery.objects.select_related("alert", "channel").get(pk=delivery_id)
    if not delivery.channel.active:
        outcome = channels.Outcome(False, "", "channel switched off")
        return _record(delivery, outcome, give_up=True)
    posts = list(
        Delivery.objects.filter(channel_id=delivery.channel_id, posted_at__gt=now - WINDOW)
        .order_by("posted_at")
        .values_list("posted_at", flat=True)
    )
    if len(posts) >= RATE_LIMIT:
        return _later(delivery, posts[len(posts) - RATE_LIMIT] + WINDOW)
    merged = _claim_waiting(delivery, now, free=RATE_LIMIT - len(posts))
    if merged:
        titles = [d.alert.title for d in (delivery, *merged)]
        url, payload = channels.digest_for(delivery.channel, titles)
    else:
        url, payload = channels.message_for(delivery.channel, delivery.alert)
    delivery.posted_at = now
    outcome = channels.post(url, payload)
    if outcome.later:
        until = clock.now() + dt.timedelta(minutes=outcome.wait_minutes)
        for d in merged:
            _later(d, until, outcome)
        return _later(delivery, until, outcome)
    for d in merged:
        _record(d, outcome, digest=delivery)
    return _record(delivery, outcome)


def _claim_waiting(delivery: Delivery, now: dt.datetime, *, free: int) -> list[Delivery]:
    """The other deliveries due for the same robot, claimed for one digest, when there are
    more of them (this one included) than the robot has free slots; none otherwise. As many
    as fit in one message; the rest wait for the next."""
    waiting = list(
        Delivery.objects.due(now)
        .filter(channel_id=delivery.channel_id)
        .exclude(pk=delivery.pk)
        .select_related("alert")
        .order_by("next_attempt_at", "id")[:DIGEST_MAX]
    )
    if len(waiting) + 1 <= free:
        return []
    size = len(channels.digest_line(delivery.alert.title).encode())
    fitting = []
    for other in waiting:
        size += len(channels.digest_line(other.alert.title).encode())
        if size > channels.DIGEST_BYTES:
            break
        fitting.append(other.pk)
    until = now + CLAIM
    Delivery.objects.due(now).filter(pk__in=fitting).update(
        attempts=F("attempts") + 1, next_attempt_at=until
    )
    # Those another worker claimed meanwhile carry its own claim time, not ours.
    return list(
        Delivery.objects.filter(
            pk__in=fitting, status=DeliveryStatus.PENDING, next_attempt_at=until
        )
        .select_related("alert")
        .order_by("id")
    )


def backoff(attempts: int) -> dt.timedelta:
    """The wait after the n-th failed attempt: 1, 2, 4, 8, 16 minutes."""
    return dt.timedelta(minutes=2 ** (attempts - 1))


def _later(
    delivery: Delivery, until: dt.datetime, outcome: channels.Outcome | None = None
) -> Delivery:
    """Wait for the robot's next free slot: not a failed attempt, so it is not counted."""
    delivery.attempts -= 1
    delivery.next_attempt_at = until
    fields = ["attempts", "next_attempt_at", "posted_at"]
    if outcome is not None:
        delivery.response, delivery.last_error = outcome.response, outcome.error
        fields += ["response", "last_error"]
    delivery.save(update_fields=fields)
    return delivery


def _record(
    delivery: Delivery,
    outcome: channels.Outcome,
    *,
    give_up: bool = False,
    digest: Delivery | None = None,
) -> Delivery:
    now = clock.now()
    delivery.response = outcome.response
    if outcome.ok:
        delivery.status, delivery.sent_at, delivery.next_attempt_at = DeliveryStatus.SENT, now, None
        delivery.digest = digest
    else:
        delivery.last_error = outcome.error
        log.warning(
            "alert delivery %s failed (attempt %s): %s",
            delivery.pk,
            delivery.attempts,
            outcome.error,
        )
        if give_up or outcome.final or delivery.attempts >= MAX_ATTEMPTS:
            delivery.status, delivery.next_attempt_at = DeliveryStatus.FAILED, None
        else:
            delivery.next_attempt_at = now + backoff(delivery.attempts)
    delivery.save(
        update_fields=[
            "status",
            "response",
            "last_error",
            "next_attempt_at",
            "sent_at",
            "posted_at",
            "digest",
        ]
    )
    return delivery
