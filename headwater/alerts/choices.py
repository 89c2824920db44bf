"""Choices of the alerts app, each with a translated label and, where pages show it, a colour."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Severity(models.TextChoices):
    """How urgent an alert is; a robot channel takes alerts at or above its minimum."""

    INFO = "info", _("Info")
    WARNING = "warning", _("Warning")
    CRITICAL = "critical", _("Critical")

    @classmethod
    def colour(cls, value: str) -> str:
        return {"info": "info", "warning": "warning", "critical": "danger"}.get(value, "secondary")

    @classmethod
    def rank(cls, value: str) -> int:
        return cls.values.index(value)


class ChannelKind(models.TextChoices):
    DINGTALK = "dingtalk", _("DingTalk group robot")
    WECOM = "wecom", _("WeCom group robot")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")

    @classmethod
    def colour(cls, value: str) -> str:
        return {"pending": "warning", "sent": "success", "failed": "danger"}.get(value, "secondary")


class AlertState(models.TextChoices):
    """Where an alert is in its handling; open and acknowledged alerts are both still open."""

    OPEN = "open", pgettext_lazy("alert", "Open")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    CLOSED = "closed", _("Closed")

    @classmethod
    def colour(cls, value: str) -> str:
        return {"open": "danger", "acknowledged": "warning", "closed": "success"}.get(
            value, "secondary"
        )
