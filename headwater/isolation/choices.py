"""States and kinds of the isolation app."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class CaseKind(models.TextChoices):
    HOME = "home", _("Home isolation")
    CENTRALIZED = "centralized", _("Centralized isolation")
    OBSERVATION = "observation", _("Medical observation")


class CaseState(models.TextChoices):
    OPEN = "open", _("In isolation")
    RELEASED = "released", _("Released")


class EventKind(models.TextChoices):
    OPENED = "opened", _("Opened")
    ASSIGNED = "assigned", _("Monitor and volunteer assigned")
    EXTENDED = "extended", _("Extended")
    RELEASE_PROPOSED = "release_proposed", _("Release proposed")
    RELEASE_REFUSED = "release_refused", _("Release refused")
    RELEASED = "released", _("Released")


class Channel(models.TextChoices):
    PHONE = "phone", pgettext_lazy("reached by", "Phone")
    VIDEO = "video", _("Video")
    VISIT = "visit", _("Visit")


class Mood(models.TextChoices):
    GOOD = "good", _("Good")
    FAIR = "fair", _("Fair")
    LOW = "low", _("Low")


# The epidemiological status (health.choices.EpiStatus value) each kind of case sets.
STATUS_OF_KIND = {
    CaseKind.HOME: "home_isolation",
    CaseKind.CENTRALIZED: "centralized",
    CaseKind.OBSERVATION: "observation",
}
