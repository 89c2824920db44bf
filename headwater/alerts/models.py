"""Alerts: what a capability raises, who reads it in Headwater, and which group robots carry it."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from headwater.alerts import channels
from headwater.alerts.choices import AlertState, ChannelKind, DeliveryStatus, Severity
from headwater.alerts.querysets import (
    AlertQuerySet,
    ChannelQuerySet,
    DeliveryQuerySet,
    InboxItemQuerySet,
)
from headwater.core import clock
from headwater.core.models import Organization, OrganizationAudited, Unit


def validate_webhook_url(value: str) -> None:
    """A robot's webhook is an http(s) address on an allowed robot host, outside the server's
    own network (channels.url_refusal); anything else (javascript:, 127.0.0.1) is refused."""
    problem = channels.url_problem(value)
    if problem:
        raise ValidationError(problem, code="invalid_url")


class Alert(OrganizationAudited, models.Model):
    """Something a person must act on, raised by a capability (services.raise_alert).

    `kind` is a dotted code chosen by the raising capability ("health.abnormal_checkin");
    robot channels filter on its prefix. A non-blank `dedup_key` makes raising idempotent:
    the organization gets at most one alert per key. A non-blank `episode` ("health.abnormal:
    <person id>") makes it one alert per episode: while the episode's alert is open (not
    closed), raising it again updates that alert instead of adding another (ADR 0010).

    A recipient acknowledges it (somebody is on it) and closes it with a note (handled). A
    critical alert nobody acknowledges within the level's time escalates once, to
    `escalate_to`, the next role up the ladder from the roles it was addressed to.
    """

    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="alerts",
        verbose_name=_("organization"),
    )
    kind = models.CharField(_("kind"), max_length=100)
    severity = models.CharField(
        _("severity"), max_length=10, choices=Severity.choices, default=Severity.WARNING
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("body"), blank=True)
    link = models.CharField(
        _("link"), max_length=500, blank=True, help_text=_("Where in Headwater to act on it.")
    )
    unit = models.ForeignKey(
        Unit,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="alerts",
        verbose_name=_("unit"),
    )
    created_at = models.DateTimeField(_("created at"), default=clock.now)
    dedup_key = models.CharField(_("deduplication key"), max_length=200, blank=True)
    episode = models.CharField(_("episode"), max_length=200, blank=True)
    updated_at = models.DateTimeField(_("updated at"), null=True, blank=True)
    updates = models.PositiveIntegerField(
        _("updates"), default=0, help_text=_("How many times the episode raised it again.")
    )
    to_roles = models.JSONField(_("addressed to roles"), default=list, blank=True)
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("acknowledged by"),
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("closed by"),
    )
    close_note = models.TextField(_("closing note"), blank=True)
    escalate_to = models.CharField(
        _("escalates to"),
        max_length=30,
        blank=True,
        help_text=_("The role a critical alert goes to when nobody acknowledges it in time."),
    )
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)

    objects = AlertQuerySet.as_manager()

    class Meta:
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "dedup_key"],
                condition=~Q(dedup_key=""),
                name="alert_dedup_key_unique",
            ),
            # One open alert per episode: two parallel raises cannot both create one.
            models.UniqueConstraint(
                fields=["organization", "episode"],
                condition=~Q(episode="") & Q(closed_at__isnull=True),
                name="alert_open_episode_unique",
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "created_at"]),
            models.Index(fields=["severity", "escalated_at", "acknowledged_at", "closed_at"]),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def severity_colour(self) -> str:
        return Severity.colour(self.severity)

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    @property
    def state(self) -> str:
        """open, acknowledged or closed (AlertState)."""
        if self.closed_at is not None:
            return AlertState.CLOSED
        if self.acknowledged_at is not None:
            return AlertState.ACKNOWLEDGED
        return AlertState.OPEN

    @property
    def state_label(self) -> str:
        return str(AlertState(self.state).label)

    @property
    def state_colour(self) -> str:
        return AlertState.colour(self.state)

    @property
    def acknowledged_by_name(self) -> str:
        return user_name(self.acknowledged_by)

    @property
    def closed_by_name(self) -> str:
        return user_name(self.closed_by)


def user_name(user) -> str:
    """A user as pages show them: their person's name, else their login name."""
    if user is None:
        return ""
    person = getattr(user, "person", None)
    return getattr(person, "name", "") or user.get_username()


class InboxItem(OrganizationAudited, models.Model):
    """One alert in one user's in-app inbox; unread until `read_at` is set."""

    alert = models.ForeignKey(
        Alert, on_delete=models.CASCADE, related_name="inbox_items", verbose_name=_("alert")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="inbox_items",
        verbose_name=_("user"),
    )
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    escalated = models.BooleanField(
        _("escalated"),
        default=False,
        help_text=_("It reached this user because nobody acknowledged the alert in time."),
    )

    objects = InboxItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("inbox item")
        verbose_name_plural = _("inbox items")
        constraints = [models.UniqueConstraint(fields=["alert", "user"], name="inbox_item_unique")]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return f"{self.user}: {self.alert}"

    def audit_organization_id(self) -> int:
        return self.alert.organization_id


class WebhookChannel(OrganizationAudited, models.Model):
    """A DingTalk or WeCom group robot that receives the organization's alerts.

    It takes an alert when the alert's kind starts with one of `kinds` (empty: every kind),
    its severity is at least `min_severity`, and, when `unit` is set, the alert concerns that
    unit or one below it. The URL carries the robot's token and `secret` signs DingTalk
    requests: both are masked in the audit trail.
    """

    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="webhook_channels",
        verbose_name=_("organization"),
    )
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=ChannelKind.choices)
    url = models.CharField(_("webhook URL"), max_length=500, validators=[validate_webhook_url])
    secret = models.CharField(
        _("signing secret"),
        max_length=200,
        blank=True,
        help_text=_("DingTalk only: the secret of the robot's signing (加签) security setting."),
    )
    kinds = models.JSONField(
        _("alert kinds"),
        default=list,
        blank=True,
        help_text=_("Prefixes of the alert kinds it takes, e.g. health; empty takes every kind."),
    )
    min_severity = models.CharField(
        _("minimum severity"), max_length=10, choices=Severity.choices, default=Severity.INFO
    )
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="webhook_channels",
        verbose_name=_("unit"),
        help_text=_("Only alerts concerning this unit or a unit below it; empty takes all."),
    )
    active = models.BooleanField(_("active"), default=True)

    objects = ChannelQuerySet.as_manager()

    class Meta:
        verbose_name = _("group robot")
        verbose_name_plural = _("group robots")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def url_host(self) -> str:
        """Where it posts, without the token the URL carries."""
        return urlsplit(self.url).hostname or ""

    def takes(self, alert: Alert) -> bool:
        """Whether this channel's filters let `alert` through (its active flag aside)."""
        if self.kinds and not any(kind_matches(alert.kind, prefix) for prefix in self.kinds):
            return False
        if Severity.rank(alert.severity) < Severity.rank(self.min_severity):
            return False
        if self.unit_id is None:
            return True
        return alert.unit is not None and alert.unit.path.startswith(self.unit.path)


def kind_matches(kind: str, prefix: str) -> bool:
    """Prefixes match whole dotted segments: "health" takes "health.fever", not "healthcare"."""
    prefix = prefix.rstrip(".")
    return kind == prefix or kind.startswith(prefix + ".")


class Delivery(OrganizationAudited, models.Model):
    """One alert sent (or being sent) to one robot channel, with its attempts.

    Pending deliveries are retried with backoff until sent or given up (failed); the
    periodic task picks up any that are due, so a restart of the worker loses none. Posts to
    one robot are paced within the platforms' limit; when more wait than the limit lets
    through, one digest message carries them all and each records it in `digest`.
    """

    alert = models.ForeignKey(
        Alert, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("alert")
    )
    channel = models.ForeignKey(
        WebhookChannel,
        on_delete=models.CASCADE,
        related_name="deliveries",
        verbose_name=_("group robot"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    escalation = models.BooleanField(
        _("escalation"),
        default=False,
        help_text=_("The message saying nobody acknowledged the alert in time."),
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    response = models.CharField(_("response"), max_length=500, blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    # The robot's send log, for pacing (services.RATE_LIMIT): when this delivery last posted.
    posted_at = models.DateTimeField(_("posted at"), null=True, blank=True)
    digest = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="merged",
        verbose_name=_("sent in the digest of"),
        help_text=_("The delivery whose message carried this alert with others that waited."),
    )

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["alert", "channel", "escalation"], name="delivery_unique"
            )
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"]),
            models.Index(fields=["channel", "posted_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.alert} → {self.channel}"

    def audit_organization_id(self) -> int:
        return self.alert.organization_id

    @property
    def status_colour(self) -> str:
        return DeliveryStatus.colour(self.status)

    @property
    def title(self) -> str:
        """What the robot message is headed: the alert's title, marked when it escalates."""
        if self.escalation:
            return _("Escalated, not acknowledged: %(title)s") % {"title": self.alert.title}
        return self.alert.title
