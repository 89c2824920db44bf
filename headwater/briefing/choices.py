"""Choices of the briefing app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class BriefingKind(models.TextChoices):
    DAILY = "daily", _("Daily briefing")


class Channel(models.TextChoices):
    """How a briefing version is distributed."""

    ROBOTS = "robots", _("Group robots")
    EMAIL = "email", _("E-mail")


class DispatchStatus(models.TextChoices):
    PENDING = "pending", _("Being sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
