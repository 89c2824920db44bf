"""States and kinds of the testing app."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class CampaignState(models.TextChoices):
    DRAFT = "draft", _("Being prepared")
    OPEN = "open", pgettext_lazy("campaign state", "Open")
    CLOSED = "closed", _("Closed")


class PoolSize(models.IntegerChoices):
    SINGLE = 1, _("Single tube (1 per tube)")
    FIVE = 5, _("5 per tube")
    TEN = 10, _("10 per tube")
    TWENTY = 20, _("20 per tube")


class EntrySource(models.TextChoices):
    UNIT = "unit", _("Unit of the organization")
    IMPORT = "import", _("Outside people's list")
    DESK = "desk", _("Added at a desk")


class EntryStatus(models.TextChoices):
    """Where a person on the roster stands; kept on the entry by the services so that the
    completeness view is one grouped count."""

    PENDING = "pending", _("Not sampled")
    SAMPLED = "sampled", _("Sampled, awaiting result")
    CLEARED = "cleared", _("Negative")
    RETEST = "retest", _("Retest needed")
    RETESTING = "retesting", _("Retest sampled, awaiting result")
    POSITIVE = "positive", _("Positive")


class TubeKind(models.TextChoices):
    POOL = "pool", _("Pooled tube")
    SINGLE = "single", _("Individual retest tube")


class TubeState(models.TextChoices):
    UNUSED = "unused", _("Not used yet")
    OPEN = "open", _("Being filled")
    CLOSED = "closed", _("Closed")


class TubeResult(models.TextChoices):
    PENDING = "pending", _("Awaiting result")
    NEGATIVE = "negative", _("Negative")
    POSITIVE = "positive", _("Positive")
    INVALID = "invalid", _("Invalid")


class RetestState(models.TextChoices):
    OPEN = "open", pgettext_lazy("retest state", "Open")
    CLOSED = "closed", _("Closed")
