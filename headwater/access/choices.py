"""States and kinds of the access app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class GateKind(models.TextChoices):
    GATE = "gate", _("Site gate")
    CHECKPOINT = "checkpoint", _("Community checkpoint")
    PRODUCTION = "production", _("Production area door")
    CANTEEN = "canteen", _("Canteen door")
    BUS = "bus", _("Commute bus")


class Direction(models.TextChoices):
    IN = "in", _("In")
    OUT = "out", _("Out")


class Decision(models.TextChoices):
    ALLOW = "allow", _("Allowed")
    REFUSE = "refuse", _("Refused")


class Credential(models.TextChoices):
    """What was shown at the gate."""

    PASS = "pass", _("Health pass (phone)")
    CARD = "card", _("Printed pass card")
    VISIT = "visit", _("Visitor pass")
    TYPED = "typed", _("Staff number typed by the guard")


class RefusalReason(models.TextChoices):
    """Why a scan was refused (empty when allowed). The scanner shows the label."""

    RED_CODE = "red_code", _("Red code")
    YELLOW_CODE = "yellow_code", _("Yellow code")
    NO_CODE = "no_code", _("No health code")
    FEVER = "fever", _("Fever")
    WRONG_SLOT = "wrong_slot", _("Not this canteen slot")
    REVOKED_CARD = "revoked_card", _("Revoked card")
    UNKNOWN_PERSON = "unknown_person", _("Unknown person")
    SITE_CLOSED = "site_closed", _("Site closed to outsiders")
    EXPIRED = "expired", _("Expired or replayed pass")
    FORGED = "forged", _("Pass not signed by this organization")
    VISIT_NOT_APPROVED = "visit_not_approved", _("Visit not approved")
    VISIT_OVER = "visit_over", _("Visit over")
    NOT_ON_TRIP = "not_on_trip", _("No trip of this bus now")


class VisitState(models.TextChoices):
    PENDING = "pending", _("Awaiting the host")
    APPROVED = "approved", _("Approved by the host")
    REFUSED = "refused", _("Refused by the host")
    CANCELLED = "cancelled", _("Cancelled")
    ENDED = "ended", _("Visit ended")


class MealOrderKind(models.TextChoices):
    BOX = "box", _("Box meals")
    GROUP = "group", _("Group order")
