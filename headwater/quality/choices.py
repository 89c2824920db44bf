"""Choices of the water-quality app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PointKind(models.TextChoices):
    RAW = "raw", _("Raw water")
    FINISHED = "finished", _("Finished water")
    NETWORK = "network", _("Network water")
    SECONDARY = "secondary", _("Secondary supply")
    TAP = "tap", _("Critical customer tap")

    @classmethod
    def is_network_end(cls, kind: str) -> bool:
        """Network-end water (末梢水): what reaches customers after the network."""
        return kind in (cls.NETWORK, cls.SECONDARY, cls.TAP)


class SupplyType(models.TextChoices):
    URBAN = "urban", _("Centralized supply")
    SMALL = "small", _("Small centralized supply")


class Category(models.TextChoices):
    MICROBIOLOGICAL = "micro", _("Microbiological")
    TOXICOLOGICAL = "toxic", _("Toxicological")
    GENERAL = "general", _("Sensory and general chemical")
    DISINFECTANT = "disinfectant", _("Disinfectant")
    RADIOLOGICAL = "radio", _("Radiological")


class LabKind(models.TextChoices):
    PLANT = "plant", _("Plant lab")
    CENTRAL = "central", _("Central lab")


class Frequency(models.TextChoices):
    EVERY_N_HOURS = "hours", _("Every N hours")
    TIMES_DAILY = "times", _("At set times each day")
    DAILY = "daily", _("Daily")
    WEEKDAYS = "weekdays", _("On given weekdays")
    MONTHLY = "monthly", _("Monthly")
    HALF_YEARLY = "half_yearly", _("Half-yearly")


class TaskKind(models.TextChoices):
    ROUTINE = "routine", _("Routine")
    RESAMPLE = "resample", _("Re-sampling")


class TaskStatus(models.TextChoices):
    OPEN = "open", _("To do")
    DONE = "done", _("Done")
    MISSED = "missed", _("Missed")
    CANCELLED = "cancelled", _("Cancelled")


class ReviewStatus(models.TextChoices):
    """The three-level review (三级管理): entered by the technician, checked by the plant lab
    head, approved by the central lab or quality department. Only approved results count."""

    ENTERED = "entered", _("Entered")
    CHECKED = "checked", _("Checked")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned")

    @classmethod
    def is_correctable(cls, status: str) -> bool:
        """Still the technician's: entering the sample again corrects the result."""
        return status in (cls.ENTERED, cls.RETURNED)


class Outcome(models.TextChoices):
    """A result's verdict. GUIDANCE: over a guidance value (指导值: GB 5749-2022's gross α and
    gross β radioactivity), which is not a limit — exceeding one calls for a nuclide analysis
    (核素分析) to judge the water, so it is neither a pass nor a fail."""

    PASS = "pass", _("Within limit")
    FAIL = "fail", _("Exceeds limit")
    INCONCLUSIVE = "inconclusive", _("Inconclusive")
    GUIDANCE = "guidance", _("Exceeds guidance value — nuclide analysis needed")
    CLASSIFIED = "classified", _("Classified")
    NO_LIMIT = "none", _("No limit")

    @classmethod
    def colour(cls, value: str) -> str:
        return {
            cls.PASS: "success",
            cls.FAIL: "danger",
            cls.INCONCLUSIVE: "warning",
            cls.GUIDANCE: "warning",
        }.get(value, "secondary")


class Qualifier(models.TextChoices):
    """How a value was reported: a number, below the detection limit ("<0.01", value = the
    detection limit), not detected (未检出 / 无), detected without a number (有), or above
    the measuring range (">2000", value = the range's top)."""

    EXACT = "", _("Measured")
    BELOW = "<", _("Below detection limit")
    NOT_DETECTED = "nd", _("Not detected")
    DETECTED = "det", _("Detected")
    ABOVE = ">", _("Above range")


class RelaxationStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    REVOKED = "revoked", _("Revoked")


class SampleSource(models.TextChoices):
    """How a sample came in: on a task (page or API), typed on the results page without a
    task (an extra sample), by spreadsheet import, or through the API without a task."""

    TASK = "task", _("Sampling task")
    IMPORT = "import", _("Spreadsheet import")
    API = "api", _("API")
    PAGE = "page", _("Results page")
