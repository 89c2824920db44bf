"""Kinds and states of service requests."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RequestKind(models.TextChoices):
    SHOPPING = "shopping", _("Shopping")
    GARBAGE = "garbage", _("Garbage collection")
    MEDICINE = "medicine", _("Medicine")
    ELECTRICAL = "electrical", _("Electrical repair")
    PLUMBING = "plumbing", _("Plumbing repair")
    NETWORK = "network", _("Network repair")
    OTHER = "other", _("Other")


class RequestState(models.TextChoices):
    OPEN = "open", _("Waiting to be accepted")
    ACCEPTED = "accepted", _("Accepted")
    DELIVERED = "delivered", _("Delivered")
    CLOSED = "closed", _("Confirmed")
    REOPENED = "reopened", _("Reopened")
