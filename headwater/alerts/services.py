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

from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from huey.contrib.djhuey import db_task

from headwater.alerts import channels
from headwater.alerts.choices import ChannelKind, DeliveryStatus, Severity
from headwater.alerts.models import (
    Alert,
    Delivery,
    InboxItem,
    WebhookChannel,
    user_name,
    validate_webhook_url,
)
from headwater.alerts.permissions import MANAGE_WEBHOOKS
from headwater.alerts.querysets import recipient_ids
from headwater.core import audit, clock, levels, locks
from headwater.core.audit import acting_as
from headwater.core.errors import NotAllowed, invalid
from headwater.core.models import Organization, Unit
from headwater.core.roles import Role

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
    episode: str = "",
    robots: bool = True,
) -> Alert:
    """Raise an alert: inbox items for the recipients, robot deliveries for matching channels.

    Recipients are `to_users` (users or ids) and, for each role in `to_roles`, the active
    users of the organization whose grant of that role covers `unit` (an organization-wide
    grant covers every unit; with no unit only organization-wide grants match). With a
    `dedup_key` already raised in the organization, returns that alert and does nothing else.

    With an `episode` whose alert is still open (not closed), that alert is updated instead:
    its title, body, severity, link and unit take the new values, `updates` counts one more
    and each recipient's one inbox item turns unread again; no robot repeats it (a robot that
    did not take it before and takes it now, its severity having risen, gets it once). The
    same values raised again change nothing. Once the episode's alert is closed, the next
    raise opens a new one. Two parallel raises of one episode leave one open alert.

    `robots=False` keeps the alert to the inbox: a nudge to named people (a reminder to read
    a notice) is not news for a group chat, whatever a robot's filters take.
    """
    _check_arguments(organization, kind=kind, severity=severity, link=link, unit=unit)
    to_roles = list(dict.fromkeys(to_roles))
    to_users = list(to_users)
    fields = {
        "kind": kind,
        "title": title[: Alert._meta.get_field("title").max_length],
        "body": body,
        "severity": severity,
        "link": link,
        "unit": unit,
        "created_at": clock.now(),
        "episode": episode,
        "to_roles": to_roles,
        "escalate_to": escalation_target(to_roles),
    }
    if episode:
        if dedup_key:  # a retried raise returns its alert, open or closed, changing nothing
            found = Alert.objects.filter(organization=organization, dedup_key=dedup_key).first()
            if found is not None:
                return found
        alert, created = _open_episode(organization, episode, dedup_key, fields)
        if not created:
            _update_episode(alert, fields, to_users=to_users)
            return alert
    elif dedup_key:
        alert, created = Alert.objects.get_or_create(
            organization=organization, dedup_key=dedup_key, defaults=fields
        )
        if not created:
            return alert
    else:
        alert = Alert.objects.create(organization=organization, **fields)
    users = recipient_ids(organization, unit=unit, to_users=to_users, to_roles=to_roles)
    InboxItem.objects.bulk_create(InboxItem(alert=alert, user_id=pk) for pk in sorted(users))
    if robots:
        _queue_deliveries(alert, _channels_taking(alert))
    return alert


def _open_episode(organization, episode: str, dedup_key: str, fields: dict) -> tuple[Alert, bool]:
    """The episode's open alert, locked, or a new one. A parallel raise that created it first
    makes our insert fail on the open-episode constraint: then its alert is the one."""
    open_alerts = Alert.objects.filter(
        organization=organization, episode=episode, closed_at__isnull=True
    )
    found = locks.lock(open_alerts)
    if found:
        return found[0], False
    try:
        with transaction.atomic():
            alert = Alert.objects.create(organization=organization, dedup_key=dedup_key, **fields)
        return alert, True
    except IntegrityError:
        found = locks.lock(open_alerts)
        if not found:  # the clash was the dedup key: that raise is ours, already done
            return Alert.objects.get(organization=organization, dedup_key=dedup_key), False
        return found[0], False


def _update_episode(alert: Alert, fields: dict, *, to_users: list) -> None:
    changed = [
        name
        for name in ("kind", "title", "body", "severity", "link")
        if getattr(alert, name) != fields[name]
    ]
    if alert.unit_id != getattr(fields["unit"], "pk", None):  # without reading the old unit
        changed.append("unit")
    if not changed:
        return  # the same raise again (a retry): nothing new to tell anybody
    for name in changed:
        setattr(alert, name, fields[name])
    alert.to_roles = list(dict.fromkeys([*alert.to_roles, *fields["to_roles"]]))
    alert.escalate_to = escalation_target(alert.to_roles)
    alert.updated_at = clock.now()
    alert.updates += 1
    alert.save(update_fields=[*changed, "to_roles", "escalate_to", "updated_at", "updates"])
    users = recipient_ids(
        alert.organization_id, unit=fields["unit"], to_users=to_users, to_roles=fields["to_roles"]
    )
    InboxItem.objects.bulk_create(
        (InboxItem(alert=alert, user_id=pk) for pk in sorted(users)), ignore_conflicts=True
    )
    alert.inbox_items.exclude(read_at=None).update(read_at=None)
    already = set(alert.deliveries.filter(escalation=False).values_list("channel_id", flat=True))
    _queue_deliveries(alert, [c for c in _channels_taking(alert) if c.pk not in already])


def _channels_taking(alert: Alert) -> list[WebhookChannel]:
    matching = WebhookChannel.objects.filter(organization_id=alert.organization_id).active()
    return [c for c in matching.select_related("unit") if c.takes(alert)]


def _check_arguments(organization, *, kind: str, severity: str, link: str, unit) -> None:
    """A bad argument is a bug in the raising capability, not something a user can fix."""
    if not kind or severity not in Severity.values:
        raise ValueError(f"raise_alert: bad kind {kind!r} or severity {severity!r}")
    if link and (not link.startswith("/") or link.startswith("//")):
        raise ValueError(f"raise_alert: link must be a path inside Headwater, got {link!r}")
    if unit is not None and unit.organization_id != organization.pk:
        raise ValueError("raise_alert: the unit belongs to another organization")


def _queue_deliveries(
    alert: Alert, targets: list[WebhookChannel], *, escalation: bool = False
) -> list[Delivery]:
    now = clock.now()
    deliveries = [
        Delivery.objects.create(
            alert=alert, channel=channel, next_attempt_at=now, escalation=escalation
        )
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


# --- Acknowledging, closing, escalating -------------------------------------------------

# "One level up": a critical alert nobody acknowledges in time goes to the next role above
# the highest of these it was addressed to; one addressed to none of them (lab staff, named
# users) goes to the unit heads over its unit; one addressed to the leaders goes nowhere.
ESCALATION_LADDER = (Role.UNIT_HEAD, Role.OFFICE, Role.LEADER)
ESCALATE_AFTER = "alerts.escalate_after_minutes"
NOTE_MAX = 1000
ESCALATION_BATCH = 200


def escalation_target(to_roles: Iterable[str]) -> str:
    """The role an alert addressed to `to_roles` escalates to ("" at the top of the ladder)."""
    rungs = [ESCALATION_LADDER.index(r) for r in to_roles if r in ESCALATION_LADDER]
    step = max(rungs) + 1 if rungs else 0
    return str(ESCALATION_LADDER[step]) if step < len(ESCALATION_LADDER) else ""


def _recipient_alert(alert: Alert, by) -> Alert:
    """The alert locked for a change by one of its recipients; anybody else is refused."""
    if not alert.inbox_items.filter(user_id=getattr(by, "pk", None)).exists():
        raise NotAllowed(_("Only those the alert went to may handle it."))
    return locks.lock_one(Alert, alert.pk)


def _stamp(moment: dt.datetime) -> str:
    return timezone.localtime(moment).isoformat(timespec="seconds")


@transaction.atomic
def acknowledge(alert: Alert, *, by) -> tuple[Alert, bool]:
    """A recipient says somebody is on it: who and when, once (again changes nothing; a closed
    alert is past acknowledging). Stops its escalation; marks the user's own item read."""
    alert = _recipient_alert(alert, by)
    InboxItem.objects.filter(alert=alert, user=by, read_at=None).update(read_at=clock.now())
    if alert.acknowledged_at is not None or alert.closed_at is not None:
        return alert, False
    alert.acknowledged_at, alert.acknowledged_by = clock.now(), by
    alert.save(update_fields=["acknowledged_at", "acknowledged_by"])
    audit.record(
        alert,
        actor=by,
        action=LogEntry.Action.UPDATE,
        acknowledged_at=_stamp(alert.acknowledged_at),
        acknowledged_by=user_name(by),
    )
    return alert, True


@transaction.atomic
def close(alert: Alert, *, by, note: str) -> tuple[Alert, bool]:
    """A recipient closes the alert with a note on what was done: who, when, the note, once
    (a closed alert stays as it was closed). Closing acknowledges it too if nobody had. The
    episode's next raise opens a new alert."""
    note = (note or "").strip()
    if not note:
        raise invalid({"note": _("Say what was done before closing the alert.")})
    if len(note) > NOTE_MAX:
        raise invalid({"note": _("Enter at most %(count)s characters.") % {"count": NOTE_MAX}})
    alert = _recipient_alert(alert, by)
    InboxItem.objects.filter(alert=alert, user=by, read_at=None).update(read_at=clock.now())
    if alert.closed_at is not None:
        return alert, False
    now = clock.now()
    fields = ["closed_at", "closed_by", "close_note"]
    if alert.acknowledged_at is None:
        alert.acknowledged_at, alert.acknowledged_by = now, by
        fields += ["acknowledged_at", "acknowledged_by"]
    alert.closed_at, alert.closed_by, alert.close_note = now, by, note
    alert.save(update_fields=fields)
    audit.record(
        alert,
        actor=by,
        action=LogEntry.Action.UPDATE,
        closed_at=_stamp(now),
        closed_by=user_name(by),
        close_note=note,
    )
    return alert, True


def escalate_overdue(organization: Organization) -> int:
    """Escalate the organization's critical alerts that nobody acknowledged or closed within
    the level's time (`alerts.escalate_after_minutes`, counted from the alert's first raise).
    Returns how many escalated now."""
    minutes = levels.value(organization, ESCALATE_AFTER)
    cutoff = clock.now() - dt.timedelta(minutes=minutes)
    due = list(
        Alert.objects.filter(organization=organization, created_at__lte=cutoff)
        .escalation_due()
        .order_by("created_at", "pk")
        .values_list("pk", flat=True)[:ESCALATION_BATCH]
    )
    return sum(escalate(pk) for pk in due)


@transaction.atomic
def escalate(alert_id: int) -> bool:
    """Escalate one alert one level, once: an inbox item marked escalated for each holder of
    its `escalate_to` role over its unit (an existing item of theirs turns unread and
    escalated), and one message marked escalated to each robot that takes it. A conditional
    UPDATE claims it, so a retry or a second worker finds it escalated and does nothing."""
    now = clock.now()
    claimed = Alert.objects.filter(pk=alert_id).escalation_due().update(escalated_at=now)
    if not claimed:
        return False
    alert = Alert.objects.select_related("unit", "organization").get(pk=alert_id)
    users = recipient_ids(alert.organization, unit=alert.unit, to_roles=[alert.escalate_to])
    have = set(alert.inbox_items.filter(user_id__in=users).values_list("user_id", flat=True))
    alert.inbox_items.filter(user_id__in=have).update(escalated=True, read_at=None)
    InboxItem.objects.bulk_create(
        InboxItem(alert=alert, user_id=pk, escalated=True) for pk in sorted(users - have)
    )
    _queue_deliveries(alert, _channels_taking(alert), escalation=True)
    audit.record(
        alert,
        actor=None,
        action=LogEntry.Action.UPDATE,
        escalated_at=_stamp(now),
        escalate_to=str(Role(alert.escalate_to).label),
    )
    return True


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
        titles = [d.title for d in (delivery, *merged)]
        url, payload = channels.digest_for(delivery.channel, titles)
    else:
        url, payload = channels.message_for(delivery.channel, delivery.alert, delivery.title)
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
    size = len(channels.digest_line(delivery.title).encode())
    fitting = []
    for other in waiting:
        size += len(channels.digest_line(other.title).encode())
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
