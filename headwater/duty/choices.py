"""States and kinds of the duty app."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class PostKind(models.TextChoices):
    DISPATCH = "dispatch", _("Dispatch center desk")
    CONTROL_ROOM = "control_room", _("Plant control room")
    SUPPLY_STATION = "supply_station", _("Supply station")
    LEADER = "leader", _("Leader on duty")
    DUTY_OFFICER = "duty_officer", _("Duty officer")
    CHECKPOINT = "checkpoint", _("Community checkpoint")
    REPAIR_TEAM = "repair_team", _("On-call repair team")
    OTHER = "other", _("Other post")


class ShiftPattern(models.TextChoices):
    """Ready-made shift patterns; a post's shifts (`ShiftDef`) are written from one and can
    be edited afterwards."""

    DAY_NIGHT = "day_night", _("Day and night (08:00–20:00 / 20:00–08:00)")
    FULL_DAY = "full_day", _("24 hours (08:00–08:00)")
    THREE = "three", _("Three shifts (08:00–16:00 / 16:00–24:00 / 00:00–08:00)")
    OFFICE_HOURS = "office_hours", _("Day only (08:00–17:30)")


class RosterState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    # a state, not "published at" (the msgid "Published" is a date column elsewhere)
    PUBLISHED = "published", pgettext_lazy("roster state", "Published")


class AssignmentSource(models.TextChoices):
    SOLVER = "solver", _("Generated")
    HAND = "hand", _("Edited by hand")
    SWAP = "swap", _("Swap")
    REPLACEMENT = "replacement", _("Replacement")


class LeaveKind(models.TextChoices):
    ANNUAL = "annual", _("Annual leave")
    SICK = "sick", _("Sick leave")
    PERSONAL = "personal", _("Personal leave")
    OTHER = "other", _("Other absence")


class PreferenceKind(models.TextChoices):
    DAY_OFF = "day_off", _("Day off wanted")
    NO_NIGHT = "no_night", _("No night shift")
    PREFER = "prefer", _("Would like to work")


class SwapState(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class LogKind(models.TextChoices):
    CALL = "call", _("Call")
    EVENT = "event", _("Event")
    INSTRUCTION = "instruction", _("Instruction")


class FlagState(models.TextChoices):
    OPEN = "open", pgettext_lazy("flag state", "Open")
    REPLACED = "replaced", _("Replaced")
    CLEARED = "cleared", _("No longer needed")


class LoopState(models.TextChoices):
    PLANNED = "planned", _("Planned")
    ON_SITE = "on_site", _("Living on site")
    RESERVE = "reserve", _("In reserve")
    ENDED = "ended", _("Rotation ended")
